package dev.redirectguard.it;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An idle agent costs nothing: once its start-up work is done (the MBean registered), the agent's
 * thread wakes once a second for the config file and otherwise sleeps. It once spun for the life
 * of the JVM after registering the MBean (a past due time made every wait zero): about a fifth of
 * a core. Asserted with a wide margin either way: under 5 % of one core over 3 s, where the spin
 * used 15-20 %, and an idle thread well under 1 %. On every JDK of the matrix.
 */
class IdleAgentIT {
    private static final long IDLE_MILLIS = 3000;

    @TestFactory
    List<DynamicTest> theAgentsThreadSleepsWhenThereIsNothingToDo() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JdkMatrix.Jdk jdk : JdkMatrix.selected()) {
            tests.add(DynamicTest.dynamicTest(jdk.label() + " idle", () -> {
                if (jdk.problem() != null) {
                    fail(jdk.problem());
                }
                Process p = new ProcessBuilder(jdk.java().toString(),
                        "-javaagent:" + ItFiles.AGENT_JAR + "=jmx=0", "-cp", ItFiles.CHILD_CLASSES.toString(),
                        "dev.redirectguard.it.child.IdleChild", String.valueOf(IDLE_MILLIS))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not finish");
                assertEquals(0, p.exitValue(), out);
                String[] w = out.split(" ");
                assertTrue(w.length == 4 && w[0].equals("cpu") && w[2].equals("wall"), out);
                long cpu = Long.parseLong(w[1]);
                long wall = Long.parseLong(w[3]);
                assertTrue(cpu * 20 < wall, "the agent's thread used " + cpu / 1_000_000 + " ms of CPU in "
                        + wall / 1_000_000 + " ms of an idle JVM");
            }));
        }
        return tests;
    }
}
