package dev.redirectguard.it.child.rollout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The HttpClient side of {@link RolloutCalls}, 11+: one client (Redirect.NORMAL, HTTP/1.1) for every caller. */
public final class RolloutHttpClient {
    public static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private RolloutHttpClient() {
    }

    public static HttpRequest request(String method, String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", RolloutCalls.AUTHORIZATION)
                .header("Cookie", RolloutCalls.COOKIE)
                .header("X-Custom", RolloutCalls.CUSTOM);
        if (RolloutCalls.hasBody(method)) {
            b.header("Content-Type", RolloutCalls.CONTENT_TYPE);
            return b.method(method, HttpRequest.BodyPublishers.ofString(RolloutCalls.body(url), RolloutCalls.UTF_8))
                    .build();
        }
        return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
    }

    public static String answer(HttpResponse<String> response) {
        return response.statusCode() + " " + response.body();
    }
}
