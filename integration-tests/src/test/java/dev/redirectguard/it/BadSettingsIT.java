package dev.redirectguard.it;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A bad setting never stops a JVM: each one is one line on stderr naming it, and the agent runs
 * on with the defaults, in audit. On every JDK of the matrix.
 */
class BadSettingsIT {
    @TestFactory
    List<DynamicTest> badSettingsGiveOneLineEachAndTheJvmRuns() {
        Path jar = ItFiles.AGENT_JAR;
        List<DynamicTest> tests = new ArrayList<>();
        for (JdkMatrix.Jdk jdk : JdkMatrix.selected()) {
            tests.add(DynamicTest.dynamicTest(jdk.label() + " bad settings", () -> {
                if (jdk.problem() != null) {
                    fail(jdk.problem());
                }
                assertTrue(Files.isRegularFile(jar), "agent jar missing at " + jar);
                Process p = new ProcessBuilder(jdk.java().toString(),
                        "-javaagent:" + jar + "=mode=strict,colour=blue", "-Dredirectguard.logg=x", "-version")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "JVM did not finish");
                assertEquals(0, p.exitValue(), stderr);
                List<String> lines = stderr.lines().filter(l -> l.startsWith("redirect-guard:")).toList();
                assertEquals(3, lines.size(), stderr);
                String fallback = "; using the default, mode audit";
                assertTrue(lines.get(0).startsWith("redirect-guard: unknown system property redirectguard.logg"
                        + " (known keys: mode, log, ") && lines.get(0).endsWith(fallback), lines.get(0));
                assertTrue(lines.get(1).startsWith("redirect-guard: unknown agent argument key 'colour'"
                        + " (known keys: mode, log, ") && lines.get(1).endsWith(fallback), lines.get(1));
                assertEquals("redirect-guard: agent argument mode: mode 'strict' is not off, audit or enforce"
                        + fallback, lines.get(2));
            }));
        }
        return tests;
    }

    /**
     * A setting named only by the environment is read (start-up looks for the agent's variables in
     * the environment the JVM started with before it asks the JDK for it), and a variable that only
     * looks like one is not.
     */
    @TestFactory
    List<DynamicTest> aSettingInTheEnvironmentAloneIsRead() {
        Path jar = ItFiles.AGENT_JAR;
        List<DynamicTest> tests = new ArrayList<>();
        for (JdkMatrix.Jdk jdk : JdkMatrix.selected()) {
            tests.add(DynamicTest.dynamicTest(jdk.label() + " environment alone", () -> {
                if (jdk.problem() != null) {
                    fail(jdk.problem());
                }
                assertTrue(Files.isRegularFile(jar), "agent jar missing at " + jar);
                ProcessBuilder pb = new ProcessBuilder(jdk.java().toString(), "-javaagent:" + jar, "-version")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.environment().put("REDIRECTGUARD_MODE", "strict");
                pb.environment().put("REDIRECT_GUARD_LOG", "x");
                pb.environment().put("X_REDIRECTGUARD_LOG", "x");
                Process p = pb.start();
                String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "JVM did not finish");
                assertEquals(0, p.exitValue(), stderr);
                List<String> lines = stderr.lines().filter(l -> l.startsWith("redirect-guard:")).toList();
                assertEquals(List.of("redirect-guard: environment variable REDIRECTGUARD_MODE: mode 'strict' is not"
                        + " off, audit or enforce; using the default, mode audit"), lines, stderr);
            }));
        }
        return tests;
    }
}
