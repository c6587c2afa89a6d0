package dev.redirectguard.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What RFC 9110 delivers for the {@code AppCalls} calls of the tests about the surroundings
 * (NginxIT, ProxyIT), and the check both make of a run against it and against the run without
 * the agent.
 */
final class AppCallsOracle {
    private AppCallsOracle() {
    }

    /** Each call with HttpURLConnection and, on 11+, with HttpClient: {@code huc-post307}, {@code hc-post307}... */
    static List<String> calls(JdkMatrix.Jdk jdk, List<String> calls) {
        List<String> out = new ArrayList<>();
        for (String client : jdk.version() >= 11 ? List.of("huc", "hc") : List.of("huc")) {
            calls.forEach(c -> out.add(client + "-" + c));
        }
        return out;
    }

    /** What the application got and what reached the call's target, in the form {@link #expected} uses. */
    static String observed(AppChild.Run run, String call, List<EchoServer.Received> target) {
        return "got " + run.outcomes().get(call) + " | target "
                + String.join(" + ", target.stream().map(EchoServer.Received::describe).toList());
    }

    /** The application's result and what reached the target under RFC 9110. */
    static String expected(String call) {
        String headers = " custom=xc-lib";
        String creds = " auth=Bearer token-lib cookie=sid=cookie-lib";
        String post = "POST body=body-" + call + " ct=text/plain";
        return "got 200 ok:" + call + " | target " + switch (call.substring(call.indexOf('-') + 1)) {
            case "post307", "post308" -> post + creds + headers;
            case "post303", "get308" -> "GET body=- ct=-" + creds + headers;
            case "xpost307" -> post + " auth=- cookie=-" + headers;
            default -> throw new IllegalArgumentException(call);
        };
    }

    /**
     * What is wrong with an audit or enforce run: in enforce, every call as {@link #expected};
     * in both, a log line for exactly the calls that the JDK alone ({@code none}) sends against
     * the rules.
     */
    static List<String> mismatches(String mode, String runId, List<String> calls, AppChild.Run run,
                                   Map<String, String> observed, Map<String, String> none) {
        List<String> wrong = new ArrayList<>();
        for (String call : calls) {
            String expected = expected(call);
            if (mode.equals("enforce") && !expected.equals(observed.get(call))) {
                wrong.add(call + "\n  expected " + expected + "\n  got      " + observed.get(call)
                        + "\n  no agent " + none.get(call));
            }
            boolean logged = run.log().stream()
                    .anyMatch(l -> String.valueOf(l.text("from")).endsWith("/" + runId + "/" + call + "/start"));
            if (logged == expected.equals(none.get(call))) {
                wrong.add(call + ": " + (logged ? "" : "no ") + "log line, the JDK alone gives " + none.get(call));
            }
        }
        return wrong;
    }
}
