package dev.redirectguard.agent;

import dev.redirectguard.config.Settings;
import dev.redirectguard.log.LogPipeline;

import java.util.concurrent.locks.LockSupport;

/**
 * The live settings, counters and log of one agent. The hooks read {@link #settings()} (one
 * volatile read) on every hop, so a change takes effect on the next hop without retransforming
 * anything. The log and the counters are made on first use, by whichever thread needs them
 * (a lock only for that once); the log is written by the agent's thread, and flushed at exit by
 * a hook registered when that thread starts.
 */
final class GuardState {
    private volatile Settings settings;
    private volatile LogPipeline log;
    private volatile Counters counters;
    /** The agent's thread (it writes the log and watches the config file), to wake. */
    private volatile Thread agentThread;
    private volatile ConfigWatcher configWatcher;

    GuardState(Settings settings) {
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    void apply(Settings next) {
        settings = next;
    }

    void agentThread(Thread t) {
        agentThread = t;
    }

    /** Something changed (a log started, a schedule): the agent's thread looks again now. */
    void wakeAgentThread() {
        Thread t = agentThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    void configWatcher(ConfigWatcher w) {
        configWatcher = w;
        wakeAgentThread();
    }

    ConfigWatcher configWatcher() {
        return configWatcher;
    }

    /** The log, made on the first line; it starts no thread (the agent's thread writes it). */
    LogPipeline log() {
        LogPipeline l = log;
        if (l == null) {
            synchronized (this) {
                // Once per JVM, at the first violation; never on the path of later ones.
                if (log == null) {
                    log = LogSource.newLog(this);
                }
                l = log;
            }
            wakeAgentThread();
        }
        return l;
    }

    /** The log if a line was ever made, else null: what the flush at exit has to write. */
    LogPipeline existingLog() {
        return log;
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

    /** The agent's thread, once a second: the config file. */
    void tick() {
        ConfigWatcher w = configWatcher;
        if (w != null) {
            w.check();
        }
    }

    /** The agent's thread: waits up to {@code maxNanos} for log lines and writes them. */
    void writeLog(long maxNanos) {
        LogPipeline l = log;
        if (l == null) {
            LockSupport.parkNanos(this, maxNanos);
            return;
        }
        l.awaitWork(maxNanos);
        l.writePending();
    }

    /**
     * Not GuardState itself, and made here, not in {@link #log()}: implementing the interface, or
     * passing an instance as one, would load it when GuardState is verified, at start-up (the
     * verifier loads the parameter's type to check the call).
     */
    private static final class LogSource implements LogPipeline.Source {
        private final GuardState state;

        private LogSource(GuardState state) {
            this.state = state;
        }

        static LogPipeline newLog(GuardState state) {
            return new LogPipeline(new LogSource(state));
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
}
