package dev.redirectguard.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes what a JDK's client does without the agent: per rule the number of cases that break it,
 * then each deviating case with the fields that differ. Evidence for the project, not an assertion.
 */
final class BaselineReport {
    private BaselineReport() {
    }

    /** Cases per reported rule. */
    static Map<Rule, Integer> ruleCounts(RunResult baseline) {
        Map<Rule, Integer> counts = new EnumMap<>(Rule.class);
        for (CaseObservation o : baseline.cases().values()) {
            if (o.result() != null && o.sentAsIntended()) {
                Oracle.reportedRules(o).forEach(r -> counts.merge(r, 1, Integer::sum));
            }
        }
        return counts;
    }

    static Path write(Path buildDir, RunResult baseline) throws IOException {
        Collection<CaseObservation> cases = baseline.cases().values();
        List<String> out = new ArrayList<>();
        out.add("Baseline without agent: JDK " + baseline.jdk().fullVersion() + ", " + baseline.client().logName
                + ", " + cases.size() + " cases");
        out.add("");
        out.add(String.format("%-22s %s", "rule", "cases"));
        ruleCounts(baseline).forEach((rule, n) -> out.add(String.format("%-22s %d", rule, n)));
        List<CaseObservation> unrated = cases.stream().filter(o -> o.result() == null || !o.sentAsIntended()).toList();
        long compliant = cases.stream().filter(o -> o.result() != null && o.sentAsIntended()
                && Oracle.deviations(o).isEmpty()).count();
        out.add(String.format("%-22s %d", "(compliant)", compliant));
        out.add(String.format("%-22s %d", "(not sent as intended)", unrated.size()));
        out.add("");
        out.add("Deviating cases (rule: field expected -> got):");
        for (CaseObservation o : cases) {
            if (o.result() == null || !o.sentAsIntended()) {
                continue;
            }
            List<Oracle.Deviation> deviations = Oracle.deviations(o);
            if (!deviations.isEmpty()) {
                out.add(o.c().id() + "  " + deviations.stream()
                        .map(d -> d.rule() + ": " + d.field() + " " + Mismatches.show(d.expected()) + " -> " + Mismatches.show(d.actual()))
                        .collect(Collectors.joining("; ")));
            }
        }
        if (!unrated.isEmpty()) {
            out.add("");
            out.add("Not sent as intended (not rated):");
            for (CaseObservation o : unrated) {
                out.add(o.c().id() + "  " + (o.result() == null ? "no result" : o.result().setup()
                        + " sent " + o.result().sentMethod() + ", start got " + o.startRequests()));
            }
        }
        Path file = buildDir.resolve("baseline-" + baseline.jdk().label() + "-" + baseline.client().logName + ".txt");
        Files.write(file, out);
        return file;
    }

    /** One table over all baselines so far: rows JDK/client, columns rules. */
    static void writeSummary(Path buildDir, Collection<RunResult> baselines) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder head = new StringBuilder(String.format("%-26s %5s", "baseline", "cases"));
        for (Rule r : Rule.values()) {
            head.append(String.format(" %20s", r));
        }
        out.add(head.toString());
        for (RunResult b : baselines) {
            Map<Rule, Integer> counts = ruleCounts(b);
            StringBuilder row = new StringBuilder(String.format("%-26s %5d", b.jdk().label() + " " + b.client().logName,
                    b.cases().size()));
            for (Rule r : Rule.values()) {
                row.append(String.format(" %20d", counts.getOrDefault(r, 0)));
            }
            out.add(row.toString());
        }
        Files.write(buildDir.resolve("baseline-summary.txt"), out);
    }
}
