package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code caller} of HttpClient hops, on JDK 11+, in audit, always read by the sending thread
 * from its own stack: a {@code sendAsync} whose thread never waits on the future (callback style)
 * as it sends a request that can be redirected, a blocking {@code send} as it ends, and only if
 * a hop of its broke a rule. Both are named, the very first detached call included, whatever the
 * threads' timing; a blocking send whose hops keep the rules reads no stack at all (the JDK's
 * {@code -Dstackwalk.debug=true} prints every walk).
 */
class HttpClientCallerIT extends WithEchoServer {
    private static final String APP = "dev.redirectguard.it.child.app.AppHttpClient.";

    @TestFactory
    Stream<DynamicTest> callers() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
            if (jdk.version() >= 11) {
                tests.add(dynamicTest(jdk.label() + " HttpClient caller: send, then sendAsync without waiting, each named",
                        () -> run(jdk)));
                tests.add(dynamicTest(jdk.label() + " HttpClient send: no stack walk while its hops keep the rules,"
                        + " one at its end for a hop that breaks one", () -> walks(jdk)));
            }
        });
    }

    private void walks(JdkMatrix.Jdk jdk) throws Exception {
        String runId = "walks-" + jdk.label();
        // POST -> 307 and GET -> 307 keep every rule on every JDK (same origin); POST -> 303 keeps Content-Type.
        List<String> compliant = List.of("hc-post307", "hc-get307", "hc-post307");
        List<String> all = new ArrayList<>(compliant);
        all.add("hc-post303");
        for (List<String> calls : List.of(compliant, all)) {
            String id = runId + "-" + calls.size();
            List<String> args = new ArrayList<>(List.of(server.base() + "/" + id));
            args.addAll(calls);
            AppChild.Run run = AppChild.run(jdk, ItFiles.BUILD_DIR.resolve("it-runs").resolve("caller").resolve(id),
                    "audit", null, List.of("-Dstackwalk.debug=true"), AppChild.classPath(),
                    "dev.redirectguard.it.child.app.AppCalls", args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.describe());
            for (String call : calls) {
                assertEquals("200 ok:" + call, run.outcomes().get(call), run.describe());
            }
            long walks = run.stderr().lines().filter(l -> l.startsWith("doStackWalk:")).count();
            List<LogLine> lines = run.log();
            if (calls == compliant) {
                assertEquals(List.of(), lines, run.describe());
                assertEquals(0, walks, "a walk for hops that keep the rules\n" + run.describe());
            } else {
                assertEquals(1, lines.size(), run.describe());
                assertTrue(lines.get(0).text("caller").startsWith(APP + "send("), lines.get(0).raw());
                assertEquals(1, walks, "one walk, at the end of the send that broke a rule\n" + run.describe());
            }
        }
    }

    private void run(JdkMatrix.Jdk jdk) throws Exception {
        String runId = "caller-" + jdk.label();
        // Each call breaks a rule on every JDK: Content-Type stays on the GET after 303 / 302.
        List<String> calls = List.of("hc-post303", "hca-post303", "hca-put303", "hca-post302");
        List<String> args = new ArrayList<>(List.of(server.base() + "/" + runId));
        args.addAll(calls);
        AppChild.Run run = AppChild.run(jdk, ItFiles.BUILD_DIR.resolve("it-runs").resolve("caller").resolve(runId),
                "audit", null, List.of(), AppChild.classPath(), "dev.redirectguard.it.child.app.AppCalls",
                args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.describe());
        List<String> callers = new ArrayList<>();
        for (String call : calls) {
            assertEquals("200 ok:" + call, run.outcomes().get(call), run.describe());
            List<LogLine> lines = run.log().stream()
                    .filter(l -> String.valueOf(l.text("from")).endsWith("/" + runId + "/" + call + "/start")).toList();
            assertTrue(!lines.isEmpty(), call + ": no log line\n" + run.log());
            for (LogLine line : lines) {
                assertEquals("observed", line.text("action"), line.raw());
                callers.add(call + " " + line.text("caller"));
            }
        }
        for (String c : callers) {
            String call = c.substring(0, c.indexOf(' '));
            String frame = c.substring(c.indexOf(' ') + 1);
            assertTrue(frame.startsWith(APP + (call.startsWith("hc-") ? "send(" : "sendDetached(")), c + "\n" + callers);
        }
        assertEquals(List.of(), run.stderr().lines().filter(l -> l.startsWith("redirect-guard")).toList());
    }
}
