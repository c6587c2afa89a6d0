package dev.redirectguard.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One run of the legacy application and what it left behind.
 *
 * @param arrivals           per scenario, the requests its target received
 * @param unexpectedRequests requests that reached a path no scenario serves
 * @param log                the agent's log lines (none without the agent)
 * @param logFile            where the agent wrote them
 */
record RunRecord(RunMode mode, AppRun app, Map<Scenario, List<Arrival>> arrivals, List<String> unexpectedRequests,
                 List<AgentLogLine> log, Path logFile) {

    List<Arrival> arrivals(Scenario s) {
        return arrivals.getOrDefault(s, List.of());
    }

    /** "HTTP 200", "failed: ...", "skipped: ...", or "(no output)" when the application never got there. */
    String appGot(Scenario s) {
        return app.outcomes().getOrDefault(s.call(), "(no output)");
    }

    /** The application did not make this call (HttpClient on Java 8). */
    boolean skipped(Scenario s) {
        return appGot(s).startsWith("skipped");
    }

    /** The fields in which this run breaks RFC 9110 for the scenario; none when it follows it. */
    List<Field> deviations(Scenario s) {
        return skipped(s) ? List.of() : s.deviations(arrivals(s), appGot(s));
    }
}
