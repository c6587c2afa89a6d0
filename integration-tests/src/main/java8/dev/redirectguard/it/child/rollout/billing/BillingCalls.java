package dev.redirectguard.it.child.rollout.billing;

import dev.redirectguard.it.child.rollout.RolloutCalls;

import java.net.HttpURLConnection;

/** A caller in the billing package: enforceCallers=dev.redirectguard.it.child.rollout.billing. names it. */
public final class BillingCalls {
    private BillingCalls() {
    }

    public static String huc(String method, String url) throws Exception {
        HttpURLConnection c = RolloutCalls.open(method, url);
        return RolloutCalls.answer(c, c.getResponseCode());
    }
}
