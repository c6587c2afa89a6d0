package dev.redirectguard.agent;

import dev.redirectguard.config.Settings;
import dev.redirectguard.log.LogPipeline;

/**
 * The live settings and log of one agent. The hooks read {@link #settings()} (one volatile read)
 * on every hop, so a mode switch takes effect on the next hop without retransforming anything.
 */
final class GuardState {
    private volatile Settings settings;
    private volatile LogPipeline log;
    /** Made on first use (a violation, or the MBean), so that start-up loads none of it. */
    private volatile Counters counters;

    GuardState(Settings settings) {
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    /**
     * Made on the first line (with its writer thread and shutdown hook); it follows later
     * changes of the settings by itself. After that, one volatile read: violations on many
     * threads never queue here.
     */
    LogPipeline log() {
        LogPipeline l = log;
        if (l == null) {
            synchronized (this) {
                if (log == null) {
                    log = LogSource.start(this);
                }
                l = log;
            }
        }
        return l;
    }

    /**
     * Not GuardState itself, and made in here, not in {@link #log()}: implementing the interface,
     * or passing an instance as one, would load it at start-up (the verifier checks the call).
     */
    private static final class LogSource implements LogPipeline.Source {
        private final GuardState state;

        /** The pipeline, its writer thread ("redirect-guard-log") and a shutdown hook that writes what is left. */
        static LogPipeline start(GuardState state) {
            LogPipeline pipeline = new LogPipeline(new LogSource(state));
            Thread writer = new Thread(new LogWriter(pipeline), "redirect-guard-log");
            writer.setDaemon(true);
            writer.start();
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(new LogFlush(pipeline), "redirect-guard-log-flush"));
            } catch (IllegalStateException alreadyShuttingDown) {
                // nothing to hook into: the writer still runs while the JVM shuts down
            }
            return pipeline;
        }

        LogSource(GuardState state) {
            this.state = state;
        }

        @Override
        public Settings settings() {
            return state.settings();
        }

        @Override
        public void dropped(long lines) {
            state.counters().droppedLines(lines);
        }
    }

    /** The log's writer: waits for lines (a second at most, for the sweep of quiet keys), writes them. */
    private static final class LogWriter implements Runnable {
        private final LogPipeline pipeline;

        LogWriter(LogPipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void run() {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    pipeline.awaitWork(1000000000L);
                    pipeline.writePending();
                } catch (Throwable t) {
                    // keep writing: one bad line must not end the log
                }
            }
        }
    }

    private static final class LogFlush implements Runnable {
        private final LogPipeline pipeline;

        LogFlush(LogPipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void run() {
            try {
                pipeline.close(LogPipeline.SHUTDOWN_WAIT_MILLIS);
            } catch (Throwable ignored) {
                // the JVM is going away; never hold it up
            }
        }
    }

    Counters counters() {
        Counters c = counters;
        if (c == null) {
            synchronized (this) {
                if (counters == null) {
                    counters = new Counters();
                }
                c = counters;
            }
        }
        return c;
    }

    void apply(Settings next) {
        settings = next;
    }
}
