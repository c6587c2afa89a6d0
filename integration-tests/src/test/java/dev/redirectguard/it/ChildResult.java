package dev.redirectguard.it;

import dev.redirectguard.report.FlatJson;

import java.util.Map;

/**
 * What the child's caller saw for one case (a line of the child's results file).
 *
 * @param setup      "ok" or "setup-error:&lt;exception class&gt;" when the request could not be built
 * @param sentMethod the method the client held once the request was set up
 * @param status     final status code, null when none was read
 * @param error      exception class the caller got, null when none
 */
record ChildResult(String id, String setup, String sentMethod, String finalMethod, Integer status, String body,
                   String error, String errorMessage, String finalUrl) {

    static ChildResult fromJson(String line) {
        Map<String, Object> m = FlatJson.parse(line);
        if (m == null) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        Object status = m.get("status");
        return new ChildResult((String) m.get("id"), (String) m.get("setup"), (String) m.get("sentMethod"),
                (String) m.get("finalMethod"), status == null ? null : ((Number) status).intValue(),
                (String) m.get("body"), (String) m.get("error"), (String) m.get("errorMessage"),
                (String) m.get("finalUrl"));
    }

    boolean setupOk() {
        return "ok".equals(setup);
    }

    /** Compact form for mismatch messages. */
    String outcome() {
        return error != null ? "status " + status + " + " + error + "(" + errorMessage + ")"
                : "status " + status + " body " + Mismatches.show(body);
    }
}
