package dev.redirectguard.agent;

import dev.redirectguard.rules.Rule;

import java.util.concurrent.atomic.LongAdder;

/**
 * Exact counts of violations, per rule x client x action x scope, and of log lines dropped.
 * Counted for every violation, whatever the log does with its line (collapsed, rate-limited,
 * dropped), so the counters stay exact when the log is not. One adder per cell: threads that
 * count the same violation at once add to cells of their own instead of taking turns on one
 * word; nothing is allocated per hop.
 */
final class Counters {
    static final String[] CLIENTS = {"HttpURLConnection", "HttpClient"};
    static final String[] ACTIONS = {Reporter.OBSERVED, Reporter.CORRECTED, Reporter.REFUSED};
    /**
     * Why an enforce JVM only observed a hop (issue 12's enforceRules, enforceTargets,
     * enforceCallers); {@link #NO_SCOPE} for every other violation (audit, or in scope). The log
     * line has no "scope" field then.
     */
    static final String[] SCOPES = {"none", "rule", "target", "caller"};
    static final String NO_SCOPE = SCOPES[0];

    private final LongAdder[] counts = new LongAdder[Rule.values().length * CLIENTS.length * ACTIONS.length
            * SCOPES.length];
    private final LongAdder droppedLines = new LongAdder();

    Counters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one violation with no scope. */
    void count(Rule rule, String client, String action) {
        count(rule, client, action, null);
    }

    /**
     * Counts one violation; an unknown client, action or scope is not counted (never thrown).
     *
     * @param scope "rule", "target" or "caller"; null (or "none") for no scope
     */
    void count(Rule rule, String client, String action, String scope) {
        int i = index(rule, client, action, scope);
        if (i >= 0) {
            counts[i].increment();
        }
    }

    long get(Rule rule, String client, String action) {
        return get(rule, client, action, null);
    }

    long get(Rule rule, String client, String action, String scope) {
        int i = index(rule, client, action, scope);
        return i < 0 ? 0 : counts[i].sum();
    }

    /** Sum over rules, clients and scopes for one action. */
    long total(String action) {
        int a = indexOf(ACTIONS, action);
        if (a < 0) {
            return 0;
        }
        long sum = 0;
        for (int r = 0; r < Rule.values().length; r++) {
            for (int c = 0; c < CLIENTS.length; c++) {
                for (int s = 0; s < SCOPES.length; s++) {
                    sum += counts[index(r, c, a, s)].sum();
                }
            }
        }
        return sum;
    }

    void droppedLines(long n) {
        droppedLines.add(n);
    }

    long droppedLines() {
        return droppedLines.sum();
    }

    /** Not atomic: a violation counted while the reset runs may or may not survive it. */
    void reset() {
        for (LongAdder c : counts) {
            c.reset();
        }
        droppedLines.reset();
    }

    private static int index(Rule rule, String client, String action, String scope) {
        int c = indexOf(CLIENTS, client);
        int a = indexOf(ACTIONS, action);
        int s = scope == null ? 0 : indexOf(SCOPES, scope);
        return c < 0 || a < 0 || s < 0 ? -1 : index(rule.ordinal(), c, a, s);
    }

    private static int index(int rule, int client, int action, int scope) {
        return ((rule * CLIENTS.length + client) * ACTIONS.length + action) * SCOPES.length + scope;
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
