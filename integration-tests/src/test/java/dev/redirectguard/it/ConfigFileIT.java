package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code config=<path>}, on every JDK of the matrix: a running application is switched by
 * editing its config file; 2 s after each edit (the promise), the very next redirect follows the
 * new mode. An invalid file keeps the last good settings and says so in one stderr line naming
 * the file and the key. Started with mode=off in the file, the agent still installs, so an edit
 * can switch it on.
 */
class ConfigFileIT extends WithOpsServer {
    private static final long TAKES_EFFECT_MILLIS = 2000;

    @TestFactory
    Stream<DynamicTest> configFile() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
        tests.add(dynamicTest(jdk.label() + " mode switched by editing the config file", () -> switched(jdk)));
        });
    }

    private void switched(JdkMatrix.Jdk jdk) throws Exception {
        Path dir = LogVolumeIT.runDir(jdk, "config");
        Path log = dir.resolve("agent.jsonl");
        Path config = dir.resolve("redirect-guard.properties");
        edit(config, "# redirect-guard settings\nmode = off\n");
        try (OpsChildProcess child = new OpsChildProcess(jdk, ItFiles.CHILD_CLASSES, ItFiles.AGENT_JAR,
                "config=" + config + ",jmx=off,log=" + log, dir)) {
            probe(child, jdk, "off", log);
            edit(config, "mode = audit\nlogInterval = 0\n");
            probe(child, jdk, "audit", log);
            edit(config, "mode = enforce\nlogInterval = 0\n");
            probe(child, jdk, "enforce", log);

            edit(config, "mode = strict\nlogInterval = 0\n");
            probe(child, jdk, "enforce", log);
            List<String> agentLines = agentLines(child.stderr);
            assertEquals(1, agentLines.size(), agentLines.toString());
            assertTrue(agentLines.get(0).startsWith("redirect-guard: config file " + config
                    + " key mode: mode 'strict' is not off, audit or enforce; keeping the last good settings (mode=enforce,"),
                    agentLines.get(0));

            edit(config, "mode = audit\nlogInterval = 0\n");
            probe(child, jdk, "audit", log);
            assertEquals(1, agentLines(child.stderr).size(), "a good file again: nothing more to say");
        }
    }

    /** Replaced in one move, as deployment tools do; then the promised time passes. */
    private static void edit(Path config, String content) throws Exception {
        Path tmp = config.resolveSibling(config.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(TAKES_EFFECT_MILLIS);
    }

    /** One redirect with each client; the answer and the new log lines must be those of {@code mode}. */
    private static void probe(OpsChildProcess child, JdkMatrix.Jdk jdk, String mode, Path log) throws Exception {
        boolean enforce = mode.equals("enforce");
        String action = switch (mode) {
            case "audit" -> "\"action\":\"observed\"";
            case "enforce" -> "\"action\":\"corrected\"";
            default -> null;
        };
        int before = lines(log).size();
        assertEquals(enforce ? "huc 200 GET ct=none" : "huc 308", child.send("huc " + server.url("/308")).trim(),
                jdk.label() + " " + mode);
        int expected = 1;
        if (jdk.version() >= 11) {
            assertEquals(enforce ? "hc 200 GET ct=none" : "hc 200 GET ct=text/plain", child.send("hc " + server.url("/303")),
                    jdk.label() + " " + mode);
            expected = 2;
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> now = lines(log);
        while (action != null && now.size() < before + expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = lines(log);
        }
        List<String> added = now.subList(before, now.size());
        if (action == null) {
            assertEquals(List.of(), added, mode + ": no line");
            return;
        }
        assertEquals(expected, added.size(), added.toString());
        for (String l : added) {
            assertTrue(l.contains(action), mode + ": " + l);
        }
    }

    private static List<String> lines(Path log) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static List<String> agentLines(Path stderr) throws Exception {
        return Files.readAllLines(stderr).stream().filter(l -> l.startsWith("redirect-guard")).toList();
    }
}
