package dev.redirectguard.rules;

/** The redirect rules, with the ids that log lines, counters and docs use. Ids never change. */
public enum Rule {
    /** 307/308 repeat the request: same method, same body, same body headers; HttpURLConnection follows 308. */
    SAME_METHOD_307_308("same-method-307-308", "RFC 9110 15.4.8, 15.4.9"),
    /** 303 means "now GET it": no body, no body headers; HEAD stays HEAD. */
    GET_AFTER_303("get-after-303", "RFC 9110 15.4.4"),
    /** 301/302: POST may become GET (legacyPostRedirect=get) or stay POST (preserve); other methods are kept. */
    POST_AFTER_301_302("post-after-301-302", "RFC 9110 15.4.2, 15.4.3"),
    /** Same origin: the caller's own headers go with the next request, also when the method became GET. */
    SAME_ORIGIN_HEADERS("same-origin-headers", "RFC 9110 15.4"),
    /** Another origin: the configured credential headers are not sent. */
    CROSS_ORIGIN_STRIP("cross-origin-strip", "RFC 9110 15.4"),
    /** https to http is never followed. */
    NO_HTTPS_DOWNGRADE("no-https-downgrade", "RFC 9110 4.2.2, 15.4"),
    /** A streamed body cannot be replayed: the hop is refused where the body is needed again. */
    STREAMED_BODY("streamed-body", "RFC 9110 15.4");

    private final String id;
    private final String rfc;

    Rule(String id, String rfc) {
        this.id = id;
        this.rfc = rfc;
    }

    public String id() {
        return id;
    }

    public String rfc() {
        return rfc;
    }

    /** The rule that governs the method and body of a hop with this status. */
    public static Rule forStatus(int status) {
        switch (status) {
            case 303: return GET_AFTER_303;
            case 307:
            case 308: return SAME_METHOD_307_308;
            default: return POST_AFTER_301_302;
        }
    }
}
