package dev.redirectguard.agent;

import dev.redirectguard.config.Settings;
import dev.redirectguard.log.LogPipeline;

/**
 * The live settings and log of one agent. The hooks read {@link #settings()} (one volatile read)
 * on every hop, so a mode switch takes effect on the next hop without retransforming anything.
 */
final class GuardState {
    private volatile Settings settings;
    private LogPipeline log;
    /** Made on first use (a violation, or the MBean), so that start-up loads none of it. */
    private volatile Counters counters;

    GuardState(Settings settings) {
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    /**
     * Made on the first line (the writer thread, queue and shutdown hook with it); it follows
     * later changes of the settings by itself.
     */
    synchronized LogPipeline log() {
        if (log == null) {
            log = LogSource.start(this);
        }
        return log;
    }

    /**
     * Not GuardState itself, and made in here, not in {@link #log()}: implementing the interface,
     * or passing an instance as one, would load it at start-up (the verifier checks the call).
     */
    private static final class LogSource implements LogPipeline.Source {
        private final GuardState state;

        static LogPipeline start(GuardState state) {
            return LogPipeline.start(new LogSource(state));
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
