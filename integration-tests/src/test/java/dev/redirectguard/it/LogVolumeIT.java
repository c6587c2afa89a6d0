package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Log volume, on every JDK of the matrix: a hot loop of 100,000 identical violations (two
 * threads, HttpURLConnection GET answered 308 by a server in the child) leaves a bounded log and
 * exact counters. Collapsed: a few lines whose {@code repeats} add up to exactly 100,000, no line
 * dropped; callers read for the first hundred and then at most a hundred a second, the others
 * counted on lines that say their caller was not read. Rate-limited (no collapsing): lines written plus lines dropped are exactly 100,000,
 * and the lines stay within the rate. Rotated: the files stay within logMaxBytes x (logFiles + 1).
 */
class LogVolumeIT {
    private static final int N = 100_000;
    private static final Pattern RESULT = Pattern.compile(
            "flood requests=(\\d+) millis=(\\d+) observed=(\\d+) droppedLines=(\\d+)");
    private static final Pattern REPEATS = Pattern.compile("\"repeats\":(\\d+)");
    private static final Pattern DROPPED = Pattern.compile("\"dropped\":(\\d+)");

    /** What one flood child reported. */
    record Flood(long millis, long observed, long droppedLines, Path dir, Path log) {
    }

    @TestFactory
    Stream<DynamicTest> logVolume() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
        tests.add(dynamicTest(jdk.label() + " 100k identical violations collapse, counters exact", () -> collapsed(jdk)));
        tests.add(dynamicTest(jdk.label() + " 100k violations rate-limited, written + dropped exact", () -> rateLimited(jdk)));
        tests.add(dynamicTest(jdk.label() + " log rotates by size", () -> rotated(jdk)));
        });
    }

    private void collapsed(JdkMatrix.Jdk jdk) throws Exception {
        Flood f = flood(jdk, "collapsed", N, "logInterval=1");
        assertEquals(N, f.observed, "violations counted");
        assertEquals(0, f.droppedLines, "nothing dropped: two keys (caller read, caller not read), a line a second each");
        List<String> lines = Files.readAllLines(f.log);
        long represented = 0;
        long callerRead = 0;
        for (String l : lines) {
            Matcher m = REPEATS.matcher(l);
            long stands = m.find() ? Long.parseLong(m.group(1)) : 1;
            represented += stands;
            assertTrue(l.contains("\"rule\":\"same-method-307-308\"") && l.contains("\"action\":\"observed\""), l);
            if (l.contains("\"caller\":\"dev.redirectguard.it.child.FloodChild.get(FloodChild.java:")) {
                assertFalse(l.contains("callerUnread"), l);
                callerRead += stands;
            } else {
                assertTrue(l.contains("\"caller\":null,\"callerUnread\":true"), l);
            }
            assertFalse(l.contains("\"dropped\""), l);
        }
        assertEquals(N, represented, "the lines and their repeats stand for every violation");
        // Callers are read for the first 100 at once, then 100 a second (CallerSampling): a flood of
        // 100,000 takes far less than the 1,000 s that would read them all.
        assertTrue(callerRead >= 100, "the first hundred callers are read: " + callerRead);
        long readBound = 100 + 100 * (f.millis / 1000 + 1) + 1;
        assertTrue(callerRead <= readBound, callerRead + " callers read in " + f.millis + " ms, bound " + readBound);
        // Per key: the first line, then one summary per second of flood, then the final one at exit.
        long bound = 2 * (f.millis / 1000 + 3);
        assertTrue(lines.size() <= bound, lines.size() + " lines for " + f.millis + " ms, bound " + bound);
        assertTrue(lines.get(0).indexOf("repeats") < 0 && lines.get(0).contains("FloodChild.get("),
                "the first violation is written as it is, with its caller: " + lines.get(0));
    }

    private void rateLimited(JdkMatrix.Jdk jdk) throws Exception {
        Flood f = flood(jdk, "rate-limited", N, "logInterval=0,logRate=50");
        assertEquals(N, f.observed, "violations counted");
        List<String> lines = Files.readAllLines(f.log);
        assertEquals(N, lines.size() + f.droppedLines, "every violation is a written line or a dropped one");
        // A burst of one second's worth, then 50 a second while the flood lasts.
        long bound = 50 + 50 * (f.millis / 1000 + 1);
        assertTrue(lines.size() <= bound, lines.size() + " lines for " + f.millis + " ms, bound " + bound);
        long reported = 0;
        for (String l : lines) {
            Matcher m = DROPPED.matcher(l);
            reported += m.find() ? Long.parseLong(m.group(1)) : 0;
            assertFalse(l.contains("\"repeats\""), l);
        }
        assertTrue(reported > 0 && reported <= f.droppedLines, "dropped fields " + reported + " of " + f.droppedLines);
    }

    private void rotated(JdkMatrix.Jdk jdk) throws Exception {
        Flood f = flood(jdk, "rotated", 20_000, "logInterval=0,logRate=0,logMaxBytes=65536,logFiles=2");
        assertEquals(20_000, f.observed);
        for (String name : List.of("agent.jsonl", "agent.jsonl.1", "agent.jsonl.2")) {
            Path p = f.dir.resolve(name);
            assertTrue(Files.isRegularFile(p), name);
            assertTrue(Files.size(p) <= 65536, name + ": " + Files.size(p));
            for (String l : Files.readAllLines(p)) {
                assertTrue(l.startsWith("{\"ts\":") && l.endsWith("}"), "whole lines only: " + l);
                // Every line written: every caller read.
                assertTrue(l.contains("\"caller\":\"dev.redirectguard.it.child.FloodChild.get(FloodChild.java:")
                        && !l.contains("callerUnread"), l);
            }
        }
        assertFalse(Files.exists(f.dir.resolve("agent.jsonl.3")));
    }

    static Flood flood(JdkMatrix.Jdk jdk, String name, int requests, String agentArgs) throws Exception {
        Path dir = runDir(jdk, name);
        Path log = dir.resolve("agent.jsonl");
        List<String> cmd = List.of(jdk.java().toString(), "-Xshare:auto", "-Xmx128m",
                "-javaagent:" + ItFiles.AGENT_JAR + "=jmx=0,log=" + log + "," + agentArgs,
                "-cp", ItFiles.CHILD_CLASSES.toString(), "dev.redirectguard.it.child.FloodChild", String.valueOf(requests), "2");
        Path stdout = dir.resolve("child-stdout.txt");
        Path stderr = dir.resolve("child-stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("flood child did not finish: " + cmd);
        }
        String out = Files.readString(stdout);
        Matcher m = RESULT.matcher(out);
        assertTrue(p.exitValue() == 0 && m.find(), "exit " + p.exitValue() + "\n" + out + "\n" + ChildJvm.tail(stderr));
        List<String> agentLines = Files.readAllLines(stderr).stream().filter(l -> l.startsWith("redirect-guard")).toList();
        assertEquals(List.of(), agentLines, "agent complaints on the child's stderr");
        return new Flood(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), dir, log);
    }

    static Path runDir(JdkMatrix.Jdk jdk, String name) throws IOException {
        return ItFiles.recreate(ItFiles.BUILD_DIR.resolve("it-logs").resolve(jdk.label() + "-" + name));
    }
}
