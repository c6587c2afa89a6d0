package dev.redirectguard.it;

import dev.redirectguard.report.FlatJson;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.redirectguard.it.sequence.Generator;
import dev.redirectguard.it.sequence.Plan;
import dev.redirectguard.it.sequence.Recorded;
import dev.redirectguard.it.sequence.RunOutput;
import dev.redirectguard.it.sequence.SequenceOracle;
import dev.redirectguard.it.sequence.SequenceServers;
import dev.redirectguard.it.sequence.Shrinker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The differential sequence test (issue 9): a seeded generator of request sequences
 * ({@link Generator}) run per JDK and API in one child JVM per mode, all sequences in order so
 * that clients, executors, keep-alive connections, authentication caches and cookie stores carry
 * over: {@code none} (no agent), {@code audit}, {@code enforce}, against the recording servers of
 * {@link SequenceServers}; {@link SequenceOracle} says what audit and enforce must show. A failure
 * names the seed, JDK and mode and shows the shortest failing sequence ({@link Shrinker}).
 *
 * <p>{@code -Dsequences.seed=} and {@code -Dsequences.count=} for other and longer runs;
 * {@code -Dsequences.shrinkRuns=} bounds the re-runs spent shrinking one failure (0: none),
 * {@code -Dsequences.shrinkKinds=} how many kinds of mismatch are shrunk (default 1, the earliest).
 */
class SequenceIT {
    static final long SEED = number("sequences.seed", 38);
    static final int COUNT = (int) number("sequences.count", 15);
    static final int SHRINK_TRIALS = (int) number("sequences.shrinkRuns", 24);
    /** How many kinds of mismatch of one failing run are shrunk, earliest first (each its own budget). */
    static final int SHRINK_KINDS = (int) number("sequences.shrinkKinds", 1);
    private static final Path RUNS = ItFiles.BUILD_DIR.resolve("it-runs").resolve("sequences");

    private static TestCertificate tls;
    private static SequenceServers servers;
    private static Path agentJar;
    private static final Map<String, Plan> plans = new LinkedHashMap<>();
    private static final Map<String, RunOutput> noneRuns = new LinkedHashMap<>();
    /** Shrunk plans by API, mode and mismatch kind: another JDK with the same failure tries it first. */
    private static final Map<String, Plan> shrunk = new LinkedHashMap<>();

    /** A number from a system property; unset or empty: the default; anything else is a usage error. */
    private static long number(String property, long fallback) {
        String v = System.getProperty(property, "").trim();
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + property + "=" + v + " is not a number", e);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        tls = TestCertificate.generate(ItFiles.BUILD_DIR.resolve("it-tls-sequences"));
        servers = SequenceServers.start(tls.serverContext());
        agentJar = ItFiles.snapshotOfAgentJar("it-agent-sequences");
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> sequences() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
            for (String api : List.of(Plan.HUC, Plan.HC)) {
                if (api.equals(Plan.HC) && jdk.version() < 11) {
                    continue; // no java.net.http before 11
                }
                for (String mode : List.of("none", "audit", "enforce")) {
                    tests.add(dynamicTest(jdk.label() + " " + api + " " + mode, () -> runAndCheck(jdk, api, mode)));
                }
            }
        });
    }

    private void runAndCheck(JdkMatrix.Jdk jdk, String api, String mode) throws Exception {
        String label = jdk.label() + " " + api + " " + mode;
        if (!mode.equals("none")) {
            assertTrue(agentJar != null, "agent jar missing at " + ItFiles.AGENT_JAR + ": build the agent first");
        }
        Plan plan = plans.computeIfAbsent(api, a -> Generator.generate(a, SEED, COUNT));
        Path dir = RUNS.resolve(label.replace(' ', '-'));
        RunOutput out = run(jdk, plan, mode, dir);
        List<SequenceOracle.Mismatch> mm = check(plan, mode, jdk.label() + " " + api, out);
        Files.write(dir.resolve("mismatches.txt"), mm.stream().map(SequenceOracle.Mismatch::describe).toList());
        System.out.printf("[%s] %d sequences, %d calls, %d requests, %d log lines, child JVM %s, %d mismatches%n", label,
                plan.sequences().size(), plan.calls().size(), out.requestsByCall().values().stream().mapToInt(List::size).sum(),
                out.log().size(), Files.readString(dir.resolve("elapsed.txt")).trim(), mm.size());
        if (mm.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder();
        msg.append(label).append(": ").append(mm.size()).append(" mismatches in sequences ")
                .append(mm.stream().filter(m -> !m.call().equals("-")).map(m -> RunOutput.sequenceOf(m.call()))
                        .collect(Collectors.toCollection(TreeSet<Integer>::new)).toString())
                .append(" (seed ").append(SEED).append(", ").append(COUNT).append(" sequences; again with -Dsequences.seed=")
                .append(SEED).append(" -Dsequences.count=").append(COUNT).append(" -Dredirectguard.jdks=").append(jdk.version())
                .append(" -Dit.test=SequenceIT)\nby kind:\n");
        Map<String, Long> kinds = new TreeMap<>();
        mm.forEach(m -> kinds.merge(m.kind(), 1L, Long::sum));
        kinds.forEach((k, n) -> msg.append(String.format("  %4d  %s%n", n, k)));
        msg.append("first: ").append(mm.get(0).describe()).append('\n');
        if (!mode.equals("none") && SHRINK_TRIALS > 0) {
            List<String> kindsDone = new ArrayList<>();
            for (SequenceOracle.Mismatch target : mm) {
                if (kindsDone.size() >= SHRINK_KINDS) {
                    break;
                }
                if (!target.call().equals("-") && !kindsDone.contains(target.kind())) {
                    kindsDone.add(target.kind());
                    msg.append(shrink(jdk, plan, mode, dir.resolve("shrink-" + kindsDone.size()), target));
                }
            }
        }
        msg.append("all mismatches: ").append(dir.resolve("mismatches.txt")).append('\n');
        Files.writeString(dir.resolve("failure.txt"), msg);
        throw new AssertionError(msg.toString());
    }

    private String shrink(JdkMatrix.Jdk jdk, Plan plan, String mode, Path shrinkDir, SequenceOracle.Mismatch target)
            throws Exception {
        String key = plan.api() + " " + mode + " " + target.kind();
        int[] n = {0};
        ItFiles.recreate(shrinkDir);
        Shrinker.Result r = Shrinker.shrink(plan, target, shrunk.get(key), candidate -> {
            n[0]++;
            Path d = shrinkDir.resolve(String.valueOf(n[0]));
            RunOutput none = run(jdk, candidate, "none", d.resolve("none"));
            SequenceOracle oracle = new SequenceOracle(candidate, servers.ports());
            if (!oracle.checkNone(none).isEmpty()) {
                return List.of();
            }
            RunOutput out = run(jdk, candidate, mode, d.resolve(mode));
            List<SequenceOracle.Mismatch> mm = sorted(mode.equals("audit") ? oracle.checkAudit(none, out)
                    : oracle.checkEnforce(none, out));
            Files.write(d.resolve("mismatches.txt"), mm.stream().map(SequenceOracle.Mismatch::describe).toList());
            return mm;
        }, SHRINK_TRIALS);
        StringBuilder sb = new StringBuilder();
        if (r.mismatches().isEmpty()) {
            sb.append("shrinking '").append(target.kind()).append("' (").append(r.trials()).append(" re-runs): ")
                    .append(r.note()).append("; the failing sequence:\n").append(r.plan().describe());
            return sb.toString();
        }
        shrunk.put(key, r.plan());
        Files.writeString(shrinkDir.resolve("shortest.txt"), r.plan().describe());
        sb.append("shortest failing sequence for '").append(target.kind()).append("' (").append(r.trials())
                .append(" re-runs in fresh JVMs").append(r.note().isEmpty() ? "" : "; " + r.note()).append("):\n")
                .append(r.plan().describe()).append("what it shows in ").append(mode).append(":\n");
        r.mismatches().stream().limit(12).forEach(m -> sb.append("  ").append(m.describe().replace("\n", "\n  ")).append('\n'));
        return sb.toString();
    }

    static List<SequenceOracle.Mismatch> check(Plan plan, String mode, String key, RunOutput out) {
        SequenceOracle oracle = new SequenceOracle(plan, servers.ports());
        if (mode.equals("none")) {
            noneRuns.put(key, out);
            return sorted(oracle.checkNone(out));
        }
        RunOutput none = noneRuns.get(key);
        if (none == null) {
            throw new AssertionError(key + ": no run without the agent to compare with (it failed to run)");
        }
        return sorted(mode.equals("audit") ? oracle.checkAudit(none, out) : oracle.checkEnforce(none, out));
    }

    /** In plan order (sequence, step, call), so that the first is the earliest, where a cascade starts. */
    static List<SequenceOracle.Mismatch> sorted(List<SequenceOracle.Mismatch> mm) {
        List<SequenceOracle.Mismatch> out = new ArrayList<>(mm);
        out.sort(Comparator.comparingLong((SequenceOracle.Mismatch m) -> order(m.call())));
        return out;
    }

    private static long order(String call) {
        if (call.equals("-")) {
            return -1;
        }
        String[] f = call.split("\\.");
        return Long.parseLong(f[0]) * 1_000_000 + Long.parseLong(f[1]) * 1000 + Long.parseLong(f[2]);
    }

    static RunOutput run(JdkMatrix.Jdk jdk, Plan plan, String mode, Path dir) throws IOException, InterruptedException {
        ItFiles.recreate(dir);
        Path planFile = dir.resolve("plan.tsv");
        Path results = dir.resolve("results.jsonl");
        Path log = dir.resolve("agent-log.jsonl");
        Files.write(planFile, plan.toLines(servers.origins(), servers.controlAddress(), servers.proxies()));
        Files.writeString(dir.resolve("plan.txt"), plan.api() + ", seed " + plan.seed() + "\n" + plan.describe());
        servers.prepare(plan.script());

        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-Xmx128m"));
        if (!mode.equals("none")) {
            // Every violation its own line: no collapsing, no rate limit.
            cmd.add("-javaagent:" + agentJar + "=mode=" + mode + ",log=" + log + ",logInterval=0,logRate=0,jmx=off");
        }
        // Lower redirect limits, the same in every mode, keep the loops short.
        cmd.add("-Dhttp.maxRedirects=" + SequenceOracle.REDIRECT_LIMIT);
        cmd.add("-Djdk.httpclient.redirects.retrylimit=" + SequenceOracle.REDIRECT_LIMIT);
        cmd.addAll(tls.childJvmOptions());
        cmd.addAll(List.of("-cp", ItFiles.CHILD_CLASSES.toString(), plan.api().equals(Plan.HUC)
                ? "dev.redirectguard.it.child.sequence.HucSequenceRunner"
                : "dev.redirectguard.it.child.sequence.HcSequenceRunner", planFile.toString(), results.toString()));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        List<String> problems = new ArrayList<>();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            problems.add("child JVM did not end in 5 minutes (a failure bound): " + String.join(" ", cmd));
        } else if (p.exitValue() != 0) {
            problems.add("child JVM exited with " + p.exitValue() + ": " + ChildJvm.tail(dir.resolve("stderr.txt")));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        List<Recorded> records = servers.records();
        Map<String, Map<String, Object>> outcomes = new LinkedHashMap<>();
        if (Files.exists(results)) {
            for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
                Map<String, Object> o = FlatJson.parse(line);
                if (o == null) {
                    problems.add("result line is no flat JSON object: " + line);
                } else {
                    outcomes.put((String) o.get("call"), o);
                }
            }
        }
        List<Map<String, Object>> logLines = new ArrayList<>();
        for (LogLine l : LogLine.read(log)) {
            if (l.fields() == null) {
                problems.add("log line " + l.number() + " is no JSON object: " + l.raw());
            } else {
                logLines.add(l.fields());
            }
        }
        List<String> dump = new ArrayList<>();
        for (Recorded r : records) {
            dump.add(r.order() + "\t" + r.endpoint() + "#" + r.connection() + "\t" + r.origin() + "\t" + r.wire()
                    + "\t=> " + r.answerText());
        }
        Files.write(dir.resolve("requests.txt"), dump);
        Files.writeString(dir.resolve("elapsed.txt"), String.format("%.1f s%n", millis / 1000.0));
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
        return RunOutput.of(mode, records, outcomes, logLines, problems);
    }
}
