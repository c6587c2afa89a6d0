package dev.redirectguard.it.child.security;

import dev.redirectguard.it.child.lib.LibCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * LeakPlugin's HttpClient call (11+), shaped so that the JDK alone lets go of the plugin's class
 * loader once the call is over. The threads an HttpClient starts are created on the thread that
 * builds it or makes it busy, so they inherit that thread's context class loader (the plugin's)
 * and, before JDK 24, the access control context of its stack (the plugin's protection domains,
 * which name its loader); the selector thread is made with {@code inheritThreadLocals} false:
 * <ul>
 *   <li>the client's selector thread ("HttpClient-N-SelectorManager") runs until the client is
 *       closed (21+: {@code close()}, which waits for it) or, on 11 and 17, until the client
 *       object is unreachable and the selector notices (between selects, which time out after
 *       3 s by default): so no static field may keep the client;</li>
 *   <li>the default executor's worker threads idle for 60 s before they end: the call brings its
 *       own executor and shuts it down, waiting for its threads.</li>
 * </ul>
 */
public final class LeakPluginHttpClient {
    private LeakPluginHttpClient() {
    }

    public static String send(String method, String url, String body) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(executor)
                .build();
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", LibCalls.AUTHORIZATION)
                    .header("Cookie", LibCalls.COOKIE)
                    .header("X-Custom", LibCalls.CUSTOM);
            if (body != null) {
                b.header("Content-Type", LibCalls.CONTENT_TYPE);
            }
            HttpRequest request = b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } finally {
            if (client instanceof AutoCloseable) {
                ((AutoCloseable) client).close(); // 21+: shuts the client down and waits for its selector thread
            }
            executor.shutdown();
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the client's executor did not end in 60 s");
            }
        }
    }
}
