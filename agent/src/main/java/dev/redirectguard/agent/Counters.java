package dev.redirectguard.agent;

import dev.redirectguard.rules.Rule;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Exact counts of violations, per rule x client x action, and of log lines dropped. Counted for
 * every violation, whatever the log does with its line (collapsed, rate-limited, dropped), so
 * the counters stay exact when the log is not. One array, no per-hop allocation.
 */
final class Counters {
    static final String[] CLIENTS = {"HttpURLConnection", "HttpClient"};
    static final String[] ACTIONS = {Reporter.OBSERVED, Reporter.CORRECTED, Reporter.REFUSED};

    private final AtomicLongArray counts = new AtomicLongArray(Rule.values().length * CLIENTS.length * ACTIONS.length);
    private final AtomicLong droppedLines = new AtomicLong();

    /** Counts one violation; an unknown client or action is not counted (never thrown). */
    void count(Rule rule, String client, String action) {
        int c = indexOf(CLIENTS, client);
        int a = indexOf(ACTIONS, action);
        if (c >= 0 && a >= 0) {
            counts.incrementAndGet(index(rule, c, a));
        }
    }

    long get(Rule rule, String client, String action) {
        int c = indexOf(CLIENTS, client);
        int a = indexOf(ACTIONS, action);
        return c < 0 || a < 0 ? 0 : counts.get(index(rule, c, a));
    }

    /** Sum over rules and clients for one action. */
    long total(String action) {
        int a = indexOf(ACTIONS, action);
        long sum = 0;
        for (Rule r : Rule.values()) {
            for (int c = 0; c < CLIENTS.length; c++) {
                sum += counts.get(index(r, c, a));
            }
        }
        return sum;
    }

    void droppedLines(long n) {
        droppedLines.addAndGet(n);
    }

    long droppedLines() {
        return droppedLines.get();
    }

    void reset() {
        for (int i = 0; i < counts.length(); i++) {
            counts.set(i, 0);
        }
        droppedLines.set(0);
    }

    private static int index(Rule rule, int client, int action) {
        return (rule.ordinal() * CLIENTS.length + client) * ACTIONS.length + action;
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
