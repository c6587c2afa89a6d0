package dev.redirectguard.it;

import java.util.Arrays;

/** The agent's rule ids, as they appear in the {@code rule} field of its log lines. */
enum Rule {
    SAME_METHOD_307_308("same-method-307-308"),
    GET_AFTER_303("get-after-303"),
    POST_AFTER_301_302("post-after-301-302"),
    SAME_ORIGIN_HEADERS("same-origin-headers"),
    CROSS_ORIGIN_STRIP("cross-origin-strip"),
    NO_HTTPS_DOWNGRADE("no-https-downgrade"),
    STREAMED_BODY("streamed-body");

    final String id;

    Rule(String id) {
        this.id = id;
    }

    static Rule byId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return id;
    }
}
