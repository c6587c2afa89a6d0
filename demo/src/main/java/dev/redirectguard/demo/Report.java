package dev.redirectguard.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints a demo's result for a terminal of about 100 columns: the side-by-side table, the logs, a summary. */
final class Report {
    private static final String INDENT = "  ";
    private static final int LABEL_WIDTH = 14;
    private static final int CELL_WIDTH = 21;
    /** A value, a space and the mark fit a cell with a space to spare. */
    private static final int VALUE_WIDTH = CELL_WIDTH - 3;
    private static final String MARK = "*";

    private final DemoResult result;
    private final PrintStream out;

    private Report(DemoResult result, PrintStream out) {
        this.result = result;
        this.out = out;
    }

    static void print(DemoResult result, List<String> failures, PrintStream out) {
        Report r = new Report(result, out);
        r.header();
        Scenarios.ALL.forEach(r::scenario);
        r.auditLog();
        r.enforceLog();
        r.legend();
        r.summary(failures);
    }

    private void header() {
        out.println("redirect-guard demo: one legacy application, three runs");
        out.println("  application  " + LegacyApp.MAIN_CLASS.substring(LegacyApp.MAIN_CLASS.lastIndexOf('.') + 1)
                + " (Java 8 code) on Java " + result.javaVersion());
        out.println("               " + result.java());
        out.println("  origin A     " + result.baseUrls().get(Origin.A) + "   the shop's services");
        out.println("  origin B     " + result.baseUrls().get(Origin.B) + "   a file host: another port, so another origin");
        out.println("  runs         no agent | -javaagent:redirect-guard-agent.jar=mode=audit | ...=mode=enforce");
        out.println();
        out.println("What each redirect's target received. Column RFC 9110: what it should receive;");
        out.println(MARK + " marks what differs from it.");
        out.println();
    }

    private void scenario(Scenario s) {
        out.println("[" + s.number() + "] " + s.call() + "()  " + s.client() + "  " + s.method() + " A" + s.startPath()
                + " -> " + s.status() + " -> " + s.target() + s.targetPath());
        out.println("    " + s.story());
        StringBuilder head = new StringBuilder(INDENT + " ".repeat(LABEL_WIDTH)).append(cell("RFC 9110", false));
        for (RunMode mode : RunMode.values()) {
            head.append(cell(mode.label(), false));
        }
        out.println(head.toString().stripTrailing());
        for (Field field : Field.values()) {
            StringBuilder line = new StringBuilder(INDENT).append(pad(field.label(), LABEL_WIDTH));
            line.append(cell(expectedValue(s, field), false));
            for (RunMode mode : RunMode.values()) {
                RunRecord run = result.run(mode);
                line.append(cell(runValue(run, s, field), run.deviations(s).contains(field)));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
    }

    private static String expectedValue(Scenario s, Field field) {
        return field == Field.APP_GOT ? Scenario.APP_EXPECTED : s.expected().value(field);
    }

    private static String runValue(RunRecord run, Scenario s, Field field) {
        if (field == Field.APP_GOT) {
            return appGot(run.appGot(s));
        }
        if (run.skipped(s)) {
            return field == Field.REQUEST ? "(needs Java 11)" : "";
        }
        List<Arrival> arrivals = run.arrivals(s);
        if (arrivals.isEmpty()) {
            return field == Field.REQUEST ? "(nothing)" : "-";
        }
        String value = arrivals.get(0).value(field);
        return field == Field.REQUEST && arrivals.size() > 1 ? value + " x" + arrivals.size() : value;
    }

    /** "failed: java.net.ProtocolException: ..." becomes "ProtocolException". */
    private static String appGot(String outcome) {
        if (outcome.startsWith("failed: ")) {
            String exception = outcome.substring("failed: ".length()).split(":", 2)[0];
            return exception.substring(exception.lastIndexOf('.') + 1);
        }
        return outcome.startsWith("skipped") ? "skipped" : outcome;
    }

    private void auditLog() {
        RunRecord audit = result.run(RunMode.AUDIT);
        out.println("Audit log, mode=audit (nothing changed, one line per rule a hop breaks): "
                + lines(audit.log().size()));
        out.println("  full JSON: " + display(audit.logFile()));
        for (AgentLogLine l : audit.log()) {
            out.println(INDENT + tag(l) + pad(l.rule(), 21) + pad(l.client(), 19) + l.status() + " " + l.method()
                    + " " + result.shortUrl(l.from()) + " -> " + result.shortUrl(l.to()));
            out.println("      JDK: " + l.jdkMethod() + "   RFC 9110: " + l.expectedMethod() + "   " + l.detail());
            out.println("      at " + l.shortCaller());
        }
        out.println();
    }

    private void enforceLog() {
        RunRecord enforce = result.run(RunMode.ENFORCE);
        out.println("Enforce log, mode=enforce (what was corrected): " + lines(enforce.log().size()));
        out.println("  full JSON: " + display(enforce.logFile()));
        for (AgentLogLine l : enforce.log()) {
            out.println(INDENT + tag(l) + pad(l.action(), 10) + pad(l.rule(), 21) + pad(l.status() + " " + l.method(), 9)
                    + "JDK would: " + pad(l.jdkMethod(), 20) + "sent: " + l.expectedMethod());
        }
        out.println();
    }

    private String tag(AgentLogLine line) {
        return pad(result.scenarioOf(line).map(s -> "[" + s.number() + "]").orElse("[?]"), 4);
    }

    private void legend() {
        out.println("Rule ids (RFC 9110 section 15.4)");
        out.println("  same-method-307-308  307/308 repeat the request: same method, body, headers; 308 is followed");
        out.println("  get-after-303        303 means GET (HEAD stays HEAD): no body, no Content-* headers");
        out.println("  post-after-301-302   301/302 may turn POST into GET (without its body); other methods stay");
        out.println("  same-origin-headers  same origin: the caller's headers (Authorization, Cookie, ...) go along");
        out.println("  cross-origin-strip   another origin: Authorization and Cookie are not sent");
        out.println("  no-https-downgrade   a redirect from https to http is not followed");
        out.println("  streamed-body        a streamed body cannot be sent again: the JDK refuses that hop itself, as it must");
        out.println();
    }

    private void summary(List<String> failures) {
        RunRecord none = result.run(RunMode.NO_AGENT);
        RunRecord audit = result.run(RunMode.AUDIT);
        RunRecord enforce = result.run(RunMode.ENFORCE);
        List<Scenario> made = Scenarios.ALL.stream().filter(s -> !none.skipped(s)).toList();
        List<Scenario> changedByAudit = made.stream()
                .filter(s -> !audit.arrivals(s).equals(none.arrivals(s)) || !audit.appGot(s).equals(none.appGot(s)))
                .toList();
        out.println("Summary, Java " + result.javaVersion() + ", " + made.size() + " scenarios");
        out.println("  no agent  " + rfcKept(none, made));
        out.println("  audit     " + (changedByAudit.isEmpty() ? "the same requests and answers as without the agent"
                : "NOT the same as without the agent" + numbers(changedByAudit))
                + "; " + lines(audit.log().size()) + " logged");
        out.println("  enforce   " + rfcKept(enforce, made) + "; " + lines(enforce.log().size()) + " logged");
        String time = String.format(Locale.ROOT, "%.1f s", result.elapsed().toMillis() / 1000.0);
        String where = "3 runs in " + time + "; output and logs in " + display(result.workDir());
        if (failures.isEmpty()) {
            out.println("Smoke checks passed. " + where);
        } else {
            out.println("Smoke checks FAILED (" + where + "):");
            failures.forEach(f -> out.println("  - " + f));
        }
    }

    private static String rfcKept(RunRecord run, List<Scenario> scenarios) {
        List<Scenario> broken = scenarios.stream().filter(s -> !run.deviations(s).isEmpty()).toList();
        return broken.isEmpty() ? "RFC 9110 kept in all " + scenarios.size()
                : "RFC 9110 broken in " + broken.size() + numbers(broken);
    }

    private static String numbers(List<Scenario> scenarios) {
        return ": " + scenarios.stream().map(s -> "[" + s.number() + "]").collect(Collectors.joining(" "));
    }

    private static String lines(int n) {
        return n == 1 ? "1 line" : n + " lines";
    }

    /** A path relative to the working directory when it is below it, as a user would type it. */
    private static String display(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = path.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private static String cell(String value, boolean marked) {
        String v = value.length() > VALUE_WIDTH ? value.substring(0, VALUE_WIDTH - 2) + ".." : value;
        return pad(marked ? v + " " + MARK : v, CELL_WIDTH);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
