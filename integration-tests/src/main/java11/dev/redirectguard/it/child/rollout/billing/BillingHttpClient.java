package dev.redirectguard.it.child.rollout.billing;

import dev.redirectguard.it.child.rollout.RolloutHttpClient;

import java.net.http.HttpResponse;

/** The billing caller's HttpClient calls (11+): the frame that calls send is this class's. */
public final class BillingHttpClient {
    private BillingHttpClient() {
    }

    public static String send(String method, String url) throws Exception {
        return RolloutHttpClient.answer(RolloutHttpClient.CLIENT.send(RolloutHttpClient.request(method, url),
                HttpResponse.BodyHandlers.ofString()));
    }
}
