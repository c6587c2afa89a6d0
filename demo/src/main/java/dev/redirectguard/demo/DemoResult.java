package dev.redirectguard.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The three runs of one demo.
 *
 * @param java        the java executable the application ran on
 * @param javaVersion the version it reported
 * @param baseUrls    where origins A and B listened
 */
record DemoResult(Path java, String javaVersion, Map<Origin, String> baseUrls, List<RunRecord> runs,
                  Path workDir, Duration elapsed) {

    RunRecord run(RunMode mode) {
        return runs.stream().filter(r -> r.mode() == mode).findFirst().orElseThrow();
    }

    /** The scenario whose first hop a log line is about. */
    Optional<Scenario> scenarioOf(AgentLogLine line) {
        String startOrigin = baseUrls.get(Origin.A);
        return Scenarios.ALL.stream().filter(s -> (startOrigin + s.startPath()).equals(line.from())).findFirst();
    }

    List<AgentLogLine> logLines(RunMode mode, Scenario scenario) {
        return run(mode).log().stream().filter(l -> scenarioOf(l).orElse(null) == scenario).toList();
    }

    /** "A/api/v1/upload" for "http://127.0.0.1:40123/api/v1/upload". */
    String shortUrl(String url) {
        if (url == null) {
            return "-";
        }
        for (Map.Entry<Origin, String> e : baseUrls.entrySet()) {
            if (url.startsWith(e.getValue() + "/")) {
                return e.getKey() + url.substring(e.getValue().length());
            }
        }
        return url;
    }
}
