package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each violation is also a JFR event {@code dev.redirectguard.Violation}, on every JDK of the
 * matrix (8u262+ has JFR too): a child recording from start-up makes one redirect per client in
 * audit and one in enforce; the recording it dumps at exit holds one event per log line, with
 * the log line's fields and the application's stack.
 */
class JfrEventIT extends WithOpsServer {

    @TestFactory
    Stream<DynamicTest> jfr() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
        tests.add(dynamicTest(jdk.label() + " violations are JFR events", () -> events(jdk)));
        });
    }

    private void events(JdkMatrix.Jdk jdk) throws Exception {
        Path dir = LogVolumeIT.runDir(jdk, "jfr");
        Path log = dir.resolve("agent.jsonl");
        Path recording = dir.resolve("recording.jfr");
        boolean hc = jdk.version() >= 11;
        try (OpsChildProcess child = new OpsChildProcess(jdk, ItFiles.CHILD_CLASSES, ItFiles.AGENT_JAR,
                "mode=audit,jmx=0,log=" + log, dir,
                List.of("-XX:StartFlightRecording=dumponexit=true,filename=" + recording))) {
            assertEquals("huc 308", child.send("huc " + server.url("/308")).trim());
            if (hc) {
                child.send("hc " + server.url("/303"));
            }
            assertEquals("jmx audit enforce", child.send("jmx enforce"));
            assertEquals("huc 200 GET ct=none", child.send("huc " + server.url("/308")).trim());
            if (hc) {
                child.send("hc " + server.url("/303"));
            }
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(recording) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(recording), "no recording written: " + ChildJvm.tail(dir.resolve("child-stderr.txt")));
        List<RecordedEvent> events = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().equals("dev.redirectguard.Violation")) {
                events.add(e);
            }
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(hc ? 4 : 2, lines.size(), lines.toString());
        assertEquals(lines.size(), events.size(), "one event per violation: " + events);
        events.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
        RecordedEvent huc = events.get(0);
        assertEquals("same-method-307-308", huc.getString("rule"));
        assertEquals("HttpURLConnection", huc.getString("client"));
        assertEquals("observed", huc.getString("action"));
        assertEquals(308, huc.getInt("status"));
        assertEquals(server.url("/echo"), huc.getString("to"));
        assertTrue(huc.getString("caller").startsWith("dev.redirectguard.it.child.OpsChild.huc(OpsChild.java:"),
                huc.getString("caller"));
        assertTrue(huc.getStackTrace() != null && huc.getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getType().getName().equals("dev.redirectguard.it.child.OpsChild")),
                "the application's stack is on the event");
        assertEquals(hc ? 2 : 1, events.stream().filter(e -> e.getString("action").equals("corrected")).count());
        assertEquals(hc ? 2 : 1, events.stream().filter(e -> e.getString("mode").equals("enforce")).count());
    }
}
