package dev.redirectguard.log;

import dev.redirectguard.config.Mode;
import dev.redirectguard.config.Settings;
import dev.redirectguard.rules.RedirectPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogPipelineTest {
    private static final Pattern REPEATS = Pattern.compile("\"repeats\":(\\d+)");
    private static final Pattern CALLER = Pattern.compile("\"caller\":\"([^\"]*)\"");
    private static final Pattern TS = Pattern.compile("\"ts\":\"([^\"]*)\"");
    private static final Pattern FIRST_TS = Pattern.compile("\"firstTs\":\"([^\"]*)\"");
    private static final long WAIT_SECONDS = 60; // a failure bound only: every wait here is for an event

    /**
     * A hand-driven clock (or one that ticks a millisecond per read, for races that must cover
     * many intervals without sleeping), settings that tests can switch, and a drop counter.
     */
    static final class Fixture implements LogPipeline.Source, LogPipeline.Clock {
        volatile Settings settings;
        final AtomicLong time = new AtomicLong(1_000_000);
        volatile long tick;
        final AtomicLong dropped = new AtomicLong();
        final LogPipeline pipeline;

        Fixture(int intervalSeconds, int rate) {
            this("stderr", intervalSeconds, rate);
        }

        /** Writes to {@code log}: for tests of what the writer and close() put in the file. */
        Fixture(String log, int intervalSeconds, int rate) {
            settings = settings(log, intervalSeconds, rate);
            pipeline = new LogPipeline(this, this);
        }

        static Settings settings(String log, int intervalSeconds, int rate) {
            return new Settings(Mode.AUDIT, log, RedirectPolicy.LegacyPostRedirect.GET, "Authorization", 5,
                    0, 1, intervalSeconds, rate, null);
        }

        /** The same values, another instance: what a config file edit that changes nothing looks like. */
        void newSettingsInstance() {
            settings = settings.withMode(settings.mode());
        }

        void advance(long millis) {
            time.addAndGet(millis);
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
            return time.getAndAdd(tick);
        }

        /** Queued lines, taken off the queue. */
        List<String> lines() {
            List<String> out = new ArrayList<>();
            pipeline.drainTo(out);
            return out;
        }
    }

    static ViolationRecord record(long ts, String caller, String to) {
        return record(ts, caller, to, null);
    }

    static ViolationRecord record(long ts, String caller, String to, String scope) {
        return new ViolationRecord(ts, "same-method-307-308", "HttpURLConnection", "enforce", "observed", scope, 308,
                "GET", "none: 3xx returned", "GET", "http://a.example:80/x", to, caller, "main", "308 not followed");
    }

    static long represented(List<String> lines) {
        long n = 0;
        for (String l : lines) {
            Matcher m = REPEATS.matcher(l);
            n += m.find() ? Long.parseLong(m.group(1)) : 1;
        }
        return n;
    }

    static List<String> read(File log) throws IOException {
        return log.exists() ? Files.readAllLines(log.toPath()) : List.of();
    }

    /** Starts {@code threads} threads at once (a barrier), each running {@code body} with its index. */
    static void race(int threads, ThreadBody body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    body.run(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            all.add(th);
            th.start();
        }
        for (Thread th : all) {
            th.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(th.isAlive(), "a submitting thread did not finish");
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    interface ThreadBody {
        void run(int thread) throws Exception;
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
        f.advance(9_999);
        f.pipeline.sweep();
        assertEquals(List.of(), f.lines(), "not before the interval is over");
        f.advance(1);
        f.pipeline.sweep();
        List<String> summary = f.lines();
        assertEquals(1, summary.size());
        assertTrue(summary.get(0).contains("\"repeats\":999,\"firstTs\":\"1970-01-01T00:00:00.001Z\""), summary.get(0));
        assertTrue(summary.get(0).contains("\"ts\":\"1970-01-01T00:00:00.999Z\""), summary.get(0));
        assertTrue(summary.get(0).contains("\"to\":\"http://b.example:80/p999\""), "the last one's fields");
        assertEquals(1000, represented(lines) + represented(summary));
        // A quiet key is forgotten after one more interval: the next violation has its own line again.
        f.advance(10_000);
        f.pipeline.sweep();
        assertEquals(0, f.pipeline.keys());
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
        f.advance(1000);
        f.pipeline.submit(record(3, "A", "http://b:80/"));
        List<String> lines = f.lines();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("\"repeats\":2"), lines.get(1));
        // That summary was the key's line: the next repeat waits for a whole interval again.
        f.advance(999);
        f.pipeline.submit(record(4, "A", "http://b:80/"));
        f.pipeline.sweep();
        assertEquals(List.of(), f.lines());
    }

    @Test
    void otherCallerOriginRuleOrScopeIsAnotherKey() {
        Fixture f = new Fixture(60, 0);
        f.pipeline.submit(record(1, "A", "http://b:80/1"));
        f.pipeline.submit(record(1, "A", "http://b:80/2"));   // same origin: folded
        f.pipeline.submit(record(1, "B", "http://b:80/1"));   // other caller
        f.pipeline.submit(record(1, "A", "http://c:80/1"));   // other origin
        f.pipeline.submit(record(1, "A", "https://b:443/1")); // other scheme
        f.pipeline.submit(record(1, "A", "http://b:80"));     // same origin, no path: folded
        f.pipeline.submit(record(1, "A", "http://b:80/1", "target")); // other scope
        f.pipeline.submit(record(1, "A", "http://b:80/2", "target")); // folded
        f.pipeline.submit(record(1, "A", "http://b:80/1", "caller")); // other scope
        f.pipeline.submit(record(1, null, null));
        f.pipeline.submit(record(1, null, null));             // nulls are values too: folded
        f.pipeline.submit(unread(1, "http://b:80/1"));        // a caller not read is not an unknown one
        f.pipeline.submit(unread(1, "http://b:80/2"));        // folded
        f.pipeline.submit(record(1, null, "http://b:80/1"));  // unknown caller: another key
        List<String> lines = f.lines();
        assertEquals(9, lines.size(), lines.toString());
        assertEquals(1, lines.stream().filter(l -> l.contains("\"callerUnread\":true")).count(), lines.toString());
    }

    static ViolationRecord unread(long ts, String to) {
        return new ViolationRecord(ts, "same-method-307-308", "HttpURLConnection", "audit", "observed", null, 308,
                "GET", "none: 3xx returned", "GET", "http://a.example:80/x", to, null, true, "main", "308 not followed");
    }

    @Test
    void keysCompareTheOriginInPlace() {
        LogPipeline.Key a = new LogPipeline.Key(record(1, "A", "http://b:80/x?"));
        LogPipeline.Key b = new LogPipeline.Key(record(2, "A", "http://b:80/y/z"));
        LogPipeline.Key c = new LogPipeline.Key(record(2, "A", "http://b:81/x"));
        LogPipeline.Key d = new LogPipeline.Key(record(2, "A", "http://b:80/x", "rule"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
        assertNotEquals(a, d);
        assertEquals("http://b:80", LogPipeline.origin("http://b:80/x/y"));
        assertEquals("https://b:443", LogPipeline.origin("https://b:443"));
        assertNull(LogPipeline.origin(null));
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
    void theSweepNoticesASettingsChangeToo() {
        Fixture f = new Fixture(60, 100);
        for (int i = 0; i < 5; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
            f.pipeline.submit(record(i, "B", "http://b:80/"));
        }
        f.pipeline.submit(record(9, "C", "http://b:80/"));
        assertEquals(3, f.lines().size());
        f.newSettingsInstance();
        f.pipeline.sweep();
        List<String> summaries = f.lines();
        assertEquals(2, summaries.size(), "C had no repeats: nothing to say");
        assertEquals(8, represented(summaries));
        assertEquals(0, f.pipeline.keys(), "every key forgotten");
    }

    @Test
    void aSettingsChangeTakenUpByAnotherThreadFirstStillStartsTheKeyOver() throws Exception {
        Fixture f = new Fixture(60, 0);
        f.pipeline.submit(record(1, "A", "http://b:80/"));
        f.pipeline.submit(record(2, "A", "http://b:80/"));
        f.newSettingsInstance();
        // The writer's sweep installs the new settings first; the application thread's next
        // violation still gets its own line, not a fold into the key of the old settings.
        Thread writer = new Thread(f.pipeline::sweep);
        writer.start();
        writer.join();
        f.pipeline.submit(record(3, "A", "http://b:80/"));
        List<String> lines = f.lines();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("\"repeats\":1"));
        assertFalse(lines.get(2).contains("repeats"));
    }

    @Test
    void intervalZeroWritesEveryViolation() {
        Fixture f = new Fixture(0, 0);
        for (int i = 0; i < 50; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        assertEquals(50, f.lines().size());
        assertEquals(0, f.pipeline.keys());
    }

    @Test
    void beyondMaxKeysViolationsAreNotCollapsed() {
        Fixture f = new Fixture(60, 0);
        int own = 0;
        for (int i = 0; i < LogPipeline.MAX_KEYS; i++) {
            f.pipeline.submit(record(i, "C" + i, "http://b:80/"));
            if (i % 1000 == 0) {
                own += f.lines().size();
            }
        }
        own += f.lines().size();
        assertEquals(LogPipeline.MAX_KEYS, own);
        f.pipeline.submit(record(1, "new", "http://b:80/"));
        f.pipeline.submit(record(2, "new", "http://b:80/"));
        f.pipeline.submit(record(3, "C0", "http://b:80/")); // a known key still folds
        assertEquals(2, f.lines().size());
        assertEquals(LogPipeline.MAX_KEYS, f.pipeline.keys());
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
        f.advance(500);
        for (int i = 0; i < 25; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        assertEquals(5, f.lines().size(), "then the rate");
        assertEquals(35, f.dropped.get());
        File log = new File(dir, "x.jsonl");
        f.settings = Fixture.settings(log.getPath(), 0, 10);
        f.pipeline.write(lines.get(0));
        f.pipeline.write(lines.get(1));
        List<String> written = read(log);
        assertTrue(written.get(0).endsWith(",\"dropped\":35}"), written.get(0));
        assertFalse(written.get(1).contains("dropped"), written.get(1));
        assertEquals(0, f.pipeline.droppedSinceLine());
    }

    @Test
    void rateLimitIsExactForFractionsOfALine() {
        Fixture f = new Fixture(0, 3);
        for (int i = 0; i < 5; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        assertEquals(3, f.lines().size());
        f.advance(333); // 0.999 of a line
        f.pipeline.submit(record(1, "A", "http://b:80/"));
        assertEquals(0, f.lines().size());
        f.advance(1);
        f.pipeline.submit(record(2, "A", "http://b:80/"));
        f.pipeline.submit(record(3, "A", "http://b:80/"));
        assertEquals(1, f.lines().size());
        f.advance(60_000); // a long quiet time refills only up to the burst
        for (int i = 0; i < 5; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        assertEquals(3, f.lines().size());
        assertEquals(2 + 1 + 1 + 2, f.dropped.get());
    }

    @Test
    void aRateChangeTakesEffectOnTheNextLine() {
        Fixture f = new Fixture(0, 2);
        for (int i = 0; i < 5; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        assertEquals(2, f.lines().size());
        f.settings = Fixture.settings("stderr", 0, 4);
        for (int i = 0; i < 5; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        assertEquals(4, f.lines().size(), "a new rate starts with a full bucket of its own");
        f.settings = Fixture.settings("stderr", 0, 0);
        for (int i = 0; i < 50; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        assertEquals(50, f.lines().size(), "0: no limit");
    }

    @Test
    void rateLimitIsExactAcrossThreads() throws Exception {
        Fixture f = new Fixture(0, 100);
        race(8, t -> {
            for (int i = 0; i < 500; i++) {
                f.pipeline.submit(record(i, "T" + t, "http://b:80/"));
            }
        });
        assertEquals(100, f.lines().size(), "the clock stood still: one burst, whatever the interleaving");
        assertEquals(3900, f.dropped.get());
        f.advance(250);
        race(8, t -> {
            for (int i = 0; i < 500; i++) {
                f.pipeline.submit(record(i, "T" + t, "http://b:80/"));
            }
        });
        assertEquals(25, f.lines().size());
        assertEquals(3900 + 3975, f.dropped.get());
        assertEquals(3900 + 3975, f.pipeline.droppedSinceLine());
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
    void aFullQueueIsExactAcrossThreads() throws Exception {
        Fixture f = new Fixture(0, 0);
        race(8, t -> {
            for (int i = 0; i < 500; i++) {
                f.pipeline.submit(record(i, "T" + t, "http://b:80/"));
            }
        });
        assertEquals(LogPipeline.QUEUE_CAPACITY, f.lines().size());
        assertEquals(4000 - LogPipeline.QUEUE_CAPACITY, f.dropped.get());
        // Taken off the queue, there is room again.
        f.pipeline.submit(record(1, "A", "http://b:80/"));
        assertEquals(1, f.lines().size());
    }

    @Test
    void closeSummarisesWhatIsFoldedAndWritesWhatIsQueued(@TempDir File dir) throws Exception {
        File log = new File(dir, "c.jsonl");
        Fixture f = new Fixture(log.getPath(), 60, 0);
        for (int i = 0; i < 7; i++) {
            f.pipeline.submit(record(i, "A", "http://b:80/"));
        }
        f.pipeline.close(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        List<String> lines = read(log);
        assertEquals(2, lines.size(), lines.toString());
        assertFalse(lines.get(0).contains("repeats"));
        assertTrue(lines.get(1).contains("\"repeats\":6,\"firstTs\":\"1970-01-01T00:00:00.001Z\""), lines.get(1));
        f.pipeline.close(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        f.pipeline.writePending();
        assertEquals(lines, read(log), "nothing is written twice");
        // The key lives on: a later repeat is summarised by the next close.
        f.pipeline.submit(record(8, "A", "http://b:80/"));
        f.pipeline.close(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertEquals(3, read(log).size());
        assertEquals(8, represented(read(log)));
    }

    @Test
    void closeWhileTheWriterRunsWritesEveryLineOnce(@TempDir File dir) throws Exception {
        File log = new File(dir, "w.jsonl");
        Fixture f = new Fixture(log.getPath(), 0, 0);
        int n = 5000;
        CountDownLatch halfway = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                f.pipeline.awaitWork(TimeUnit.SECONDS.toNanos(WAIT_SECONDS));
                f.pipeline.writePending();
            }
        });
        writer.start();
        Thread submitter = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                f.pipeline.submit(record(i, "A", "http://b:80/p" + i));
                if (i == n / 2) {
                    halfway.countDown();
                }
            }
        });
        submitter.start();
        assertTrue(halfway.await(WAIT_SECONDS, TimeUnit.SECONDS));
        f.pipeline.close(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)); // the shutdown hook, while both run
        submitter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(submitter.isAlive());
        f.pipeline.close(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        writer.interrupt();
        writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(writer.isAlive());
        List<String> lines = read(log);
        Set<String> targets = new HashSet<>();
        for (String l : lines) {
            assertTrue(l.startsWith("{\"ts\":") && l.endsWith("}"), "whole lines only: " + l);
            Matcher m = Pattern.compile("\"to\":\"([^\"]*)\"").matcher(l);
            assertTrue(m.find(), l);
            assertTrue(targets.add(m.group(1)), "written twice: " + m.group(1));
        }
        assertEquals(n, lines.size() + f.dropped.get(), "every violation written once or dropped");
    }

    @Test
    void writePendingSweepsAboutOnceASecond(@TempDir File dir) throws Exception {
        File log = new File(dir, "s.jsonl");
        Fixture f = new Fixture(log.getPath(), 1, 0);
        f.pipeline.submit(record(1, "A", "http://b:80/"));
        f.pipeline.submit(record(2, "A", "http://b:80/"));
        f.pipeline.writePending();
        assertEquals(1, read(log).size());
        f.advance(999);
        f.pipeline.writePending();
        assertEquals(1, read(log).size(), "neither sweep nor interval due");
        f.advance(1);
        f.pipeline.writePending();
        List<String> lines = read(log);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("\"repeats\":1"), lines.get(1));
    }

    @Test
    void awaitWorkReturnsAtOnceWhenLinesAreQueuedAndAtTheTimeoutWhenNot() {
        Fixture f = new Fixture(0, 0);
        assertFalse(f.pipeline.awaitWork(0));
        assertFalse(f.pipeline.awaitWork(TimeUnit.MILLISECONDS.toNanos(1)));
        f.pipeline.submit(record(1, "A", "http://b:80/"));
        assertTrue(f.pipeline.awaitWork(0));
        assertTrue(f.pipeline.awaitWork(Long.MAX_VALUE));
        f.lines();
        Thread.currentThread().interrupt();
        try {
            assertFalse(f.pipeline.awaitWork(Long.MAX_VALUE), "an interrupt ends the wait");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aSubmitWakesTheParkedWriter() throws Exception {
        Fixture f = new Fixture(0, 0);
        AtomicReference<Boolean> result = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            result.set(f.pipeline.awaitWork(TimeUnit.MINUTES.toNanos(10)));
            returned.countDown();
        });
        writer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (writer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.TIMED_WAITING, writer.getState(), "the writer parks");
        f.pipeline.submit(record(1, "A", "http://b:80/"));
        assertTrue(returned.await(WAIT_SECONDS, TimeUnit.SECONDS), "woken by the submit, not by its 10 min timeout");
        assertTrue(result.get());
    }

    @Test
    void concurrentFloodIsCountedExactly(@TempDir File dir) throws Exception {
        File log = new File(dir, "f.jsonl");
        Fixture f = new Fixture(log.getPath(), 60, 0);
        race(4, t -> {
            for (int i = 0; i < 25_000; i++) {
                f.pipeline.submit(record(i, "A", "http://b:80/"));
            }
        });
        f.pipeline.close(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        List<String> lines = read(log);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(100_000, represented(lines));
    }

    /**
     * Eight threads, a clock that moves a millisecond per read (so the race covers many 1 s
     * intervals), the writer draining and sweeping on the test thread at the same time, keys that
     * go quiet and are forgotten mid-race, and a settings change mid-race: whatever the
     * interleaving, every violation is in exactly one written line, each summary is sane, and
     * nothing is dropped.
     */
    @Test
    void summariesForgettingAndASettingsChangeUnderARaceAccountForEveryViolation(@TempDir File dir)
            throws Exception {
        File log = new File(dir, "r.jsonl");
        Fixture f = new Fixture(log.getPath(), 1, 0);
        f.tick = 1;
        int threads = 8;
        int perThread = 20_000;
        Map<String, AtomicLong> submitted = new HashMap<>();
        for (String c : List.of("A", "B", "C")) {
            submitted.put(c, new AtomicLong());
        }
        for (int t = 0; t < threads; t++) {
            submitted.put("rare" + t, new AtomicLong());
        }
        CountDownLatch done = new CountDownLatch(threads);
        Thread writer = new Thread(() -> {
            while (done.getCount() > 0) {
                f.pipeline.writePending();
            }
        });
        writer.start();
        try {
            race(threads, t -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        // A rare key goes quiet for thousands of clock ticks: the sweep forgets it.
                        String caller = i % 1000 == 999 ? "rare" + t : List.of("A", "B", "C").get(i % 3);
                        f.pipeline.submit(record(1_000_000L * t + i, caller, "http://b:80/" + i));
                        submitted.get(caller).incrementAndGet();
                        if (t == 0 && i == perThread / 2) {
                            f.newSettingsInstance();
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        } finally {
            writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        assertFalse(writer.isAlive());
        f.pipeline.writePending();
        f.pipeline.close(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        List<String> lines = read(log);
        assertEquals(0, f.dropped.get(), "far fewer lines than the queue holds: none dropped");
        Map<String, Long> represented = new HashMap<>();
        for (String l : lines) {
            assertFalse(l.contains("dropped"), l);
            Matcher caller = CALLER.matcher(l);
            assertTrue(caller.find(), l);
            represented.merge(caller.group(1), represented(List.of(l)), Long::sum);
            Matcher first = FIRST_TS.matcher(l);
            if (first.find()) {
                Matcher ts = TS.matcher(l);
                assertTrue(ts.find());
                assertTrue(first.group(1).compareTo(ts.group(1)) <= 0, "firstTs after ts: " + l);
            }
        }
        for (Map.Entry<String, AtomicLong> e : submitted.entrySet()) {
            assertEquals(e.getValue().get(), represented.getOrDefault(e.getKey(), 0L), "caller " + e.getKey());
        }
        assertEquals((long) threads * perThread, represented(lines));
        assertTrue(lines.size() < threads * perThread / 10, "collapsed: " + lines.size() + " lines");
    }
}
