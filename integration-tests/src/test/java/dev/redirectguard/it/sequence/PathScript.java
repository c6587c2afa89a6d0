package dev.redirectguard.it.sequence;

/**
 * How the servers answer one path of a sequence: the path belongs to one hop of one call
 * ({@code /q/<seq>-<step>-<call>-<hop>}), so every request the servers record maps to its call.
 * The answer depends only on the path and on the request itself (credentials present or not),
 * never on earlier requests, so it is the same in every run of the plan.
 *
 * @param origin         the origin (see {@link Origins}) whose URL leads here
 * @param status         REDIRECT: the 3xx
 * @param locationOrigin REDIRECT: origin of the Location; null for a 3xx without Location
 * @param locationPath   REDIRECT: path of the Location
 * @param protectedPath  answers 401 (Basic, realm rg) to any request without the realm's credentials
 * @param setCookie      a Set-Cookie value sent with the answer (not with a 401), or null
 */
public record PathScript(String path, String origin, Kind kind, int status, String locationOrigin, String locationPath,
                         boolean protectedPath, String setCookie) {

    public enum Kind {
        /** A 3xx, with or without Location. */
        REDIRECT,
        /** 303 to itself, forever: the client's redirect limit ends it. */
        LOOP,
        /** 200 {@code ok:<path>}. */
        OK,
        /** 404 {@code nf:<path>}. */
        NOT_FOUND,
        /** Never answers (until the client closes the connection). */
        HANG,
        /** 200 with Content-Length 32, then 5 bytes and the connection closed. */
        TRUNCATE,
        /** The connection reset (RST) without a byte of answer: HttpURLConnection sends the request once more. */
        DROP
    }

    public boolean hasLocation() {
        return locationOrigin != null;
    }

    /** One line for failure reports, e.g. {@code A/q/1-0-0-0 307 -> B/q/1-0-0-1} or {@code B/q/1-0-0-1 auth ok}. */
    public String describe() {
        String what = switch (kind) {
            case REDIRECT -> status + (hasLocation() ? " -> " + locationOrigin + locationPath : " without Location");
            case LOOP -> "303 -> itself (until the redirect limit)";
            case OK -> "200";
            case NOT_FOUND -> "404";
            case HANG -> "never answers";
            case TRUNCATE -> "200, body cut off";
            case DROP -> "connection reset, no answer";
        };
        return origin + path + (protectedPath ? " [401 until Basic]" : "") + " " + what
                + (setCookie != null ? " [Set-Cookie " + setCookie + "]" : "");
    }
}
