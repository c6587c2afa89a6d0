package dev.redirectguard.agent;

import dev.redirectguard.config.Settings;
import dev.redirectguard.log.LogSink;

/**
 * The live settings and log of one agent. The hooks read {@link #settings()} (one volatile read)
 * on every hop, so a mode switch takes effect on the next hop without retransforming anything.
 */
final class GuardState {
    private volatile Settings settings;
    private LogSink log;
    /** Made on first use (a violation, or the MBean), so that start-up loads none of it. */
    private volatile Counters counters;

    GuardState(Settings settings) {
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    /** Made on the first line, for the destination the settings name then. */
    synchronized LogSink log() {
        String destination = settings.log();
        if (log == null || !log.destination().equals(destination)) {
            log = new LogSink(destination);
        }
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

    void apply(Settings next) {
        settings = next;
    }
}
