package dev.redirectguard.it.sequence;

import java.util.Map;

/**
 * The origins a plan names, and their base URLs in this test JVM: {@code A} http://127.0.0.1:a,
 * {@code A2} http://localhost:a (the same server, another origin by host), {@code B}
 * http://127.0.0.1:b (another port), {@code S} https://127.0.0.1:s, {@code T} http://127.0.0.2:t (a
 * host of its own, for the timeout calls).
 */
public record Origins(Map<String, String> baseUrls) {
    public String url(String origin, String path) {
        String base = baseUrls.get(origin);
        if (base == null) {
            throw new IllegalArgumentException("unknown origin " + origin);
        }
        return base + path;
    }
}
