package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.redirectguard.it.child.security.HookAttack;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 10, Found 1 and 2: application code in an enforce JVM attacks the agent ({@link HookAttack}):
 * no public member of the bridge installs, reads or removes the hooks; the private install cannot
 * be made accessible on 17+ and, on 8 and 11 (where deep reflection into java.lang works without a
 * SecurityManager), refuses a {@code Proxy} and null because the agent's hooks are in; the {@code Proxy} is never called and never sees a header value; no class the application
 * class loader can load from the agent jar leads, through its static fields, to the
 * {@code Instrumentation} or to anything of the agent's own loader; the agent's classes cannot be
 * named; a fake {@code agentmain("mode=off", ...)} changes nothing. Before and after the attack
 * the recording server receives what RFC 9110 says (the Authorization value included), and the
 * agent's log has the corrections, never a header value. Once with {@code -javaagent}, once with
 * the agent attached by the CLI.
 */
class HookAttackIT extends WithEchoServer {
    private static final Path DIR = ItFiles.BUILD_DIR.resolve("security").resolve("hook-attack");
    private static final List<String> CALLS = List.of("post303", "post308", "xpost307");

    @TestFactory
    Stream<DynamicTest> attackOnEveryJdk() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
            tests.add(dynamicTest(jdk.label() + " attack, agent by -javaagent in enforce", () -> attack(jdk, false)));
            tests.add(dynamicTest(jdk.label() + " attack, agent attached by the CLI in enforce", () -> attack(jdk, true)));
        });
    }

    private void attack(JdkMatrix.Jdk jdk, boolean attach) throws Exception {
        String runId = "attack-" + jdk.label() + (attach ? "-attach" : "-premain");
        Path dir = DIR.resolve(runId);
        List<String> calls = AppCallsOracle.calls(jdk, CALLS);
        List<String> args = new ArrayList<>(List.of(server.base() + "/" + runId, ItFiles.AGENT_JAR.toString()));
        if (attach) {
            args.add("--wait-for-attach");
        }
        args.addAll(calls);
        String agentArgs = "mode=enforce,jmx=off,logInterval=0,logRate=0";
        Path log = dir.resolve("agent.jsonl");
        SecurityChild.Run run = SecurityChild.run(jdk, dir, List.of(), attach ? null : agentArgs,
                ItFiles.CHILD_CLASSES.toString(), HookAttack.class.getName(), args,
                attach ? (pid, stdout, stdin) -> attachThenGo(pid, stdout, stdin, agentArgs + ",log=" + log) : null);
        String why = run.describe();
        assertEquals(0, run.exitCode(), why);
        assertTrue(run.stdout().contains("done"), why);

        // Enforcement before and after the attack: what the server received, Authorization included.
        List<String> results = run.lines("result");
        int phases = attach ? 3 : 2;
        assertEquals(phases * calls.size(), results.size(), why);
        for (int p = attach ? 1 : 0; p < phases; p++) {
            String phase = p == phases - 1 ? "after" : "before";
            for (int i = 0; i < calls.size(); i++) {
                String call = calls.get(i);
                String outcome = results.get(p * calls.size() + i);
                assertTrue(outcome.startsWith(call + "\t"), why);
                String observed = "got " + outcome.substring(call.length() + 1) + " | target " + String.join(" + ",
                        server.received("/" + runId + "/" + phase + "/" + call + "/target").stream()
                                .map(EchoServer.Received::describe).toList());
                assertEquals(AppCallsOracle.expected(call), observed, phase + " the attack, " + call + "\n" + why);
            }
        }

        // Found 1: the bridge.
        assertTrue(run.probe("bridge-class").startsWith("found"), why);
        assertEquals("none", run.probe("public-members"), why);
        assertEquals("java.lang.NoSuchMethodException", run.probe("getMethod-install"), why);
        if (jdk.version() >= 17) {
            assertEquals("java.lang.reflect.InaccessibleObjectException", run.probe("setAccessible-install"), why);
            assertEquals("java.lang.reflect.InaccessibleObjectException", run.probe("hooks-field-read"), why);
            assertEquals("java.lang.reflect.InaccessibleObjectException", run.probe("hooks-field-write"), why);
        } else {
            // Without a SecurityManager, JDK 8 has no access boundary, and JDK 11 opens java.lang to
            // the class path by default (--illegal-access=permit, until JDK 16): setAccessible opens
            // anything. The install still refuses, because the agent's hooks are in. (SecurityManagerIT:
            // a SecurityManager denies setAccessible itself.)
            assertEquals("ok", run.probe("setAccessible-install"), why);
            assertEquals("false", run.probe("install-proxy"), why);
            assertEquals("false", run.probe("install-null"), why);
            // Readable there, as every field is; never replaceable: a static final field refuses Field.set.
            assertEquals("read dev.redirectguard.agent.GuardHooks of loader dev.redirectguard.boot.AgentLoader",
                    run.probe("hooks-field-read"), why);
            assertEquals("java.lang.IllegalAccessException", run.probe("hooks-field-write"), why);
        }
        assertEquals("0 calls, header values seen: false", run.probe("hooks-proxy-calls"), why);
        assertTrue(run.lines("proxy-called").isEmpty(), why);

        // Found 2: the Instrumentation and the agent's objects.
        assertEquals("none loadable", run.probe("agent-classes-by-name"), why);
        assertTrue(run.probe("jar-inst-classes").matches("[1-9]\\d* entries, loadable by the application: none"), why);
        assertTrue(run.probe("jar-root-classes").contains("dev.redirectguard.boot.AgentBootstrap"), why);
        String walk = run.probe("statics-walk");
        assertTrue(walk.endsWith("findings none") && !walk.contains("TRUNCATED"), why);
        assertEquals("[agentmain returned, agentmain returned, premain returned, premain returned],"
                + " fake Instrumentation calls 0", run.probe("fake-agentmain"), why);

        // The log: corrections before and after, no header value anywhere.
        for (String phase : List.of("before", "after")) {
            assertTrue(run.log().stream().anyMatch(l -> l.fields() != null && "enforce".equals(l.text("mode"))
                    && String.valueOf(l.text("from")).contains("/" + runId + "/" + phase + "/")), phase + ": a log line\n" + why);
        }
        String logText = Files.exists(run.logFile()) ? Files.readString(run.logFile(), StandardCharsets.UTF_8) : "";
        for (String secret : List.of("token-lib", "cookie-lib", "xc-lib")) {
            assertFalse(logText.contains(secret), "the log holds a header value: " + secret);
            assertFalse(run.stderr().contains(secret), "stderr holds a header value: " + secret);
        }
        assertTrue(run.agentStderr().stream().noneMatch(l -> l.startsWith("redirect-guard")), why);
    }

    private static void attachThenGo(long pid, BlockingQueue<String> stdout, OutputStream stdin, String agentArgs)
            throws Exception {
        SecurityChild.await(stdout, "waiting-for-agent");
        Cli attached = Cli.run("attach", String.valueOf(pid), agentArgs);
        assertEquals(0, attached.code(), attached.toString());
        stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }
}
