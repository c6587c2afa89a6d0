package dev.redirectguard.it.child.rollout.legacy;

import dev.redirectguard.it.child.rollout.RolloutHttpClient;

import java.net.http.HttpResponse;

/** The legacy caller's HttpClient calls (11+). */
public final class LegacyHttpClient {
    private LegacyHttpClient() {
    }

    public static String send(String method, String url) throws Exception {
        return RolloutHttpClient.answer(RolloutHttpClient.CLIENT.send(RolloutHttpClient.request(method, url),
                HttpResponse.BodyHandlers.ofString()));
    }
}
