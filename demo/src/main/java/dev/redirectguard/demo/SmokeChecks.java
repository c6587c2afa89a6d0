package dev.redirectguard.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the demo promises, checked so that it doubles as a smoke test: every run completed; audit
 * changed nothing and logged exactly the scenarios the JDK got wrong; enforce delivered what
 * RFC 9110 asks for and corrected the same rules audit reported.
 */
final class SmokeChecks {
    private SmokeChecks() {
    }

    /** One sentence per broken promise; empty when all hold. */
    static List<String> failures(DemoResult result) {
        List<String> failures = new ArrayList<>();
        for (RunRecord run : result.runs()) {
            runCompleted(run, failures);
        }
        RunRecord none = result.run(RunMode.NO_AGENT);
        RunRecord audit = result.run(RunMode.AUDIT);
        RunRecord enforce = result.run(RunMode.ENFORCE);
        for (Scenario s : Scenarios.ALL) {
            if (none.skipped(s)) {
                continue;
            }
            String name = "[" + s.number() + "] " + s.call();
            if (!audit.arrivals(s).equals(none.arrivals(s)) || !audit.appGot(s).equals(none.appGot(s))) {
                failures.add("audit: " + name + " went differently than without the agent; audit must change nothing");
            }
            List<Field> enforceDeviations = enforce.deviations(s);
            if (!enforceDeviations.isEmpty()) {
                failures.add("enforce: " + name + " is not what RFC 9110 asks for, in: " + enforceDeviations);
            }
            boolean jdkBroke = !none.deviations(s).isEmpty();
            Set<String> auditRules = rules(result.logLines(RunMode.AUDIT, s));
            Set<String> enforceRules = rules(result.logLines(RunMode.ENFORCE, s));
            if (jdkBroke && auditRules.isEmpty()) {
                failures.add("audit: no log line for " + name + ", which the JDK got wrong in: " + none.deviations(s));
            }
            if (!jdkBroke && !auditRules.isEmpty()) {
                failures.add("audit: " + name + " followed RFC 9110 yet was logged as breaking " + auditRules);
            }
            if (!enforceRules.equals(auditRules)) {
                failures.add("enforce: " + name + " logged " + enforceRules + " where audit logged " + auditRules);
            }
        }
        logActions(result, audit, "observed", failures);
        logActions(result, enforce, "corrected", failures);
        return failures;
    }

    private static void runCompleted(RunRecord run, List<String> failures) {
        String label = run.mode().label();
        if (run.app().exitCode() != 0) {
            failures.add(label + ": the application exited with " + run.app().exitCode() + " (see " + run.app().stderr() + ")");
        }
        for (Scenario s : Scenarios.ALL) {
            if (!run.app().outcomes().containsKey(s.call())) {
                failures.add(label + ": the application printed no outcome for " + s.call());
            }
        }
        if (!run.unexpectedRequests().isEmpty()) {
            failures.add(label + ": requests to paths no redirect points to: " + run.unexpectedRequests());
        }
    }

    /** Every line of a run carries the run's action and belongs to a scenario's hop. */
    private static void logActions(DemoResult result, RunRecord run, String action, List<String> failures) {
        for (AgentLogLine line : run.log()) {
            if (!action.equals(line.action())) {
                failures.add(run.mode().label() + ": a log line says action " + line.action() + ", not " + action
                        + ": " + line.rule() + " " + line.from());
            }
            if (result.scenarioOf(line).isEmpty()) {
                failures.add(run.mode().label() + ": a log line about a hop of no scenario: " + line.from());
            }
        }
    }

    private static Set<String> rules(List<AgentLogLine> lines) {
        Set<String> rules = new TreeSet<>();
        lines.forEach(l -> rules.add(l.rule()));
        return rules;
    }
}
