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
 * The {@code caller} of HttpClient hops, on JDK 11+, in audit: the agent takes the application
 * frame on the sending thread when a request that can be redirected is sent, so a blocking
 * {@code send} and a {@code sendAsync} whose thread never waits on the future (callback style)
 * are both named, the very first detached call included, whatever the threads' timing.
 */
class HttpClientCallerIT extends WithEchoServer {
    private static final String APP = "dev.redirectguard.it.child.app.AppHttpClient.";

    @TestFactory
    Stream<DynamicTest> callers() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
            if (jdk.version() >= 11) {
                tests.add(dynamicTest(jdk.label() + " HttpClient caller: send, then sendAsync without waiting, each named",
                        () -> run(jdk)));
            }
        });
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
