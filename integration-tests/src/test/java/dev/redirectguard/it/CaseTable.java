package dev.redirectguard.it;

import java.util.ArrayList;
import java.util.List;

/** The cases each client runs: the full method x status x body x origin grid over http, plus subsets. */
final class CaseTable {
    static final int[] STATUSES = {301, 302, 303, 307, 308};
    private static final List<String> HUC_METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS");
    private static final List<String> HC_METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");
    private static final List<String> HUC_BODIES = List.of("none", "buffered", "fixed", "chunked");
    private static final List<String> HC_BODIES = List.of("none", "string", "input-stream");

    private CaseTable() {
    }

    static List<RedirectCase> forClient(Client client) {
        List<RedirectCase> cases = new ArrayList<>();
        boolean huc = client == Client.HUC;
        String invocation = huc ? "-" : "send";
        for (String method : huc ? HUC_METHODS : HC_METHODS) {
            for (int status : STATUSES) {
                for (String body : huc ? HUC_BODIES : HC_BODIES) {
                    // GET and HEAD carry no body: HttpURLConnection would turn GET into POST or refuse HEAD.
                    if ((method.equals("GET") || method.equals("HEAD")) && !body.equals("none")) {
                        continue;
                    }
                    for (boolean same : new boolean[] {true, false}) {
                        cases.add(new RedirectCase(client, "http", method, status, body, same, invocation));
                    }
                }
            }
        }
        // https -> https: the hops with a body, where TLS could change what the JDK does.
        for (String method : List.of("POST", "PUT")) {
            for (int status : STATUSES) {
                for (boolean same : new boolean[] {true, false}) {
                    cases.add(new RedirectCase(client, "https", method, status, huc ? "buffered" : "string", same, invocation));
                }
            }
        }
        if (!huc) {
            // sendAsync follows redirects on other threads: check that path too.
            for (int status : new int[] {303, 307}) {
                for (boolean same : new boolean[] {true, false}) {
                    cases.add(new RedirectCase(client, "http", "POST", status, "string", same, "async"));
                }
            }
        }
        return List.copyOf(cases);
    }
}
