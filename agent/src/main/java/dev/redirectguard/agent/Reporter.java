package dev.redirectguard.agent;

import dev.redirectguard.config.Settings;
import dev.redirectguard.log.ViolationRecord;
import dev.redirectguard.rules.Hop;
import dev.redirectguard.rules.Judgement;
import dev.redirectguard.rules.NextRequest;
import dev.redirectguard.rules.Rule;
import dev.redirectguard.rules.Violation;

import java.util.List;

/** Turns the violations of one hop into log lines, one per rule. */
final class Reporter {
    static final String OBSERVED = "observed";
    static final String CORRECTED = "corrected";
    static final String REFUSED = "refused";

    /** Set by JfrViolations' static initializer, where the JVM has JFR; null elsewhere. */
    static volatile ViolationEvents jfr;
    private static volatile boolean jfrLooked;

    private final GuardState state;

    Reporter(GuardState state) {
        this.state = state;
    }

    /**
     * One line per broken rule of a hop: observed (audit, or an enforce JVM's hop out of scope, with
     * the scope), corrected, or refused (enforce keeps the hop from being followed).
     *
     * @param caller the application frame, null when unknown
     */
    void report(String client, Settings settings, Hop hop, NextRequest jdk, NextRequest expected,
                List<Judgement> judgements, String caller) {
        report(client, settings, hop, jdk, expected, judgements, caller, false);
    }

    /** As above; {@code callerUnread}: the caller was not read (CallerSampling), and is null. */
    void report(String client, Settings settings, Hop hop, NextRequest jdk, NextRequest expected,
                List<Judgement> judgements, String caller, boolean callerUnread) {
        report(client, settings, hop, jdk, expected, judgements, caller, callerUnread, System.currentTimeMillis(),
                Thread.currentThread().getName());
    }

    /**
     * As above, for a hop whose lines waited for its caller: {@code now} and {@code thread} are the
     * hop's own.
     */
    void report(String client, Settings settings, Hop hop, NextRequest jdk, NextRequest expected,
                List<Judgement> judgements, String caller, boolean callerUnread, long now, String thread) {
        if (judgements.isEmpty()) {
            return;
        }
        Counters counters = state.counters();
        boolean enforcing = settings.mode() == dev.redirectguard.config.Mode.ENFORCE;
        for (Judgement j : judgements) {
            Violation v = j.violation();
            String action = action(j);
            String scope = enforcing && !j.enforced() ? j.scope() : null;
            counters.count(v.rule(), client, action, scope);
            ViolationRecord r = new ViolationRecord(now, v.rule().id(), client, settings.mode().id(), action, scope,
                    hop.status(), hop.method(), jdk.describe(), expected.describe(), hop.from().toString(),
                    hop.to().toString(), caller, callerUnread, thread, detail(action, v));
            state.log().submit(r);
            ViolationEvents events = jfr();
            if (events != null) {
                try {
                    events.commit(r);
                } catch (Throwable t) {
                    jfr = null;
                    System.err.println("redirect-guard: JFR events off: " + t);
                }
            }
        }
    }

    /** Enforced: refused where the rule keeps the hop from being followed, else corrected. */
    static String action(Judgement j) {
        if (!j.enforced()) {
            return OBSERVED;
        }
        Rule rule = j.violation().rule();
        return rule == Rule.NO_HTTPS_DOWNGRADE || rule == Rule.STREAMED_BODY ? REFUSED : CORRECTED;
    }

    /** Looks for JFR once, at the first violation: jdk.jfr on 11+ and 8u262+. */
    private static ViolationEvents jfr() {
        if (!jfrLooked) {
            synchronized (Reporter.class) {
                if (!jfrLooked) {
                    try {
                        ClassLoader loader = Reporter.class.getClassLoader();
                        Class.forName("jdk.jfr.FlightRecorder", false, loader);
                        Class.forName("dev.redirectguard.agent.JfrViolations", true, loader);
                    } catch (Throwable noJfr) {
                        // a JVM without JFR: no events, nothing to say
                    }
                    jfrLooked = true;
                }
            }
        }
        return jfr;
    }

    /**
     * The rules' detail says what the JDK does wrong. In audit it did; in enforce it did not, so
     * the line says whose behaviour it was. A streamed-body line is no JDK fault: the body is gone
     * and the JDK's HttpRetryException is kept.
     */
    static String detail(String action, Violation v) {
        if (OBSERVED.equals(action)) {
            return v.detail();
        }
        if (v.rule() == Rule.STREAMED_BODY) {
            return "HttpRetryException kept: " + v.detail();
        }
        return "the JDK would have: " + v.detail();
    }
}
