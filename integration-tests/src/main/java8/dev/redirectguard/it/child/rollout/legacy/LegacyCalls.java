package dev.redirectguard.it.child.rollout.legacy;

import dev.redirectguard.it.child.rollout.RolloutCalls;

import java.net.HttpURLConnection;

/** A caller in the legacy package, left out by enforceCallers=dev.redirectguard.it.child.rollout.billing. */
public final class LegacyCalls {
    private LegacyCalls() {
    }

    public static String huc(String method, String url) throws Exception {
        HttpURLConnection c = RolloutCalls.open(method, url);
        return RolloutCalls.answer(c, c.getResponseCode());
    }
}
