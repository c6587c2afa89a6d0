package dev.redirectguard.it;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A bad setting never stops a JVM: each one is one line on stderr naming it, and the agent runs
 * on with the defaults, in audit. On every JDK of the matrix.
 */
class BadSettingsIT {
    private static final String FALLBACK = "; using the default, mode audit";

    @TestFactory
    List<DynamicTest> badSettingsGiveOneLineEachAndTheJvmRuns() {
        return perJdk("bad settings", "=mode=strict,colour=blue", List.of("-Dredirectguard.logg=x"), Map.of(),
                (lines, stderr) -> {
                    assertEquals(3, lines.size(), stderr);
                    assertTrue(lines.get(0).startsWith("redirect-guard: unknown system property redirectguard.logg"
                            + " (known keys: mode, log, ") && lines.get(0).endsWith(FALLBACK), lines.get(0));
                    assertTrue(lines.get(1).startsWith("redirect-guard: unknown agent argument key 'colour'"
                            + " (known keys: mode, log, ") && lines.get(1).endsWith(FALLBACK), lines.get(1));
                    assertEquals("redirect-guard: agent argument mode: mode 'strict' is not off, audit or enforce"
                            + FALLBACK, lines.get(2));
                });
    }

    /**
     * A setting named only by the environment is read (start-up looks for the agent's variables in
     * the environment the JVM started with before it asks the JDK for it), and a variable that only
     * looks like one is not.
     */
    @TestFactory
    List<DynamicTest> aSettingInTheEnvironmentAloneIsRead() {
        return perJdk("environment alone", "", List.of(),
                Map.of("REDIRECTGUARD_MODE", "strict", "REDIRECT_GUARD_LOG", "x", "X_REDIRECTGUARD_LOG", "x"),
                (lines, stderr) -> assertEquals(List.of("redirect-guard: environment variable REDIRECTGUARD_MODE:"
                        + " mode 'strict' is not off, audit or enforce" + FALLBACK), lines, stderr));
    }

    /**
     * One test per JDK: {@code java -javaagent:<jar><agentArgs> <options> -version} with {@code env}
     * added, which must exit 0; {@code check} gets the agent's lines of its stderr, and all of it for messages.
     *
     * @param agentArgs {@code "=..."}, or {@code ""} for none
     */
    private static List<DynamicTest> perJdk(String name, String agentArgs, List<String> options,
                                            Map<String, String> env, BiConsumer<List<String>, String> check) {
        Path jar = ItFiles.AGENT_JAR;
        List<DynamicTest> tests = new ArrayList<>();
        for (JdkMatrix.Jdk jdk : JdkMatrix.selected()) {
            tests.add(DynamicTest.dynamicTest(jdk.label() + " " + name, () -> {
                if (jdk.problem() != null) {
                    fail(jdk.problem());
                }
                assertTrue(Files.isRegularFile(jar), "agent jar missing at " + jar);
                List<String> command = new ArrayList<>(List.of(jdk.java().toString(), "-javaagent:" + jar + agentArgs));
                command.addAll(options);
                command.add("-version");
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.environment().putAll(env);
                Process p = pb.start();
                String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "JVM did not finish");
                assertEquals(0, p.exitValue(), stderr);
                check.accept(stderr.lines().filter(l -> l.startsWith("redirect-guard:")).toList(), stderr);
            }));
        }
        return tests;
    }
}
