package dev.redirectguard.agent;

import dev.redirectguard.config.Settings;
import dev.redirectguard.log.JsonLines;
import dev.redirectguard.log.ViolationRecord;
import dev.redirectguard.rules.Hop;
import dev.redirectguard.rules.NextRequest;
import dev.redirectguard.rules.Violation;

import java.util.List;

/** Turns the violations of one hop into log lines, one per rule. */
final class Reporter {
    static final String OBSERVED = "observed";
    static final String CORRECTED = "corrected";
    static final String REFUSED = "refused";

    private final GuardState state;

    Reporter(GuardState state) {
        this.state = state;
    }

    /**
     * @param caller the application frame, or null to take it from the current stack
     */
    void report(String client, Settings settings, Hop hop, NextRequest jdk, NextRequest expected,
                List<Violation> violations, String action, String caller) {
        if (violations.isEmpty()) {
            return;
        }
        String frame = caller != null ? caller : CallerFrames.firstApplicationFrame(new Throwable().getStackTrace());
        long now = System.currentTimeMillis();
        String thread = Thread.currentThread().getName();
        Counters counters = state.counters();
        for (Violation v : violations) {
            counters.count(v.rule(), client, action);
            ViolationRecord r = new ViolationRecord(now, v.rule().id(), client, settings.mode().id(), action,
                    hop.status(), hop.method(), jdk.describe(), expected.describe(), hop.from().toString(),
                    hop.to().toString(), frame, thread, v.detail());
            if (!state.log().write(JsonLines.encode(r))) {
                counters.droppedLines(1);
            }
        }
    }
}
