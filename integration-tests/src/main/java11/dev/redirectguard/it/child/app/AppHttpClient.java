package dev.redirectguard.it.child.app;

import dev.redirectguard.it.child.lib.LibCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", LibCalls.AUTHORIZATION)
                .header("Cookie", LibCalls.COOKIE)
                .header("X-Custom", LibCalls.CUSTOM);
        if (body != null) {
            b.header("Content-Type", LibCalls.CONTENT_TYPE);
        }
        HttpRequest r = b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }
}
