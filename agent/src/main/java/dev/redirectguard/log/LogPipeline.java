package dev.redirectguard.log;

import dev.redirectguard.config.Settings;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * From violation to written line, without ever making an application thread wait on I/O.
 *
 * <p>On the application thread ({@link #submit}): identical violations (same rule, client,
 * action, caller frame and target origin) are collapsed: the first gets its line, the next ones
 * only a count, summarised in one line at most once per {@code logInterval}; then a token bucket
 * caps lines per second ({@code logRate}); then the line is offered to a bounded queue. A line
 * refused by the rate limit or a full queue is dropped and counted. On the one writer thread
 * ("redirect-guard-log"): lines go to the {@link LogSink}, with {@code "dropped":n} added when
 * lines were dropped since the last one written; summaries of keys that went quiet are written
 * once their interval is over. A shutdown hook writes what is pending (2 s at most), so short
 * JVMs keep their lines.
 *
 * <p>Everything here is made on the first line, never at start-up. A change of settings (a mode
 * switch, a config file edit) summarises and forgets all keys, so the first violation after it
 * always gets its own line.
 */
public final class LogPipeline implements Runnable {
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
    static final long SHUTDOWN_WAIT_MILLIS = 2000;

    private final Source source;
    private final Clock clock;
    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<String>(QUEUE_CAPACITY);
    private final ConcurrentHashMap<String, Folded> keys = new ConcurrentHashMap<String, Folded>();
    /** Dropped since the last written line; the writer puts it on the next line. */
    private final AtomicLong droppedSinceLine = new AtomicLong();
    private volatile Settings generation;
    private double tokens;
    private long tokensAt;
    private boolean tokensStarted;
    /** Writer thread only (and the shutdown hook, after it waited for the writer). */
    private LogSink sink;
    private volatile boolean writing;
    private long lastSweep;

    LogPipeline(Source source, Clock clock) {
        this.generation = source.settings();
        this.source = source;
        this.clock = clock;
    }

    /** Made on the first line: starts the writer thread and the shutdown hook. */
    public static LogPipeline start(Source source) {
        LogPipeline p = new LogPipeline(source, new NanoClock());
        Thread writer = new Thread(p, "redirect-guard-log");
        writer.setDaemon(true);
        writer.start();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(new Flush(p), "redirect-guard-log-flush"));
        } catch (IllegalStateException alreadyShuttingDown) {
            // nothing to hook into: the writer still runs while the JVM shuts down
        }
        return p;
    }

    /** Application thread: collapse, rate-limit, enqueue. Never blocks, never throws. */
    public void submit(ViolationRecord r) {
        try {
            long now = clock.millis();
            Settings settings = source.settings();
            if (settings != generation) {
                newGeneration(settings);
            }
            long interval = settings.logIntervalSeconds() * 1000L;
            if (interval == 0) {
                emit(r, settings, now);
                return;
            }
            String key = key(r);
            for (;;) {
                Folded f = keys.get(key);
                if (f == null) {
                    if (keys.size() >= MAX_KEYS) {
                        emit(r, settings, now);
                        return;
                    }
                    if (keys.putIfAbsent(key, new Folded(now)) == null) {
                        emit(r, settings, now);
                        return;
                    }
                    continue;
                }
                String summary;
                synchronized (f) {
                    if (f.closed) {
                        continue;
                    }
                    f.fold(r, now);
                    summary = now - f.lastLine >= interval ? f.summary(now) : null;
                }
                if (summary != null) {
                    emit(summary, settings, now, false);
                }
                return;
            }
        } catch (Throwable t) {
            dropped(1); // the line is lost, never the application's call
        }
    }

    /** Same rule, client, action, caller frame and target origin. */
    static String key(ViolationRecord r) {
        return r.rule + '\n' + r.client + '\n' + r.action + '\n' + r.caller + '\n' + origin(r.to);
    }

    /** scheme://host:port of a logged URL (already without userinfo, query and fragment). */
    static String origin(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
        return slash < 0 ? url : url.substring(0, slash);
    }

    private synchronized void newGeneration(Settings settings) {
        if (settings == generation) {
            return;
        }
        Settings old = generation;
        generation = settings;
        summariseAll(old, true);
    }

    /** Summaries of every key with folded repeats; {@code forget}: the keys start over. */
    private void summariseAll(Settings settings, boolean forget) {
        long now = clock.millis();
        for (Iterator<Map.Entry<String, Folded>> it = keys.entrySet().iterator(); it.hasNext(); ) {
            Folded f = it.next().getValue();
            String summary;
            synchronized (f) {
                summary = f.repeats > 0 ? f.summary(now) : null;
                if (forget) {
                    f.closed = true;
                    it.remove();
                }
            }
            if (summary != null) {
                emit(summary, settings, now, forget);
            }
        }
    }

    /**
     * Summaries for keys whose interval is over, and forgets keys quiet for a whole interval.
     * Writer thread, about once a second.
     */
    void sweep() {
        long now = clock.millis();
        Settings settings = source.settings();
        if (settings != generation) {
            newGeneration(settings);
        }
        long interval = settings.logIntervalSeconds() * 1000L;
        for (Iterator<Map.Entry<String, Folded>> it = keys.entrySet().iterator(); it.hasNext(); ) {
            Folded f = it.next().getValue();
            String summary = null;
            synchronized (f) {
                if (now - f.lastLine >= interval) {
                    if (f.repeats > 0) {
                        summary = f.summary(now);
                    } else {
                        f.closed = true;
                        it.remove();
                    }
                }
            }
            if (summary != null) {
                emit(summary, settings, now, false);
            }
        }
    }

    /** A violation's own line: encoded only once the rate limit lets it through (hot loops drop cheaply). */
    private void emit(ViolationRecord r, Settings settings, long now) {
        if (!acquire(settings.logRate(), now)) {
            dropped(1);
        } else if (!queue.offer(JsonLines.encode(r))) {
            dropped(1);
        }
    }

    /** @param unlimited the final summaries (shutdown, new settings) skip the rate limit: they are few */
    private void emit(String line, Settings settings, long now, boolean unlimited) {
        if (!unlimited && !acquire(settings.logRate(), now)) {
            dropped(1);
        } else if (!queue.offer(line)) {
            dropped(1);
        }
    }

    /** Token bucket: {@code rate} lines at once, then {@code rate} per second. */
    private synchronized boolean acquire(int rate, long now) {
        if (rate <= 0) {
            return true;
        }
        if (!tokensStarted) {
            tokensStarted = true;
            tokens = rate;
        } else {
            tokens = Math.min(rate, tokens + (now - tokensAt) * (rate / 1000.0));
        }
        tokensAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    private void dropped(long n) {
        droppedSinceLine.addAndGet(n);
        try {
            source.dropped(n);
        } catch (Throwable ignored) {
            // a counter must not cost a line
        }
    }

    /** The writer thread. */
    @Override
    public void run() {
        for (;;) {
            try {
                String line = queue.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    writing = true;
                    try {
                        write(line);
                    } finally {
                        writing = false;
                    }
                }
                long now = clock.millis();
                if (line == null || now - lastSweep >= 1000) {
                    lastSweep = now;
                    sweep();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                // keep writing: one bad line must not end the log
            }
        }
    }

    /** Writer thread (or the shutdown hook once the writer is idle). */
    void write(String line) {
        long dropped = droppedSinceLine.getAndSet(0);
        String out = dropped > 0 ? JsonLines.withDropped(line, dropped) : line;
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

    /** Tests: the lines queued so far, written by the caller instead of the writer thread. */
    int drainTo(java.util.List<String> lines) {
        return queue.drainTo(lines);
    }

    long droppedSinceLine() {
        return droppedSinceLine.get();
    }

    /** Shutdown: summarise what is folded, then let the writer empty the queue (bounded wait). */
    void close(long waitMillis) {
        Settings settings = source.settings();
        if (settings != generation) {
            newGeneration(settings);
        }
        summariseAll(settings, false);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while ((!queue.isEmpty() || writing) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One key's folded violations since its last line. Guarded by itself. */
    private static final class Folded {
        long lastLine;
        long repeats;
        long firstTs;
        ViolationRecord last;
        boolean closed;

        Folded(long now) {
            lastLine = now;
        }

        void fold(ViolationRecord r, long now) {
            if (repeats == 0) {
                firstTs = r.epochMillis;
            }
            repeats++;
            last = r;
        }

        String summary(long now) {
            String line = JsonLines.encode(last, repeats, firstTs);
            repeats = 0;
            last = null;
            lastLine = now;
            return line;
        }
    }

    private static final class NanoClock implements Clock {
        @Override
        public long millis() {
            return System.nanoTime() / 1000000L;
        }
    }

    private static final class Flush implements Runnable {
        private final LogPipeline pipeline;

        Flush(LogPipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void run() {
            try {
                pipeline.close(SHUTDOWN_WAIT_MILLIS);
            } catch (Throwable ignored) {
                // the JVM is going away; never hold it up
            }
        }
    }
}
