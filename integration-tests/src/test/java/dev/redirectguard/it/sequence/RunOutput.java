package dev.redirectguard.it.sequence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything one child run of a plan left behind: the requests the servers recorded, grouped by
 * call (in arrival order within a call, which is the order the call sent them), the outcome each
 * caller saw, the agent's log lines, and problems of the run itself (exit code, missing outcomes).
 */
public record RunOutput(String mode, Map<String, List<Recorded>> requestsByCall, Map<String, Map<String, Object>> outcomes,
                        List<Map<String, Object>> log, List<String> problems) {

    private static final Pattern CALL_OF_PATH = Pattern.compile("/[a-z0-9]+/(\\d+)-(\\d+)-(\\d+)-(\\d+)");

    /** The call id ({@code seq.step.call}) a path belongs to, or null. */
    public static String callOf(String path) {
        Matcher m = path == null ? null : CALL_OF_PATH.matcher(path);
        return m != null && m.matches() ? m.group(1) + "." + m.group(2) + "." + m.group(3) : null;
    }

    /** The sequence a call id belongs to. */
    public static int sequenceOf(String callId) {
        return Integer.parseInt(callId.substring(0, callId.indexOf('.')));
    }

    public static RunOutput of(String mode, List<Recorded> records, Map<String, Map<String, Object>> outcomes,
                               List<Map<String, Object>> log, List<String> problems) {
        Map<String, List<Recorded>> byCall = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(problems);
        for (Recorded r : records) {
            String call = callOf(r.path());
            if (call == null) {
                all.add("request to a path of no call: " + r.method() + " " + r.target());
                continue;
            }
            byCall.computeIfAbsent(call, c -> new ArrayList<>()).add(r);
        }
        return new RunOutput(mode, byCall, outcomes, log, all);
    }

    public List<Recorded> requests(String callId) {
        return requestsByCall.getOrDefault(callId, List.of());
    }
}
