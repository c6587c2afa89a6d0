package dev.redirectguard.rules;

import java.util.Locale;

/** Header classification shared by the rules and the client adapters. */
public final class Headers {
    private Headers() {
    }

    /**
     * Headers that describe the body (RFC 9110 15.4: removed when a redirect turns the request
     * into GET or HEAD).
     */
    public static boolean isBodyHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("content-") || n.equals("transfer-encoding") || n.equals("digest")
                || n.equals("last-modified");
    }
}
