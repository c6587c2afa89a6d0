package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.redirectguard.it.child.ChildCase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole case table on every JDK of the matrix, per client, in four runs: without the agent
 * (the baseline, reported to target/baseline-*.txt), then with the agent in modes off, audit and
 * enforce, each checked against the baseline and the oracle. One reported test per run. The
 * enforce run has HotSpot verify boot classes too ({@code -XX:+BytecodeVerificationLocal}, see
 * ChildJvm), so a wrong stack map frame in a rewritten java.base class fails it.
 */
class RedirectMatrixIT {
    private static final Path BUILD_DIR = ItFiles.BUILD_DIR;
    private static final Path AGENT_JAR = ItFiles.AGENT_JAR;
    private static final Path CHILD_CLASSES = ItFiles.CHILD_CLASSES;

    private static RecordingServers servers;
    private static ChildJvm childJvm;
    private static RunChecks checks;
    /** Baselines by JDK and client; the agent runs compare against them, so they run first. */
    private static final Map<String, RunResult> baselines = new LinkedHashMap<>();

    @BeforeAll
    static void startServers() throws Exception {
        TestCertificate tls = TestCertificate.generate(BUILD_DIR.resolve("it-tls"));
        servers = RecordingServers.start(tls.serverContext());
        childJvm = new ChildJvm(CHILD_CLASSES, ItFiles.snapshotOfAgentJar("it-agent"), tls);
        checks = new RunChecks(servers);
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> redirectMatrix() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JdkMatrix.Jdk jdk : JdkMatrix.selected()) {
            if (jdk.problem() != null) {
                tests.add(dynamicTest(jdk.label() + " available", () -> fail(jdk.problem())));
                continue;
            }
            for (Client client : Client.values()) {
                if (jdk.version() < client.minimumJdk) {
                    continue;
                }
                for (AgentMode mode : AgentMode.values()) {
                    tests.add(dynamicTest(RunResult.label(jdk, client, mode), () -> runAndCheck(jdk, client, mode)));
                }
            }
        }
        return tests.stream();
    }

    private void runAndCheck(JdkMatrix.Jdk jdk, Client client, AgentMode mode) throws Exception {
        String label = RunResult.label(jdk, client, mode);
        String key = jdk.label() + " " + client.logName;
        RunResult baseline = baselines.get(key);
        if (mode != AgentMode.NONE) {
            assertTrue(childJvm.hasAgent(), label + ": agent jar missing at " + AGENT_JAR
                    + ": build the agent module first (mvn -B verify from the top directory)");
            assertNotNull(baseline, label + ": no baseline for " + key + ": its run without the agent did not complete");
        }
        Mismatches mm = new Mismatches(label);
        RunFiles files = RunFiles.in(BUILD_DIR.resolve("it-runs").resolve(label.replace(' ', '-')));
        RunResult run = execute(jdk, client, mode, files, mm);
        switch (mode) {
            case NONE -> {
                checks.baselineReachedServers(run, mm);
                baselines.put(key, run);
                BaselineReport.write(BUILD_DIR, run);
                BaselineReport.writeSummary(BUILD_DIR, baselines.values());
            }
            case OFF -> {
                checks.identicalToBaseline(baseline, run, mm);
                checks.noLog(run, Files.readAllLines(files.stderr()), mm);
            }
            case AUDIT -> {
                checks.identicalToBaseline(baseline, run, mm);
                checks.logMatches(baseline, run, Oracle::auditLog, Set.of("observed"), mm);
            }
            case ENFORCE -> {
                checks.matchesOracle(baseline, run, mm);
                checks.logMatches(baseline, run, Oracle::enforceLog, Set.of("corrected", "refused"), mm);
            }
        }
        System.out.printf("[%s] %d cases, child JVM %.1f s, %d log lines, %d mismatches%n", label, run.cases().size(),
                run.elapsed().toMillis() / 1000.0, run.log().size(), mm.size());
        mm.assertNone(files.mismatches());
    }

    /** Runs the client's case table in a child JVM and gathers what the caller and the servers saw. */
    private RunResult execute(JdkMatrix.Jdk jdk, Client client, AgentMode mode, RunFiles files, Mismatches mm)
            throws IOException, InterruptedException {
        List<RedirectCase> cases = CaseTable.forClient(client);
        ItFiles.recreate(files.dir());
        servers.prepare(cases);
        Files.write(files.cases(), cases.stream()
                .map(c -> new ChildCase(c.id(), c.invocation(), c.method(), c.bodyMode(), servers.startUrl(c)).toLine())
                .toList());

        ChildJvm.Outcome outcome = childJvm.run(jdk, client, mode, files);
        if (outcome.exitCode() != 0) {
            mm.add("child JVM exited with " + outcome.exitCode() + ": " + String.join(" ", outcome.command())
                    + "\nstderr:\n" + ChildJvm.tail(files.stderr()));
        }

        Map<String, ChildResult> results = new LinkedHashMap<>();
        if (Files.exists(files.results())) {
            for (String line : Files.readAllLines(files.results())) {
                ChildResult r = ChildResult.fromJson(line);
                results.put(r.id(), r);
            }
        }
        Map<String, CaseObservation> observed = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (RedirectCase c : cases) {
            ids.add(c.id());
            ChildResult r = results.get(c.id());
            if (r == null) {
                mm.add(c.id(), "caller result", "a result line", "none");
            }
            observed.put(c.id(), new CaseObservation(c, r, servers.received(c.startPath()), servers.received(c.targetPath())));
        }
        results.keySet().stream().filter(id -> !ids.contains(id)).forEach(id -> mm.add("result for unknown case " + id));
        servers.unknownPaths().forEach(p -> mm.add("request to a path of no case: " + p));
        return new RunResult(jdk, client, mode, observed, LogLine.read(files.agentLog()), outcome.elapsed());
    }

}
