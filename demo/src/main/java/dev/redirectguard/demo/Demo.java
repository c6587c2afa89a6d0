package dev.redirectguard.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the legacy application three times against the embedded servers: without the agent, with
 * mode=audit, with mode=enforce. The runs are sequential so each one's requests are its own.
 */
final class Demo {
    private Demo() {
    }

    static DemoResult run(DemoSettings settings) throws IOException, InterruptedException {
        settings.check();
        Files.createDirectories(settings.workDir());
        long start = System.nanoTime();
        LegacyApp app = new LegacyApp(settings.java(), settings.appClasses(), settings.agentJar());
        try (DemoServers servers = DemoServers.start(Scenarios.ALL)) {
            Map<Origin, String> baseUrls = new EnumMap<>(Origin.class);
            for (Origin o : Origin.values()) {
                baseUrls.put(o, servers.baseUrl(o));
            }
            List<RunRecord> runs = new ArrayList<>();
            for (RunMode mode : RunMode.values()) {
                runs.add(runOnce(app, servers, mode, settings));
            }
            String version = runs.get(0).app().javaVersion();
            return new DemoResult(settings.java(), version, baseUrls, runs, settings.workDir(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static RunRecord runOnce(LegacyApp app, DemoServers servers, RunMode mode, DemoSettings settings)
            throws IOException, InterruptedException {
        servers.reset();
        Path log = settings.workDir().resolve(mode.fileName() + ".jsonl");
        LegacyApp.checkAgentSyntax(settings.agentJar(), log);
        Files.deleteIfExists(log); // the agent appends to an existing file
        AppRun appRun = app.run(mode, servers.baseUrl(Origin.A), log, settings.workDir());
        Map<Scenario, List<Arrival>> arrivals = new LinkedHashMap<>();
        for (Scenario s : Scenarios.ALL) {
            arrivals.put(s, servers.arrivals(s));
        }
        List<AgentLogLine> lines = mode.hasAgent() ? AgentLogLine.readAll(log) : List.of();
        return new RunRecord(mode, appRun, arrivals, servers.unexpected(), lines, log);
    }
}
