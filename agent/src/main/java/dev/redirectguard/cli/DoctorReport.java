package dev.redirectguard.cli;

import dev.redirectguard.cli.DoctorCase.Client;
import dev.redirectguard.report.FlatJson;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares the three runs case by case and prints the doctor's report: per rule, what the JDK
 * does without the agent, whether audit changed nothing and logged exactly the violations, and
 * whether enforce made every case right. Lines that explain a failure start with "!".
 */
final class DoctorReport {
    private static final Pattern FROM_PATH = Pattern.compile("/d/([a-z]+)/([a-z0-9]+)/start$");
    private static final int RULE_COLUMN = 21;
    private static final int LABEL_COLUMN = 15;
    private static final int MAX_DETAILS = 6;

    private final List<DoctorCase> cases;
    private final DoctorServers servers;
    private final CallerValues caller;
    private final DoctorRun none;
    private final DoctorRun audit;
    private final DoctorRun enforce;
    /** Why there is no https server, or null. */
    private final String tlsProblem;

    private final Map<String, Observation> baseline = new HashMap<String, Observation>();
    private final Map<String, Observation> audited = new HashMap<String, Observation>();
    private final Map<String, Observation> enforced = new HashMap<String, Observation>();
    /** Audit log lines per case id and rule id. */
    private final Map<String, Integer> auditLines = new HashMap<String, Integer>();
    private final List<String> problems = new ArrayList<String>();
    private final List<String> notes = new ArrayList<String>();

    DoctorReport(List<DoctorCase> cases, DoctorServers servers, CallerValues caller, DoctorRun none, DoctorRun audit,
                 DoctorRun enforce, String tlsProblem) {
        this.cases = cases;
        this.servers = servers;
        this.caller = caller;
        this.none = none;
        this.audit = audit;
        this.enforce = enforce;
        this.tlsProblem = tlsProblem;
    }

    /** Prints the report; returns the exit code, 0 when every rule holds and nothing else went wrong. */
    int print(PrintStream out, String java, long startNanos, String filesDir) throws IOException {
        observe(none, baseline);
        observe(audit, audited);
        observe(enforce, enforced);
        checkRuns();
        readAuditLog();
        checkLeaks(audit);
        checkLeaks(enforce);
        for (String path : servers.unknownPaths()) {
            problems.add("a request for no case: " + path);
        }

        String version = none.javaVersion() != null ? none.javaVersion() : "(unknown version)";
        out.println("redirect-guard doctor: Java " + version + " (" + java + ")");
        if (none.javaVersion() == null || audit.javaVersion() == null || enforce.javaVersion() == null) {
            // A child that never started its cases: the rules have nothing to say.
            for (String problem : problems) {
                out.println("! " + problem);
            }
            out.println("files of this run: " + filesDir);
            out.println("the doctor could not run its cases on this Java (" + seconds(startNanos) + ")");
            return 1;
        }
        int urlConnection = 0;
        int httpClient = 0;
        for (DoctorCase c : cases) {
            if (c.client == Client.URL_CONNECTION) {
                urlConnection++;
            } else if (available(c)) {
                httpClient++;
            }
        }
        out.println(indent(2) + urlConnection + " cases with HttpURLConnection, "
                + (httpClient > 0 ? httpClient + " with HttpClient" : "none with HttpClient (Java 11 on)")
                + "; each run without the agent, with mode=audit and with mode=enforce");
        if (servers.otherHost() == null) {
            out.println(indent(2) + "localhost does not resolve to 127.0.0.1 here: 'another host' cases use another port");
        }
        out.println();

        List<String> failed = new ArrayList<String>();
        for (DoctorRule rule : DoctorRule.all()) {
            if (!printRule(out, rule)) {
                failed.add(rule.id);
            }
        }
        out.println();
        for (String note : notes) {
            out.println(note);
        }
        for (String problem : problems) {
            out.println("! " + problem);
        }
        String seconds = seconds(startNanos);
        boolean ok = failed.isEmpty() && problems.isEmpty();
        if (!ok) {
            out.println("files of this run: " + filesDir);
        }
        if (ok) {
            out.println("all rules hold on this JDK (" + seconds + ")");
        } else if (failed.isEmpty()) {
            out.println("the rules hold, but the doctor found the problems marked ! (" + seconds + ")");
        } else {
            out.println("rules that do not hold on this JDK: " + DoctorRule.join(failed, ", ") + " (" + seconds + ")");
        }
        return ok ? 0 : 1;
    }

    private static String seconds(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    private void observe(DoctorRun run, Map<String, Observation> into) {
        for (DoctorCase c : cases) {
            String[] r = run.result(c.id);
            into.put(c.id, new Observation(r == null ? "no result" : r[0], r == null ? "" : r[1],
                    servers.received(run.name, c, "start"), servers.received(run.name, c, "target")));
        }
    }

    private void checkRuns() throws IOException {
        for (DoctorRun run : new DoctorRun[] {none, audit, enforce}) {
            String title = run == none ? "the run without the agent" : "the " + run.name + " run";
            if (run.problem() != null) {
                StringBuilder p = new StringBuilder(title + ": the child JVM " + run.problem());
                List<String> err = run.stderrLines();
                for (String line : err.subList(Math.max(0, err.size() - 5), err.size())) {
                    p.append("\n    ").append(line);
                }
                problems.add(p.toString());
            }
            if (run != none && run.javaVersion() != null && !run.javaagentOption()) {
                problems.add(title + ": the child JVM had no -javaagent option (did a wrapper or launcher drop it?)");
            }
            for (String line : run.stderrLines()) {
                if (line.startsWith("redirect-guard")) {
                    notes.add("agent (" + run.name + "): " + line);
                }
            }
        }
    }

    private void readAuditLog() throws IOException {
        Map<String, DoctorCase> byId = new HashMap<String, DoctorCase>();
        for (DoctorCase c : cases) {
            byId.put(c.id, c);
        }
        int n = 0;
        for (String line : audit.logLines()) {
            n++;
            Map<String, String> f = texts(FlatJson.parse(line));
            if (f == null) {
                problems.add("audit log line " + n + " is not a JSON object");
                continue;
            }
            String from = f.get("from");
            Matcher m = FROM_PATH.matcher(from == null ? "" : from);
            DoctorCase c = m.find() && m.group(1).equals(audit.name) ? byId.get(m.group(2)) : null;
            DoctorRule rule = DoctorRule.byId(String.valueOf(f.get("rule")));
            if (c == null || rule == null || !c.client.displayName.equals(f.get("client"))) {
                problems.add("audit log line " + n + " is for no case: rule " + f.get("rule") + ", client "
                        + f.get("client") + ", from " + from);
                continue;
            }
            if (!"audit".equals(f.get("mode")) || !"observed".equals(f.get("action"))) {
                problems.add("audit log line " + n + " (" + c.client.displayName + " " + c.label() + "): mode "
                        + f.get("mode") + ", action " + f.get("action") + " instead of audit, observed");
            }
            String key = c.id + " " + rule.id;
            auditLines.put(key, auditLines.containsKey(key) ? auditLines.get(key) + 1 : 1);
        }
    }

    /** No header value, body or query value of the callers in any log line. */
    private void checkLeaks(DoctorRun run) throws IOException {
        int n = 0;
        for (String line : run.logLines()) {
            n++;
            for (String secret : caller.secrets()) {
                if (line.contains(secret)) {
                    problems.add("the " + run.name + " log shows a header value, body or query value of the caller"
                            + " (line " + n + ")");
                    return;
                }
            }
        }
    }

    /** Prints one rule's block; returns whether the rule holds. */
    private boolean printRule(PrintStream out, DoctorRule rule) {
        String head = pad(rule.id, RULE_COLUMN);
        if (rule == DoctorRule.NO_HTTPS_DOWNGRADE && tlsProblem != null) {
            out.println(head + "not checked: needs TLS, and the doctor's https server did not start (" + tlsProblem + ")");
            return false;
        }
        List<DoctorCase> governed = new ArrayList<DoctorCase>();
        for (DoctorCase c : cases) {
            if (available(c) && rule.governs(c)) {
                governed.add(c);
            }
        }
        List<String> details = new ArrayList<String>();

        // Without the agent, per client.
        List<String> lines = new ArrayList<String>();
        for (Client client : Client.values()) {
            lines.addAll(withoutAgent(rule, client));
        }
        printLabelled(out, head, "without agent", lines);

        // Audit: the same as without the agent, and one line for each violation.
        int changed = 0;
        for (DoctorCase c : governed) {
            Observation b = baseline.get(c.id);
            Observation a = audited.get(c.id);
            if (!a.sameAs(b)) {
                changed++;
                details.add("audit changed " + name(c) + ": without agent " + b.describe() + "; audit " + a.describe());
            }
        }
        int expected = 0;
        int logged = 0;
        int extra = 0;
        for (DoctorCase c : cases) {
            if (!available(c)) {
                continue;
            }
            boolean breaks = DoctorRule.logged(c, baseline.get(c.id), caller).contains(rule);
            Integer count = auditLines.get(c.id + " " + rule.id);
            int lineCount = count == null ? 0 : count;
            if (breaks) {
                expected++;
                if (lineCount == 1) {
                    logged++;
                } else if (lineCount == 0) {
                    details.add("audit logged no " + rule.id + " line for " + name(c));
                } else {
                    details.add("audit logged " + lineCount + " " + rule.id + " lines for " + name(c) + " (one hop)");
                }
            } else if (lineCount > 0) {
                extra++;
                details.add("audit logged " + rule.id + " for " + name(c) + ", which does not break it");
            }
        }
        String auditText = (changed == 0 ? "unchanged (" + governed.size() + " cases)"
                : "changed " + changed + " of " + governed.size() + " cases")
                + "; " + (expected == 0 && extra == 0 ? "no violation, no line"
                : "logged " + logged + " of " + expected + " violations" + (extra == 0 ? "" : ", and " + extra + " lines too many"));
        printLabelled(out, indent(RULE_COLUMN), "audit", listOf(auditText));

        // Enforce: every case right.
        int right = 0;
        for (DoctorCase c : governed) {
            Observation e = enforced.get(c.id);
            String problem = rule.problem(c, e, caller);
            if (problem == null && !e.start.equals(baseline.get(c.id).start)) {
                problem = "the first request differs from the one without the agent: " + e.start + " instead of "
                        + baseline.get(c.id).start;
            }
            if (problem == null) {
                right++;
            } else {
                details.add("enforce " + name(c) + ": " + problem + " (RFC 9110: " + expectation(rule, c) + ")");
            }
        }
        printLabelled(out, indent(RULE_COLUMN), "enforce", listOf(right + " of " + governed.size() + " cases right"));

        for (int i = 0; i < details.size() && i < MAX_DETAILS; i++) {
            out.println(indent(RULE_COLUMN) + "! " + details.get(i));
        }
        if (details.size() > MAX_DETAILS) {
            out.println(indent(RULE_COLUMN) + "! ... and " + (details.size() - MAX_DETAILS) + " more");
        }
        return !governed.isEmpty() && details.isEmpty() && none.problem() == null && audit.problem() == null
                && enforce.problem() == null;
    }

    /** "HttpURLConnection: GET 308, POST 308 -> 308 returned to the caller (2 of 4 cases)", one line per finding. */
    private List<String> withoutAgent(DoctorRule rule, Client client) {
        String prefix = client.displayName + ": ";
        if (client == Client.HTTP_CLIENT && !httpClientAvailable()) {
            return listOf(prefix + "not in this Java (java.net.http exists from Java 11 on)");
        }
        List<DoctorCase> governed = new ArrayList<DoctorCase>();
        for (DoctorCase c : cases) {
            if (c.client == client && available(c) && rule.governs(c)) {
                governed.add(c);
            }
        }
        if (governed.isEmpty()) {
            return listOf(prefix + (rule == DoctorRule.STREAMED_BODY && client == Client.HTTP_CLIENT
                    ? "not concerned (its body publishers can send a body again: POST 307 input-stream is checked"
                    + " under same-method-307-308)"
                    : "no case"));
        }
        Map<String, List<String>> groups = new LinkedHashMap<String, List<String>>();
        int found = 0;
        for (DoctorCase c : governed) {
            Observation b = baseline.get(c.id);
            String finding = rule.problem(c, b, caller);
            if (finding == null && rule == DoctorRule.STREAMED_BODY && b.target.isEmpty()) {
                finding = b.callerShort() + ", as it must (the body cannot be sent again; nothing to log)";
            }
            if (finding != null) {
                found++;
                if (!groups.containsKey(finding)) {
                    groups.put(finding, new ArrayList<String>());
                }
                groups.get(finding).add(c.label());
            }
        }
        if (groups.isEmpty()) {
            return listOf(prefix + "compliant (" + governed.size() + " cases)");
        }
        List<String> out = new ArrayList<String>();
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            String text = DoctorRule.join(g.getValue(), ", ") + " -> " + g.getKey();
            out.add(out.isEmpty() ? prefix + text : indent(prefix.length()) + text);
        }
        out.set(out.size() - 1, out.get(out.size() - 1) + " (" + found + " of " + governed.size() + " cases)");
        return out;
    }

    /** What RFC 9110 asks of this case, in the terms of this rule. */
    private static String expectation(DoctorRule rule, DoctorCase c) {
        switch (rule) {
            case SAME_ORIGIN_HEADERS:
                return "Authorization, Cookie and X-Custom sent again";
            case CROSS_ORIGIN_STRIP:
                return "no Authorization or Cookie to another origin";
            case NO_HTTPS_DOWNGRADE:
                return c.status + " returned to the caller";
            case STREAMED_BODY:
                return "HttpRetryException: the streamed body cannot be sent again";
            default:
                return c.nextMethod() + (c.keepsBody() ? " with the body and Content-Type" : " without body or Content-Type")
                        + ", the caller gets 200";
        }
    }

    private boolean available(DoctorCase c) {
        Observation b = baseline.get(c.id);
        return b == null || !b.caller.equals("unavailable");
    }

    private boolean httpClientAvailable() {
        for (DoctorCase c : cases) {
            if (c.client == Client.HTTP_CLIENT && available(c)) {
                return true;
            }
        }
        return false;
    }

    private static String name(DoctorCase c) {
        return c.client.displayName + " " + c.label();
    }

    private static void printLabelled(PrintStream out, String head, String label, List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            out.println((i == 0 ? head + pad(label, LABEL_COLUMN) : indent(RULE_COLUMN + LABEL_COLUMN)) + lines.get(i));
        }
    }

    private static List<String> listOf(String line) {
        List<String> l = new ArrayList<String>();
        l.add(line);
        return l;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + indent(width - s.length());
    }

    private static String indent(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(' ');
        }
        return b.toString();
    }

    /** A log line's fields as text (numbers as written), or null when it is not a flat JSON object. */
    private static Map<String, String> texts(Map<String, Object> fields) {
        if (fields == null) {
            return null;
        }
        Map<String, String> out = new HashMap<String, String>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            out.put(e.getKey(), e.getValue() == null ? null : String.valueOf(e.getValue()));
        }
        return out;
    }
}
