package dev.redirectguard.agent;

import dev.redirectguard.config.Settings;
import dev.redirectguard.log.LogSink;

/**
 * The live settings and log of one agent. The hooks read {@link #settings()} (one volatile read)
 * on every hop, so a mode switch takes effect on the next hop without retransforming anything.
 */
final class GuardState {
    private volatile Settings settings;
    private volatile LogSink log;

    GuardState(Settings settings) {
        this.settings = settings;
        this.log = new LogSink(settings.log());
    }

    Settings settings() {
        return settings;
    }

    LogSink log() {
        return log;
    }

    synchronized void apply(Settings next) {
        if (!next.log().equals(log.destination())) {
            log = new LogSink(next.log());
        }
        settings = next;
    }
}
