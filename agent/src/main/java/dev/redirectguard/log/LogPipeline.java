package dev.redirectguard.log;

import dev.redirectguard.config.Settings;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * From violation to written line, without ever making an application thread wait: on I/O, or
 * on another application thread.
 *
 * <p>On the application thread ({@link #submit}): identical violations (same rule, client,
 * action, scope, caller frame and target origin) are collapsed: the first gets its line, the next
 * ones only a count, summarised in one line at most once per {@code logInterval}; then a token
 * bucket caps lines per second ({@code logRate}); then the record (not yet a line) is offered to a
 * bounded queue. A line refused by the rate limit or a full queue is dropped and counted. All of
 * it is compare-and-set and adders: no lock, no park, nothing formatted.
 *
 * <p>On the writer (one thread, the agent's: {@link #awaitWork} then {@link #writePending}):
 * records are encoded and go to the {@link LogSink}, with {@code "dropped":n} added when lines
 * were dropped since the last one written; summaries of keys that went quiet are written once
 * their interval is over. {@link #close} (a shutdown hook) writes what is folded and pending, so
 * short JVMs keep their lines. Nothing here starts a thread.
 *
 * <p>A change of settings (a mode switch, a config file edit) summarises and forgets all keys, so
 * the first violation after it always gets its own line.
 */
public final class LogPipeline {
    /** The agent's side: its live settings, and a counter told of every line not written (JMX stays exact). */
    public interface Source {
        Settings settings();

        void dropped(long lines);
    }

    /** Monotonic milliseconds, for intervals and the rate limit. */
    interface Clock {
        long millis();
    }

    static final int QUEUE_CAPACITY = 1024;
    /** Beyond this many keys, new keys are not collapsed (only rate-limited): the map stays small. */
    static final int MAX_KEYS = 4096;
    /** What a shutdown hook gives {@link #close}: long enough for a queue's worth, short enough for a prompt exit. */
    public static final long SHUTDOWN_WAIT_MILLIS = 2000;
    static final long SWEEP_MILLIS = 1000;

    private static final AtomicReferenceFieldUpdater<LogPipeline, Thread> SLEEPER =
            AtomicReferenceFieldUpdater.newUpdater(LogPipeline.class, Thread.class, "sleeper");

    private final Source source;
    private final Clock clock;
    private final AtomicReference<Generation> generation;
    private final ConcurrentHashMap<Key, Folded> keys = new ConcurrentHashMap<Key, Folded>();
    private final AtomicReference<RateLimit> rateLimit = new AtomicReference<RateLimit>();
    /** ViolationRecord (its own line) or Summary; {@link #queued} bounds it. */
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<Object>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Every line dropped by the pipeline, ever; the writer puts what is new on its next line. */
    private final LongAdder droppedLines = new LongAdder();
    /** The writer parked in {@link #awaitWork}, for the submitting thread to wake. */
    private volatile Thread sleeper;

    /** The writer and {@link #close}: one at a time, so no record is written twice and no bytes interleave. */
    private final ReentrantLock writing = new ReentrantLock();
    /** Guarded by {@link #writing}. */
    private LogSink sink;
    private long droppedReported;
    private long lastSweep;

    /** The agent's pipeline: monotonic time from {@link System#nanoTime()}. */
    public LogPipeline(Source source) {
        this(source, new NanoClock());
    }

    LogPipeline(Source source, Clock clock) {
        this.source = source;
        this.clock = clock;
        this.generation = new AtomicReference<Generation>(new Generation(source.settings(), 0));
        this.lastSweep = clock.millis();
    }

    /** Application thread: collapse, rate-limit, enqueue. Never blocks, never throws. */
    public void submit(ViolationRecord r) {
        try {
            long now = clock.millis();
            Generation g = currentGeneration();
            Settings settings = g.settings;
            long interval = settings.logIntervalSeconds() * 1000L;
            if (interval == 0) {
                emit(r, settings.logRate(), now, false);
                return;
            }
            Key key = new Key(r);
            for (;;) {
                Folded f = keys.get(key);
                if (f == null) {
                    if (keys.size() >= MAX_KEYS) {
                        emit(r, settings.logRate(), now, false);
                        return;
                    }
                    if (keys.putIfAbsent(key, new Folded(key, g.number, now)) == null) {
                        emit(r, settings.logRate(), now, false);
                        return;
                    }
                    continue;
                }
                if (f.generation < g.number) {
                    forget(f, settings, now, true); // made before the settings changed: help summarise it
                    continue;
                }
                if (!f.fold(r)) {
                    keys.remove(key, f); // forgotten meanwhile: start the key over
                    continue;
                }
                long lastLine = f.lastLine;
                if (now - lastLine >= interval && Folded.LAST_LINE.compareAndSet(f, lastLine, now)) {
                    Summary s = f.summary();
                    if (s != null) {
                        emit(s, settings.logRate(), now, false);
                    }
                }
                return;
            }
        } catch (Throwable t) {
            dropped(1); // the line is lost, never the application's call
        }
    }

    /**
     * The generation of the current settings. The first thread to see new settings installs them
     * and summarises every older key; the others go on at once (a key older than their generation
     * is never folded into: they summarise it themselves, see {@link #submit}).
     */
    private Generation currentGeneration() {
        for (;;) {
            Generation g = generation.get();
            // Read after the generation: settings only ever move forward here, never back to older ones.
            Settings settings = source.settings();
            if (settings == g.settings) {
                return g;
            }
            Generation next = new Generation(settings, g.number + 1);
            if (generation.compareAndSet(g, next)) {
                long now = clock.millis();
                for (Folded f : keys.values()) {
                    if (f.generation < next.number) {
                        forget(f, settings, now, true);
                    }
                }
                return next;
            }
        }
    }

    /**
     * Closes a key for good and emits its last summary, if it has folds no summary holds yet.
     *
     * @param unlimited the final summaries of a settings change skip the rate limit: they are few
     */
    private void forget(Folded f, Settings settings, long now, boolean unlimited) {
        Summary s = f.close();
        keys.remove(f.key, f);
        if (s != null) {
            emit(s, settings.logRate(), now, unlimited);
        }
    }

    /** scheme://host:port of a logged URL (already without userinfo, query and fragment). */
    static String origin(String url) {
        int end = originEnd(url);
        return end < 0 ? null : url.substring(0, end);
    }

    /** Where the origin of a logged URL ends; -1 for null. */
    static int originEnd(String url) {
        if (url == null) {
            return -1;
        }
        int scheme = url.indexOf("://");
        int slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
        return slash < 0 ? url.length() : slash;
    }

    /**
     * Summaries for keys whose interval is over, and forgets keys quiet for a whole interval.
     * Writer thread, about once a second ({@link #writePending}); tests call it directly.
     */
    void sweep() {
        long now = clock.millis();
        Generation g = currentGeneration();
        Settings settings = g.settings;
        long interval = settings.logIntervalSeconds() * 1000L;
        for (Folded f : keys.values()) {
            if (f.generation < g.number) {
                forget(f, settings, now, true);
                continue;
            }
            long lastLine = f.lastLine;
            if (now - lastLine < interval) {
                continue;
            }
            if (!f.pending()) {
                forget(f, settings, now, false);
            } else if (Folded.LAST_LINE.compareAndSet(f, lastLine, now)) {
                Summary s = f.summary();
                if (s != null) {
                    emit(s, settings.logRate(), now, false);
                }
            }
        }
    }

    /** A line (a record or a summary), offered once the rate limit lets it through: hot loops drop cheaply. */
    private void emit(Object line, int rate, long now, boolean unlimited) {
        if (!unlimited && !acquire(rate, now)) {
            dropped(1);
        } else if (!offer(line)) {
            dropped(1);
        }
    }

    /** Token bucket: {@code rate} lines at once, then {@code rate} per second; 0: no limit. */
    private boolean acquire(int rate, long now) {
        if (rate <= 0) {
            return true;
        }
        RateLimit limit = rateLimit.get();
        if (limit == null || limit.rate != rate) {
            RateLimit fresh = new RateLimit(rate, now);
            limit = rateLimit.compareAndSet(limit, fresh) ? fresh : rateLimit.get();
        }
        return limit.tryAcquire(now);
    }

    /** The bounded hand-off: a full queue refuses at once, without a write to shared memory. */
    private boolean offer(Object line) {
        if (queued.get() >= QUEUE_CAPACITY) {
            return false;
        }
        if (queued.incrementAndGet() > QUEUE_CAPACITY) {
            queued.decrementAndGet();
            return false;
        }
        queue.offer(line);
        // After the offer (a volatile write), read the sleeper: the writer sets it, then looks at the queue.
        if (sleeper != null) {
            Thread writer = SLEEPER.getAndSet(this, null);
            if (writer != null) {
                LockSupport.unpark(writer);
            }
        }
        return true;
    }

    private Object poll() {
        Object line = queue.poll();
        if (line != null) {
            queued.decrementAndGet();
        }
        return line;
    }

    private void dropped(long n) {
        droppedLines.add(n);
        try {
            source.dropped(n);
        } catch (Throwable ignored) {
            // a counter must not cost a line
        }
    }

    /**
     * The writer thread (one): parks until a line is queued or {@code maxNanos} passed. A
     * submitting thread unparks it; no lock on either side.
     *
     * @return whether lines are queued
     */
    public boolean awaitWork(long maxNanos) {
        if (!queue.isEmpty()) {
            return true;
        }
        Thread me = Thread.currentThread();
        long deadline = System.nanoTime() + maxNanos;
        try {
            for (;;) {
                sleeper = me;
                if (!queue.isEmpty()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || me.isInterrupted()) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            SLEEPER.compareAndSet(this, me, null);
        }
    }

    /**
     * The writer thread: writes what is queued (a queue's worth at most, so the caller gets its
     * thread back), first sweeping due summaries of quiet keys, about once a second. Never throws.
     */
    public void writePending() {
        writing.lock();
        try {
            long now = clock.millis();
            if (now - lastSweep >= SWEEP_MILLIS) {
                lastSweep = now;
                try {
                    sweep();
                } catch (Throwable t) {
                    // summaries wait for the next sweep; the queued lines still go out
                }
            }
            for (int i = 0; i < QUEUE_CAPACITY; i++) {
                Object line = poll();
                if (line == null) {
                    return;
                }
                writeQueued(line);
            }
        } finally {
            writing.unlock();
        }
    }

    /**
     * Shutdown (a shutdown hook, while the writer thread may still run): writes what is queued,
     * then a summary of every key with folds no line holds yet, straight to the sink (neither rate
     * limit nor queue can drop them). Waits for the writer at most {@code waitMillis}, and stops
     * writing at that deadline too: a JVM's exit is never held up for long.
     */
    public void close(long waitMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            if (!writing.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
                return; // the writer is stuck on its destination: nothing more would get through
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            writeQueuedUntil(deadline);
            currentGeneration();
            long now = clock.millis();
            for (Folded f : keys.values()) {
                if (System.nanoTime() - deadline > 0) {
                    return;
                }
                Summary s = f.summary();
                if (s != null) {
                    f.lastLine = now;
                    writeLine(s);
                }
            }
            writeQueuedUntil(deadline);
        } catch (Throwable t) {
            // the JVM is going away; never hold it up
        } finally {
            writing.unlock();
        }
    }

    private void writeQueuedUntil(long deadline) {
        Object line;
        while (System.nanoTime() - deadline <= 0 && (line = poll()) != null) {
            writeQueued(line);
        }
    }

    private void writeQueued(Object line) {
        try {
            writeLine(line);
        } catch (Throwable t) {
            // keep writing: one bad line must not end the log
        }
    }

    private void writeLine(Object line) {
        write(encode(line));
    }

    private static String encode(Object line) {
        if (line instanceof Summary) {
            Summary s = (Summary) line;
            return JsonLines.encode(s.last, s.repeats, s.firstTs);
        }
        return JsonLines.encode((ViolationRecord) line);
    }

    /** Writer (holding {@link #writing}), or tests. */
    void write(String line) {
        long dropped = droppedLines.sum() - droppedReported;
        String out = line;
        if (dropped > 0) {
            droppedReported += dropped;
            out = JsonLines.withDropped(line, dropped);
        }
        Settings s = source.settings();
        if (sink == null || !sink.sameAs(s.log(), s.logMaxBytes(), s.logFiles())) {
            if (sink != null) {
                sink.close();
            }
            sink = new LogSink(s.log(), s.logMaxBytes(), s.logFiles());
        }
        if (!sink.write(out)) {
            source.dropped(1);
        }
    }

    /** Tests: the lines queued so far, encoded, taken off the queue instead of written. */
    int drainTo(List<String> lines) {
        int n = 0;
        for (Object line; (line = poll()) != null; n++) {
            lines.add(encode(line));
        }
        return n;
    }

    /** Tests: lines dropped that no written line has reported yet. */
    long droppedSinceLine() {
        return droppedLines.sum() - droppedReported;
    }

    /** Tests: keys being collapsed. */
    int keys() {
        return keys.size();
    }

    /** The settings whose keys are collapsed together; a new one starts every key over. */
    private static final class Generation {
        final Settings settings;
        final long number;

        Generation(Settings settings, long number) {
            this.settings = settings;
            this.number = number;
        }
    }

    /**
     * What makes violations identical: rule, client, action, scope, caller frame (or its not being
     * read) and the origin of the target. Compares the target's origin in place (no substring); the hash is computed once.
     */
    static final class Key {
        final String rule;
        final String client;
        final String action;
        final String scope;
        final String caller;
        final boolean callerUnread;
        final String to;
        final int originEnd;
        final int hash;

        Key(ViolationRecord r) {
            rule = r.rule;
            client = r.client;
            action = r.action;
            scope = r.scope;
            caller = r.caller;
            callerUnread = r.callerUnread;
            to = r.to;
            originEnd = originEnd(r.to);
            int h = hash(rule);
            h = 31 * h + hash(client);
            h = 31 * h + hash(action);
            h = 31 * h + hash(scope);
            h = 31 * h + hash(caller);
            h = 31 * h + (callerUnread ? 1 : 0);
            for (int i = 0; i < originEnd; i++) {
                h = 31 * h + to.charAt(i);
            }
            this.hash = 31 * h + originEnd;
        }

        private static int hash(String s) {
            return s == null ? 0 : s.hashCode();
        }

        private static boolean same(String a, String b) {
            return a == null ? b == null : a.equals(b);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return hash == k.hash && originEnd == k.originEnd && same(rule, k.rule) && same(client, k.client)
                    && same(action, k.action) && same(scope, k.scope) && same(caller, k.caller)
                    && callerUnread == k.callerUnread
                    && (originEnd < 0 || to.regionMatches(0, k.to, 0, originEnd));
        }
    }

    /**
     * One key's violations after its first line. {@code folds} counts every repeat ever folded
     * (one atomic add per violation, whatever the threads); {@code summarised} how many of them
     * summaries hold, moved forward by compare-and-set, so each repeat is in exactly one summary.
     * Closing sets a bit in {@code folds}: a fold that lands after it sees the bit and goes to a
     * fresh key, so the closing summary is final. Which thread writes the next summary is decided
     * by compare-and-set on {@code lastLine}.
     *
     * <p>The last record and the first repeat's time are kept by plain stores before the count:
     * with threads racing they are those of some repeat at the summary's edge, never missing,
     * and {@code firstTs} is never after {@code ts}. Only the counts are exact; only they need be.
     */
    private static final class Folded {
        static final long CLOSED = 1L << 62;
        static final long NO_TIME = Long.MIN_VALUE;
        static final AtomicLongFieldUpdater<Folded> FOLDS = AtomicLongFieldUpdater.newUpdater(Folded.class, "folds");
        static final AtomicLongFieldUpdater<Folded> SUMMARISED =
                AtomicLongFieldUpdater.newUpdater(Folded.class, "summarised");
        static final AtomicLongFieldUpdater<Folded> LAST_LINE =
                AtomicLongFieldUpdater.newUpdater(Folded.class, "lastLine");
        static final AtomicLongFieldUpdater<Folded> FIRST_TS =
                AtomicLongFieldUpdater.newUpdater(Folded.class, "firstTs");
        static final AtomicReferenceFieldUpdater<Folded, ViolationRecord> LAST =
                AtomicReferenceFieldUpdater.newUpdater(Folded.class, ViolationRecord.class, "last");

        final Key key;
        final long generation;
        volatile long folds;
        volatile long summarised;
        /** Clock millis of the key's last line (its own, or a summary). */
        volatile long lastLine;
        volatile long firstTs = NO_TIME;
        volatile ViolationRecord last;

        Folded(Key key, long generation, long now) {
            this.key = key;
            this.generation = generation;
            this.lastLine = now;
        }

        /** @return false when the key was closed: the repeat belongs to a fresh key */
        boolean fold(ViolationRecord r) {
            if (firstTs == NO_TIME) {
                FIRST_TS.compareAndSet(this, NO_TIME, r.epochMillis);
            }
            LAST.lazySet(this, r);
            return (FOLDS.getAndIncrement(this) & CLOSED) == 0;
        }

        boolean pending() {
            return (folds & ~CLOSED) > summarised;
        }

        /** The repeats no summary holds yet, or null; null too once closed (the closing summary has them). */
        Summary summary() {
            for (;;) {
                long f = folds;
                if ((f & CLOSED) != 0) {
                    return null;
                }
                Summary s = take(f);
                if (s != Summary.RETRY) {
                    return s;
                }
            }
        }

        /** Closes the key; the summary of what no summary holds yet, or null. Only the first close gets it. */
        Summary close() {
            long f;
            do {
                f = folds;
                if ((f & CLOSED) != 0) {
                    return null;
                }
            } while (!FOLDS.compareAndSet(this, f, f | CLOSED));
            for (;;) {
                Summary s = take(f);
                if (s != Summary.RETRY) {
                    return s;
                }
            }
        }

        /** Moves {@code summarised} up to {@code upTo}: the summary of the difference, null for none, or RETRY. */
        private Summary take(long upTo) {
            long done = summarised;
            if (upTo <= done) {
                return null;
            }
            if (!SUMMARISED.compareAndSet(this, done, upTo)) {
                return Summary.RETRY;
            }
            ViolationRecord r = last;
            long first = FIRST_TS.getAndSet(this, NO_TIME);
            if (first == NO_TIME || first > r.epochMillis) {
                first = r.epochMillis;
            }
            return new Summary(r, upTo - done, first);
        }
    }

    /** A summary line to write: the last record of a key's repeats, their count and the first one's time. */
    private static final class Summary {
        static final Summary RETRY = new Summary(null, 0, 0);

        final ViolationRecord last;
        final long repeats;
        final long firstTs;

        Summary(ViolationRecord last, long repeats, long firstTs) {
            this.last = last;
            this.repeats = repeats;
            this.firstTs = firstTs;
        }
    }

    /** Monotonic milliseconds from {@link System#nanoTime()}. */
    static final class NanoClock implements Clock {
        @Override
        public long millis() {
            return System.nanoTime() / 1000000L;
        }
    }
}
