package dev.redirectguard.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Summarises agent logs from one or many hosts: per rule, per caller frame and per target
 * origin, how many violations, first and last seen; per rule, what enforce changes (or would
 * change). A line with {@code repeats} stands for that many violations (first seen at
 * {@code firstTs}); {@code dropped} counts lines the agent could not write, so counts are then
 * lower bounds. Lines that are not the agent's JSON are counted as bad and skipped.
 */
public final class LogReport {
    /** Changes listed per rule, most frequent first. */
    static final int CHANGES_PER_RULE = 10;
    /** The caller group of violations whose caller the agent did not read (a flood: see the log's callerUnread). */
    static final String UNREAD_CALLER = "(caller not read: one of a flood)";

    /** Counts and time range of one group. */
    static final class Group {
        final String name;
        long violations;
        long lines;
        String first;
        String last;
        final TreeSet<String> rules = new TreeSet<String>();
        final Map<String, Long> actions = new HashMap<String, Long>();
        final Map<String, Long> changes = new HashMap<String, Long>();

        Group(String name) {
            this.name = name;
        }

        void add(long weight, String firstTs, String lastTs) {
            violations += weight;
            lines++;
            if (first == null || (firstTs != null && firstTs.compareTo(first) < 0)) {
                first = firstTs;
            }
            if (last == null || (lastTs != null && lastTs.compareTo(last) > 0)) {
                last = lastTs;
            }
        }
    }

    private final Map<String, Group> byRule = new HashMap<String, Group>();
    private final Map<String, Group> byCaller = new HashMap<String, Group>();
    private final Map<String, Group> byTarget = new HashMap<String, Group>();
    private final Group all = new Group("all");
    private final List<String> sources = new ArrayList<String>();
    private final List<String> badExamples = new ArrayList<String>();
    private long badLines;
    private long dropped;

    /** Reads one log; a line that is not an agent line is counted as bad. */
    public void read(String source, BufferedReader in) throws IOException {
        long lines = 0;
        long bad = 0;
        long number = 0;
        for (String line; (line = in.readLine()) != null; ) {
            number++;
            if (line.trim().isEmpty()) {
                continue;
            }
            lines++;
            if (!add(line)) {
                bad++;
                if (badExamples.size() < 5) {
                    badExamples.add(source + ":" + number);
                }
            }
        }
        badLines += bad;
        sources.add(source + ": " + lines + " lines" + (bad > 0 ? ", " + bad + " bad" : ""));
    }

    /** @return false for a bad line */
    boolean add(String line) {
        Map<String, Object> m = FlatJson.parse(line);
        if (m == null || !(m.get("rule") instanceof String) || !(m.get("ts") instanceof String)) {
            return false;
        }
        String rule = (String) m.get("rule");
        String ts = (String) m.get("ts");
        long weight = m.get("repeats") instanceof Long ? (Long) m.get("repeats") : 1;
        String firstTs = m.get("firstTs") instanceof String ? (String) m.get("firstTs") : ts;
        if (m.get("dropped") instanceof Long) {
            dropped += (Long) m.get("dropped");
        }
        String caller = Boolean.TRUE.equals(m.get("callerUnread")) ? UNREAD_CALLER
                : text(m.get("caller"), "(no application frame)");
        String target = origin(text(m.get("to"), "(none)"));
        all.add(weight, firstTs, ts);
        Group r = group(byRule, rule);
        r.add(weight, firstTs, ts);
        String action = text(m.get("action"), "?");
        r.actions.put(action, r.actions.getOrDefault(action, 0L) + weight);
        String change = change(m);
        r.changes.put(change, r.changes.getOrDefault(change, 0L) + weight);
        Group c = group(byCaller, caller);
        c.add(weight, firstTs, ts);
        c.rules.add(rule);
        Group t = group(byTarget, target);
        t.add(weight, firstTs, ts);
        t.rules.add(rule);
        return true;
    }

    /** What enforce does about this line's hop: the JDK's next request against the rules', and the detail. */
    static String change(Map<String, Object> m) {
        String detail = text(m.get("detail"), "");
        for (String prefix : new String[] {"the JDK would have: ", "HttpRetryException kept: "}) {
            if (detail.startsWith(prefix)) {
                detail = detail.substring(prefix.length());
            }
        }
        return text(m.get("client"), "?") + " " + m.get("status") + " " + text(m.get("method"), "?") + ": JDK "
                + text(m.get("jdkMethod"), "?") + " -> enforce " + text(m.get("expectedMethod"), "?")
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    private static String text(Object o, String fallback) {
        return o instanceof String ? (String) o : fallback;
    }

    static String origin(String url) {
        int scheme = url.indexOf("://");
        int slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
        return slash < 0 ? url : url.substring(0, slash);
    }

    private static Group group(Map<String, Group> map, String name) {
        Group g = map.get(name);
        if (g == null) {
            g = new Group(name);
            map.put(name, g);
        }
        return g;
    }

    public long violations() {
        return all.violations;
    }

    public long badLines() {
        return badLines;
    }

    public void print(PrintStream out) {
        out.println("redirect-guard report: " + sources.size() + (sources.size() == 1 ? " file, " : " files, ")
                + all.lines + " lines, " + all.violations + " violations"
                + (all.first == null ? "" : ", " + all.first + " to " + all.last));
        for (String s : sources) {
            out.println("  " + s);
        }
        if (badLines > 0) {
            out.println("bad lines (not agent JSON, skipped): " + badLines + ", e.g. " + join(badExamples));
        }
        if (dropped > 0) {
            out.println("lines dropped by the agents (rate limit, full queue): " + dropped
                    + "; the counts below are lower bounds, the agents' JMX counters are exact");
        }
        if (all.lines == 0) {
            out.println("no violations");
            return;
        }
        out.println();
        out.println("By rule (violations, first seen, last seen; actions; what enforce changes):");
        for (Group g : sorted(byRule)) {
            out.println(row(g, ""));
            out.println("      actions: " + counts(g.actions));
            List<Map.Entry<String, Long>> changes = new ArrayList<Map.Entry<String, Long>>(g.changes.entrySet());
            Collections.sort(changes, new Comparator<Map.Entry<String, Long>>() {
                @Override
                public int compare(Map.Entry<String, Long> a, Map.Entry<String, Long> b) {
                    int c = Long.compare(b.getValue(), a.getValue());
                    return c != 0 ? c : a.getKey().compareTo(b.getKey());
                }
            });
            for (int i = 0; i < changes.size() && i < CHANGES_PER_RULE; i++) {
                out.println("      " + pad(String.valueOf(changes.get(i).getValue()), 9) + changes.get(i).getKey());
            }
            if (changes.size() > CHANGES_PER_RULE) {
                out.println("      ... " + (changes.size() - CHANGES_PER_RULE) + " more");
            }
        }
        out.println();
        out.println("By caller frame (violations, first seen, last seen; rules):");
        for (Group g : sorted(byCaller)) {
            out.println(row(g, "  rules: " + join(g.rules)));
        }
        out.println();
        out.println("By target host (violations, first seen, last seen; rules):");
        for (Group g : sorted(byTarget)) {
            out.println(row(g, "  rules: " + join(g.rules)));
        }
    }

    private static String row(Group g, String tail) {
        return "  " + pad(g.name, 40) + " " + pad(String.valueOf(g.violations), 9) + " " + g.first + "  " + g.last + tail;
    }

    private static List<Group> sorted(Map<String, Group> map) {
        List<Group> list = new ArrayList<Group>(map.values());
        Collections.sort(list, new Comparator<Group>() {
            @Override
            public int compare(Group a, Group b) {
                int c = Long.compare(b.violations, a.violations);
                return c != 0 ? c : a.name.compareTo(b.name);
            }
        });
        return list;
    }

    private static String counts(Map<String, Long> m) {
        StringBuilder b = new StringBuilder();
        for (String k : new TreeSet<String>(m.keySet())) {
            b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(m.get(k));
        }
        return b.toString();
    }

    private static String join(Iterable<String> parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(b.length() == 0 ? "" : ", ").append(p);
        }
        return b.toString();
    }

    private static String pad(String s, int width) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < width) {
            b.append(' ');
        }
        return b.toString();
    }
}
