package dev.redirectguard.it.child.app;

import dev.redirectguard.it.child.lib.LibCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HttpClient side of {@link AppCalls}, 11+: Redirect.NORMAL, the caller headers of LibCalls;
 * HTTP/1.1, or HTTP/2 (the client's default) with {@code -Dapp.http2=true}.
 */
public final class AppHttpClient {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .version(Boolean.getBoolean("app.http2") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private AppHttpClient() {
    }

    public static String send(String method, String url, String body) throws Exception {
        HttpResponse<String> response = CLIENT.send(request(method, url, body), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    /**
     * sendAsync, and this thread never touches the future: the body handler hands the result
     * over, as callback-style code does, so no stack of this thread shows the call while it runs.
     */
    public static String sendDetached(String method, String url, String body) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> result = new AtomicReference<>();
        HttpResponse.BodyHandler<String> handler = info -> HttpResponse.BodySubscribers.mapping(
                HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8), text -> {
                    result.set(info.statusCode() + " " + text);
                    done.countDown();
                    return text;
                });
        CLIENT.sendAsync(request(method, url, body), handler);
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no response in 60 s");
        }
        return result.get();
    }

    private static HttpRequest request(String method, String url, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", LibCalls.AUTHORIZATION)
                .header("Cookie", LibCalls.COOKIE)
                .header("X-Custom", LibCalls.CUSTOM);
        if (body != null) {
            b.header("Content-Type", LibCalls.CONTENT_TYPE);
        }
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
