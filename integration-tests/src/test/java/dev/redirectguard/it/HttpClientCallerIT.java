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
 * The {@code caller} of HttpClient hops, on JDK 11+, in audit: a blocking {@code send} names the
 * application frame from the first hop on; a {@code sendAsync} whose thread never waits on the
 * future (callback style) cannot be named on the first hop that breaks a rule (its stack no longer
 * shows the call; the line says null), and is named on every later one, the agent then taking
 * the frame when each request is sent.
 */
class HttpClientCallerIT extends WithEchoServer {
    private static final String APP = "dev.redirectguard.it.child.app.AppHttpClient.";

    @TestFactory
    Stream<DynamicTest> callers() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
            if (jdk.version() >= 11) {
                tests.add(dynamicTest(jdk.label() + " HttpClient caller: send, then sendAsync without waiting",
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
        // The first detached call is named only if its thread happened to be inside sendAsync still.
        String first = callers.stream().filter(c -> c.startsWith("hca-post303 ")).findFirst().orElseThrow();
        assertTrue(first.equals("hca-post303 null") || first.startsWith("hca-post303 " + APP + "sendDetached("), first);
        for (String c : callers) {
            if (c.startsWith("hc-post303 ")) {
                assertTrue(c.startsWith("hc-post303 " + APP + "send("), c + "\n" + callers);
            } else if (!c.startsWith("hca-post303 ")) {
                assertTrue(c.substring(c.indexOf(' ') + 1).startsWith(APP + "sendDetached("), c + "\n" + callers);
            }
        }
        assertEquals(List.of(), run.stderr().lines().filter(l -> l.startsWith("redirect-guard")).toList());
    }
}
