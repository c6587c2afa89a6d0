package dev.redirectguard.log;

import dev.redirectguard.config.Mode;
import dev.redirectguard.config.Settings;
import dev.redirectguard.rules.RedirectPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogPipelineTest {
    private static final Pattern REPEATS = Pattern.compile("\"repeats\":(\\d+)");

    /** A hand-driven clock, settings that tests can switch, and a drop counter. */
    static final class Fixture implements LogPipeline.Source, LogPipeline.Clock {
        volatile Settings settings;
        long now = 1_000_000;
        final AtomicLong dropped = new AtomicLong();
        final LogPipeline pipeline;

        Fixture(int intervalSeconds, int rate) {
            settings = settings(Mode.AUDIT, intervalSeconds, rate);
            pipeline = new LogPipeline(this, this);
        }

        static Settings settings(Mode mode, int intervalSeconds, int rate) {
            return new Settings(mode, "stderr", RedirectPolicy.LegacyPostRedirect.GET, "Authorization", 5,
                    0, 1, intervalSeconds, rate, null);
        }

        @Override
        public Settings settings() {
            return settings;
        }

        @Override
        public void dropped(long lines) {
            dropped.addAndGet(lines);
        }

        @Override
        public long millis() {
            return now;
        }

        List<String> lines() {
            List<String> out = new ArrayList<>();
            pipeline.drainTo(out);
            return out;
        }
    }

    static ViolationRecord record(long ts, String caller, String to) {
        return new ViolationRecord(ts, "same-method-307-308", "HttpURLConnection", "audit", "observed", 308, "GET",
                "none: 3xx returned", "GET", "http://a.example:80/x", to, caller, "main", "308 not followed");
    }

    static long represented(List<String> lines) {
        long n = 0;
        for (String l : lines) {
            Matcher m = REPEATS.matcher(l);
            n += m.find() ? Long.parseLong(m.group(1)) : 1;
        }
        return n;
    }

    @Test
    void identicalViolationsCollapseIntoOneSummaryPerInterval() {
        Fixture f = new Fixture(10, 0);
        for (int i = 0; i < 1000; i++) {
            f.pipeline.submit(record(i, "A.run(A.java:1)", "http://b.example:80/p" + i));
        }
        List<String> lines = f.lines();
        assertEquals(1, lines.size(), lines.toString());
        assertFalse(lines.get(0).contains("repeats"));
        f.now += 9_999;
        f.pipeline.sweep();
        assertEquals(List.of(), f.lines(), "not before the interval is over");
        f.now += 1;
        f.pipeline.sweep();
        List<String> summary = f.lines();
        assertEquals(1, summary.size());
        assertTrue(summary.get(0).contains("\"repeats\":999,\"firstTs\":\"1970-01-01T00:00:00.001Z\""), summary.get(0));
        assertTrue(summary.get(0).contains("\"ts\":\"1970-01-01T00:00:00.999Z\""), summary.get(0));
        assertTrue(summary.get(0).contains("\"to\":\"http://b.example:80/p999\""), "the last one's fields");
        assertEquals(1000, represented(lines) + represented(summary));
        // A quiet key is forgotten after one more interval: the next violation has its own line again.
        f.now += 10_000;
        f.pipeline.sweep();
        f.pipeline.submit(record(5, "A.run(A.java:1)", "http://b.example:80/q"));
        List<String> again = f.lines();
        assertEquals(1, again.size());
        assertFalse(again.get(0).contains("repeats"));
    }

    @Test
    void aRepeatAfterTheIntervalWritesTheSummaryAtOnce() {
        Fixture f = new Fixture(1, 0);
        f.pipeline.submit(record(1, "A", "http://b:80/"));
        f.pipeline.submit(record(2, "A", "http://b:80/"));
        f.now += 1000;
        f.pipeline.submit(record(3, "A", "http://b:80/"));
        List<String> lines = f.lines();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("\"repeats\":2"), lines.get(1));
    }

    @Test
    void otherCallerOrOriginOrRuleIsAnotherKey() {
        Fixture f = new Fixture(60, 0);
        f.pipeline.submit(record(1, "A", "http://b:80/1"));
        f.pipeline.submit(record(1, "A", "http://b:80/2"));   // same origin: folded
        f.pipeline.submit(record(1, "B", "http://b:80/1"));   // other caller
        f.pipeline.submit(record(1, "A", "http://c:80/1"));   // other origin
        f.pipeline.submit(record(1, "A", "https://b:443/1")); // other scheme
        assertEquals(4, f.lines().size());
    }

    @Test
    void aSettingsChangeSummarisesAndStartsOver() {
        Fixture f = new Fixture(60, 0);
        f.pipeline.submit(record(1, "A", "http://b:80/"));
        f.pipeline.submit(record(2, "A", "http://b:80/"));
        f.settings = f.settings.withMode(Mode.ENFORCE);
        f.pipeline.submit(record(3, "A", "http://b:80/"));
        List<String> lines = f.lines();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("\"repeats\":1"), lines.get(1));
        assertFalse(lines.get(2).contains("repeats"), "the first after a switch has its own line");
    }

    @Test
    void intervalZeroWritesEveryViolation() {
        Fixture f = new Fixture(0, 0);
        for (int i = 0; i < 50; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        assertEquals(50, f.lines().size());
    }

    @Test
    void rateLimitDropsAndCountsAndTheNextWrittenLineSaysSo(@TempDir File dir) throws Exception {
        Fixture f = new Fixture(0, 10);
        for (int i = 0; i < 25; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        List<String> lines = f.lines();
        assertEquals(10, lines.size(), "a burst of one second's worth");
        assertEquals(15, f.dropped.get());
        f.now += 500;
        for (int i = 0; i < 25; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        assertEquals(5, f.lines().size(), "then the rate");
        assertEquals(35, f.dropped.get());
        File log = new File(dir, "x.jsonl");
        f.settings = new Settings(Mode.AUDIT, log.getPath(), RedirectPolicy.LegacyPostRedirect.GET, "Authorization", 5,
                0, 1, 0, 10, null);
        f.pipeline.write(lines.get(0));
        f.pipeline.write(lines.get(1));
        List<String> written = Files.readAllLines(log.toPath());
        assertTrue(written.get(0).endsWith(",\"dropped\":35}"), written.get(0));
        assertFalse(written.get(1).contains("dropped"), written.get(1));
    }

    @Test
    void aFullQueueDropsInsteadOfBlocking() {
        Fixture f = new Fixture(0, 0);
        int n = LogPipeline.QUEUE_CAPACITY + 100;
        for (int i = 0; i < n; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        assertEquals(LogPipeline.QUEUE_CAPACITY, f.lines().size());
        assertEquals(100, f.dropped.get());
        assertEquals(100, f.pipeline.droppedSinceLine());
    }

    @Test
    void closeSummarisesWhatIsFolded() {
        Fixture f = new Fixture(60, 0);
        for (int i = 0; i < 7; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        f.pipeline.close(0);
        List<String> lines = f.lines();
        assertEquals(2, lines.size());
        assertEquals(7, represented(lines));
    }

    @Test
    void concurrentFloodIsCountedExactly() throws Exception {
        Fixture f = new Fixture(60, 0);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 25_000; i++) {
                    f.pipeline.submit(record(i, "A", "http://b:80/"));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        f.pipeline.close(0);
        List<String> lines = f.lines();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(100_000, represented(lines));
    }

    @Test
    void origin() {
        assertEquals("http://b:80", LogPipeline.origin("http://b:80/x/y"));
        assertEquals("https://b:443", LogPipeline.origin("https://b:443"));
    }

    @Test
    void rotationKeepsFilesRotatedFiles(@TempDir File dir) throws Exception {
        File log = new File(dir, "r.jsonl");
        LogSink sink = new LogSink(log.getPath(), 1024, 2);
        String line = "x".repeat(99); // 100 bytes with the newline
        for (int i = 0; i < 45; i++) {
            assertTrue(sink.write(line));
        }
        sink.close();
        assertEquals(500, log.length());
        assertEquals(1000, new File(dir, "r.jsonl.1").length());
        assertEquals(1000, new File(dir, "r.jsonl.2").length());
        assertFalse(new File(dir, "r.jsonl.3").exists());
        // An existing file counts: appending continues it, rotation still happens at the size.
        LogSink again = new LogSink(log.getPath(), 1024, 2);
        for (int i = 0; i < 6; i++) {
            again.write(line);
        }
        again.close();
        assertEquals(100, log.length());
    }
}
