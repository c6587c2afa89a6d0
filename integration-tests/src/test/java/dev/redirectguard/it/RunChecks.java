package dev.redirectguard.it;

import dev.redirectguard.it.child.ChildCase;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The assertions of each mode, comparing a run with its baseline and the oracle; all report into Mismatches. */
final class RunChecks {
    private final RecordingServers servers;

    RunChecks(RecordingServers servers) {
        this.servers = servers;
    }

    /** Every case that the client did send must reach the start path once, as intended; otherwise the run tests nothing. */
    void baselineReachedServers(RunResult run, Mismatches mm) {
        for (CaseObservation o : run.cases().values()) {
            if (o.result() != null && o.result().setupOk() && !o.sentAsIntended()) {
                mm.add(o.c().id(), "start requests", List.of(CaseObservation.intendedStart(o.c())), o.startRequests());
            }
        }
    }

    /** Off and audit must not change anything: same caller result and same requests on both hops, case for case. */
    void identicalToBaseline(RunResult baseline, RunResult run, Mismatches mm) {
        for (CaseObservation b : baseline.cases().values()) {
            String id = b.c().id();
            CaseObservation o = run.cases().get(id);
            if (o.result() == null || b.result() == null) {
                continue; // already reported as a missing result
            }
            ChildResult want = b.result();
            ChildResult got = o.result();
            same(mm, id, "caller setup", want.setup(), got.setup());
            same(mm, id, "caller sent method", want.sentMethod(), got.sentMethod());
            same(mm, id, "caller final method", want.finalMethod(), got.finalMethod());
            same(mm, id, "caller status", want.status(), got.status());
            same(mm, id, "caller body", want.body(), got.body());
            same(mm, id, "caller error", want.error(), got.error());
            same(mm, id, "caller error message", want.errorMessage(), got.errorMessage());
            same(mm, id, "caller final URL", want.finalUrl(), got.finalUrl());
            same(mm, id, "start requests", b.startRequests(), o.startRequests());
            same(mm, id, "target requests", b.targetRequests(), o.targetRequests());
        }
    }

    /** Enforce: every rated case ends as the oracle says; unrated ones (not sent as intended) as in the baseline. */
    void matchesOracle(RunResult baseline, RunResult run, Mismatches mm) {
        for (CaseObservation b : baseline.cases().values()) {
            String id = b.c().id();
            CaseObservation o = run.cases().get(id);
            if (o.result() == null || b.result() == null) {
                continue;
            }
            if (!b.sentAsIntended()) {
                same(mm, id, "caller setup (unrated case)", b.result().setup(), o.result().setup());
                same(mm, id, "start requests (unrated case)", b.startRequests(), o.startRequests());
                continue;
            }
            same(mm, id, "start requests", List.of(CaseObservation.intendedStart(b.c())), o.startRequests());
            for (Oracle.Deviation d : Oracle.deviations(o)) {
                mm.add(id, d.field() + " (" + d.rule() + ")", d.expected(), d.actual());
            }
        }
    }

    /** Off writes no log lines, neither to the log file nor as JSON on stderr. */
    void noLog(RunResult run, List<String> stderr, Mismatches mm) {
        run.log().stream().limit(5).forEach(l -> mm.add("log line " + l.number() + " in mode off: " + l.raw()));
        stderr.stream().filter(l -> l.contains("\"rule\"")).limit(5)
                .forEach(l -> mm.add("rule line on stderr in mode off: " + l));
    }

    /** Audit and enforce: one line per expected rule for each case, none for compliant cases, all fields right. */
    void logMatches(RunResult baseline, RunResult run, Function<CaseObservation, Oracle.LogExpectation> expectation,
                    Set<String> modeActions, Mismatches mm) {
        Map<String, List<LogLine>> byCase = new LinkedHashMap<>();
        for (LogLine line : run.log()) {
            if (line.fields() == null) {
                mm.add("log line " + line.number() + " is not a JSON object: " + line.raw());
            } else if (line.caseId() == null || !run.cases().containsKey(line.caseId())) {
                mm.add("log line " + line.number() + " has a 'from' that names no case: " + line.raw());
            } else {
                byCase.computeIfAbsent(line.caseId(), k -> new ArrayList<>()).add(line);
            }
        }
        for (CaseObservation b : baseline.cases().values()) {
            RedirectCase c = b.c();
            List<LogLine> lines = byCase.getOrDefault(c.id(), List.of());
            lines.forEach(l -> lineFields(l, c, run.mode(), modeActions, b, mm));
            if (b.result() == null || !b.sentAsIntended()) {
                continue; // unrated: the client never sent the request the case describes
            }
            Oracle.LogExpectation want = expectation.apply(b);
            Set<Rule> got = EnumSet.noneOf(Rule.class);
            for (LogLine l : lines) {
                Rule rule = Rule.byId(l.text("rule"));
                if (rule == null) {
                    continue; // reported by lineFields
                }
                if (!got.add(rule)) {
                    mm.add(c.id(), "log lines for rule " + rule, 1, "more than one (line " + l.number() + ")");
                }
                Set<String> actions = want.allowedActions().get(rule);
                if (actions != null && !actions.contains(l.text("action"))) {
                    mm.add(c.id(), "log action for " + rule + " (line " + l.number() + ")", actions, l.text("action"));
                }
            }
            if (!want.isMetBy(got)) {
                mm.add(c.id(), "log rules", want.describe(), got.isEmpty() ? "no line" : got);
            }
        }
    }

    private void lineFields(LogLine l, RedirectCase c, AgentMode mode, Set<String> modeActions, CaseObservation baseline,
                            Mismatches mm) {
        String id = c.id();
        String where = " (log line " + l.number() + ")";
        if (Rule.byId(l.text("rule")) == null) {
            mm.add(id, "log rule" + where, "a known rule id", l.get("rule"));
        }
        for (String field : List.of("ts", "thread", "jdkMethod")) {
            if (!l.fields().containsKey(field)) {
                mm.add(id, "log field " + field + where, "present", "absent");
            }
        }
        for (String field : List.of("ts", "thread")) {
            if (l.text(field) == null || l.text(field).isBlank()) {
                mm.add(id, "log " + field + where, "non-empty", l.get(field));
            }
        }
        same(mm, id, "log client" + where, c.client().logName, l.get("client"));
        same(mm, id, "log mode" + where, mode.agentValue(), l.get("mode"));
        if (!modeActions.contains(l.text("action"))) {
            mm.add(id, "log action" + where, modeActions, l.get("action"));
        }
        same(mm, id, "log status" + where, String.valueOf(c.status()), l.text("status"));
        same(mm, id, "log method" + where, c.method(), l.get("method"));
        same(mm, id, "log expectedMethod" + where, Oracle.redirectMethod(c), l.text("expectedMethod"));
        RecordedRequest jdkTarget = baseline.target();
        if (jdkTarget != null) {
            same(mm, id, "log jdkMethod" + where, jdkTarget.method(), l.get("jdkMethod"));
        }
        same(mm, id, "log from" + where, servers.startUrl(c), l.get("from"));
        same(mm, id, "log to" + where, servers.targetUrl(c), l.get("to"));
        String runner = Pattern.quote(c.client().runnerSimpleName());
        String caller = l.text("caller");
        if (caller == null || !caller.matches("(.*[./])?" + runner + "\\.[\\w$<>]+\\(" + runner + "\\.java:\\d+\\)")) {
            mm.add(id, "log caller" + where, "a frame " + c.client().runnerSimpleName() + ".method(File:line)", caller);
        }
        for (String secret : List.of("token-" + id, "cookie-" + id, ChildCase.custom(id), ChildCase.body(id))) {
            if (l.raw().contains(secret)) {
                mm.add(id, "log line " + l.number() + " leaks", "no header value or body", secret);
            }
        }
    }

    private static void same(Mismatches mm, String id, String field, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            mm.add(id, field, expected, actual);
        }
    }
}
