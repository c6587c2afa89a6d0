package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.redirectguard.it.child.security.LeakApp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 10, Found 5 and requirement 4, on every JDK of the matrix: a web application's class
 * loader that made violating requests (HttpURLConnection; HttpClient with Redirect.NORMAL on 11+)
 * from a thread of its own thread group, with itself as context class loader and one of its
 * objects in an InheritableThreadLocal, is garbage-collected once dropped ({@link LeakApp}):
 * without the agent (the baseline, which shows the application itself lets go), in audit and in
 * enforce. And every agent thread is a daemon with a null context class loader, in the system
 * thread group, with no inherited thread-locals (read by reflection on java.lang.Thread, which
 * this child alone opens on 9+).
 */
class ClassLoaderLeakIT extends WithEchoServer {
    private static final Path DIR = ItFiles.BUILD_DIR.resolve("security").resolve("class-loader-leak");
    private static final String CLEAN = "redirect-guard\tdaemon=true\tccl=null\tgroup=system\tsystemGroup=true\tinherited=0";

    @TestFactory
    Stream<DynamicTest> droppedLoaderIsCollected() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
            for (String mode : List.of("none", "audit", "enforce")) {
                tests.add(dynamicTest(jdk.label() + " " + (mode.equals("none") ? "without the agent" : mode)
                        + ": the dropped class loader is collected, agent threads clean", () -> run(jdk, mode)));
            }
        });
    }

    private void run(JdkMatrix.Jdk jdk, String mode) throws Exception {
        String runId = "leak-" + jdk.label() + "-" + mode;
        List<String> calls = AppCallsOracle.calls(jdk, List.of("post303"));
        List<String> options = jdk.version() >= 9 ? List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED") : List.of();
        List<String> args = new ArrayList<>(List.of(server.base() + "/" + runId, ItFiles.CHILD_CLASSES.toString()));
        args.addAll(calls);
        SecurityChild.Run run = SecurityChild.run(jdk, DIR.resolve(runId), options,
                mode.equals("none") ? null : "mode=" + mode + ",jmx=off,logInterval=0,logRate=0",
                ItFiles.CHILD_CLASSES.toString(), LeakApp.class.getName(), args, null);
        String why = run.describe();
        assertEquals(0, run.exitCode(), why);
        assertTrue(run.stdout().contains("done"), why);
        assertEquals(calls.stream().map(c -> c + "\t200 ok:" + c).toList(), run.lines("result"), why);
        String loader = run.lines("plugin-loader").stream().findFirst().orElse("no plugin-loader line");
        assertTrue(loader.startsWith("collected after "), loader + "\n" + why);
        List<String> expectedThreads = mode.equals("none") ? List.of()
                : List.of(CLEAN + "\tafter-calls", CLEAN + "\tat-end");
        assertEquals(expectedThreads, run.lines("agent-thread"), why);
        if (!mode.equals("none")) {
            for (String call : calls) {
                assertTrue(run.log().stream().anyMatch(l -> String.valueOf(l.text("from")).endsWith("/" + runId + "/" + call
                        + "/start")), "the violation of " + call + " was logged\n" + why);
            }
        }
        assertEquals(List.of(), run.agentStderr(), why);
    }
}
