package dev.redirectguard.benchmarks;

import dev.redirectguard.benchmarks.LoadClient.Workload;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Throughput under concurrency, with and without the agent: a loopback harness with interleaved
 * rounds. The server (KeepAliveServer) runs in a JVM of its own. A case is a workload at a thread
 * count; a round runs every case once, in a shuffled order. For a case, each configuration (no
 * agent, audit, enforce, ...) gets a fresh client JVM (LoadClient) of the JDK under test, N threads
 * calling the workload; the JVMs take turns in short slices, in a shuffled order per cycle, first
 * warm-up slices, then measured ones, so that whatever else the machine does (on a shared machine,
 * other builds come and go within seconds) hits every configuration alike. Throughput = calls
 * completed in the measured slices / their time; a configuration is compared with the no-agent JVM
 * of the same case and round. Reported per case: the no-agent throughput and, per configuration,
 * the median over rounds of that round's ratio to no agent, with min-max.
 *
 *     java -jar benchmarks/target/benchmarks.jar concurrency [--quick] [--java /path/to/bin/java]
 *          [--agent agent/target/redirect-guard-agent.jar] [--rounds 3] [--slice 0.5] [--warmup-slices 4]
 *          [--max-warmup 90] [--slices 5] [--threads 1,8,64] [--only hc-post303,huc-post308] [--log /dev/null]
 *          [--server-threads 1] [--seed N] [--paired]
 *
 * --paired: the agent's own work, without the spread between JVMs: one client JVM per case, with
 * the agent, whose mode (off, audit, enforce) is switched through its MBean before each of its
 * slices; a mode's throughput is compared with off's in the same JVM (no flood case). Off also
 * takes a second turn of its own, "off again": its ratio to off (an A/A) is the harness's own
 * spread on that case, against which a mode's ratio and its budget are read.
 *
 * --quick: one round, 8 threads, one quarter-second slice of each: proves that every configuration
 * runs and completes calls (exit 1 if not); the figures and budgets are printed but not judged.
 * Otherwise the exit code is 1 when a run failed or a budget was missed.
 */
public final class ConcurrencyBenchmarks {
    private ConcurrencyBenchmarks() {
    }

    /** A configuration of the client JVM: its agent arguments, null for no agent. */
    enum Config {
        NONE("no agent", null),
        /** Only in the flood: the JDK's own POST -> 307, what enforce's POST -> 308 is compared with. */
        NONE_307("no agent, POST -> 307", null),
        AUDIT("audit", "mode=audit"),
        /** Only in paired runs: the agent's JVM, its mode switched off for the slice. */
        OFF("off (paired)", "mode=audit"),
        /**
         * Only in paired runs: off again, slices of its own compared with off's. The agent does the
         * same in both, so its ratio is the harness's own spread, what a mode's ratio is read against.
         */
        OFF_AGAIN("off again (A/A)", "mode=audit"),
        ENFORCE("enforce", "mode=enforce"),
        AUDIT_EVERY_LINE("audit, every line", "mode=audit,logInterval=0,logRate=0"),
        ENFORCE_EVERY_LINE("enforce, every line", "mode=enforce,logInterval=0,logRate=0");

        final String label;
        final String agentArgs;

        Config(String label, String agentArgs) {
            this.label = label;
            this.agentArgs = agentArgs;
        }

        boolean everyLine() {
            return this == AUDIT_EVERY_LINE || this == ENFORCE_EVERY_LINE;
        }

        boolean enforce() {
            return this == ENFORCE || this == ENFORCE_EVERY_LINE;
        }

        /** The agent's mode for a slice of a paired run. */
        String mode() {
            return this == OFF || this == OFF_AGAIN ? "off" : enforce() ? "enforce" : "audit";
        }
    }

    /** One case: a workload at a thread count, and the configurations it runs in. */
    record Case(Workload workload, int threads, List<Config> configs) {
        String id() {
            return workload.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        boolean flood() {
            return configs.contains(Config.AUDIT_EVERY_LINE);
        }

        String label() {
            String what;
            switch (workload) {
                case HUC_GET: what = "HttpURLConnection GET, no redirect"; break;
                case HUC_POST307: what = "HttpURLConnection POST -> 307 (compliant)"; break;
                case HUC_PUT303: what = "HttpURLConnection PUT -> 303 (breaks get-after-303)"; break;
                case HUC_POST308: what = "HttpURLConnection POST -> 308 (flood: same-method-307-308)"; break;
                case HC_GET: what = "HttpClient GET, no redirect"; break;
                case HC_POST307: what = "HttpClient POST -> 307 (compliant)"; break;
                case HC_POST303: what = "HttpClient POST -> 303 (breaks get-after-303)"; break;
                default: what = workload.name();
            }
            return what;
        }

        /** The status every call must end with: the JDK returns a 308, enforce follows it. */
        int expectedStatus(Config c) {
            return workload == Workload.HUC_POST308 && !c.enforce() && c != Config.NONE_307 ? 308 : 200;
        }

        /**
         * The configuration a ratio is taken against. Enforce follows the 308 that the JDK returns:
         * its call is a redirect hop where the JDK's is one exchange, so it is compared with the JDK's
         * own POST -> 307 (what "308 exactly like 307" asks of it), not with the JDK's 308.
         */
        Config baseline(Config c) {
            if (configs.contains(Config.OFF)) {
                return Config.OFF;
            }
            return workload == Workload.HUC_POST308 && c.enforce() ? Config.NONE_307 : Config.NONE;
        }

        /** The workload a configuration's JVM runs. */
        Workload workload(Config c) {
            return c == Config.NONE_307 ? Workload.HUC_POST307 : workload;
        }

        /** The budget for this configuration against no agent, or NaN for none. */
        double budget(Config c) {
            if (c == Config.OFF_AGAIN) {
                return Double.NaN;
            }
            switch (workload) {
                case HUC_GET: case HUC_POST307: case HC_GET: case HC_POST307:
                    return 0.9;
                case HUC_PUT303: case HC_POST303: case HUC_POST308:
                    if (threads < 64 && !flood()) {
                        return Double.NaN;
                    }
                    return c.everyLine() ? 0.65 : 0.8;
                default:
                    return Double.NaN;
            }
        }
    }

    /** What one client JVM reported. */
    record Run(int round, Case c, Config config, double callsPerSecond, double exchangesPerSecond,
               double cpuPerCallMicros, double serverCpu, double serverWait, long errors, String statuses,
               int warmSlices, boolean quietWhenMeasured, String failure, List<double[]> slices) {
    }

    private static final class Options {
        boolean quick;
        String java;
        String agent = "agent/target/redirect-guard-agent.jar";
        int rounds = 3;
        double slice = 0.5;
        int warmupSlices = 4;
        double maxWarmupSeconds = 90;
        int slices = 5;
        List<Integer> threads = List.of(1, 8, 64);
        List<String> only = List.of();
        String log = "/dev/null";
        int serverThreads = 1;
        long seed = System.nanoTime();
        boolean paired;
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options();
        o.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        boolean roundsGiven = false;
        boolean threadsGiven = false;
        boolean timesGiven = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick": o.quick = true; break;
                case "--paired": o.paired = true; break;
                case "--java": o.java = args[++i]; break;
                case "--agent": o.agent = args[++i]; break;
                case "--rounds": o.rounds = Integer.parseInt(args[++i]); roundsGiven = true; break;
                case "--slice": o.slice = Double.parseDouble(args[++i]); timesGiven = true; break;
                case "--warmup-slices": o.warmupSlices = Integer.parseInt(args[++i]); timesGiven = true; break;
                case "--max-warmup": o.maxWarmupSeconds = Double.parseDouble(args[++i]); timesGiven = true; break;
                case "--slices": o.slices = Integer.parseInt(args[++i]); timesGiven = true; break;
                case "--threads":
                    o.threads = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).collect(Collectors.toList());
                    threadsGiven = true;
                    break;
                case "--only": o.only = Arrays.asList(args[++i].split(",")); break;
                case "--log": o.log = args[++i]; break;
                case "--server-threads": o.serverThreads = Integer.parseInt(args[++i]); break;
                case "--seed": o.seed = Long.parseLong(args[++i]); break;
                default:
                    if (a.startsWith("--")) {
                        System.err.println("unknown option " + a + "; see the class comment of " +
                                ConcurrencyBenchmarks.class.getName());
                        System.exit(2);
                    }
                    o.agent = a;
            }
        }
        if (o.quick) {
            o.rounds = roundsGiven ? o.rounds : 1;
            o.threads = threadsGiven ? o.threads : List.of(8);
            if (!timesGiven) {
                o.slice = 0.25;
                o.warmupSlices = 1;
                o.slices = 1;
            }
        }
        String agent = new File(o.agent).getAbsolutePath();
        if (!new File(agent).isFile()) {
            System.err.println("no agent jar at " + agent + ": run mvn -B package first, or pass --agent");
            System.exit(2);
        }
        System.exit(run(o, agent));
    }

    static List<Case> cases(List<Integer> threads, List<String> only, boolean paired) {
        List<Config> three = List.of(Config.NONE, Config.AUDIT, Config.ENFORCE);
        if (paired) {
            // One JVM per case, its mode switched per slice: off, audit and enforce only (no flood,
            // whose every-line configurations are settings of their own, not modes).
            List<Case> cases = new ArrayList<>();
            for (Workload w : Workload.values()) {
                for (int t : w == Workload.HUC_POST308 ? List.<Integer>of() : threads) {
                    cases.add(new Case(w, t, List.of(Config.OFF, Config.OFF_AGAIN, Config.AUDIT, Config.ENFORCE)));
                }
            }
            cases.removeIf(c -> !only.isEmpty() && !only.contains(c.id()));
            return cases;
        }
        List<Config> five = List.of(Config.NONE, Config.AUDIT, Config.ENFORCE, Config.AUDIT_EVERY_LINE,
                Config.ENFORCE_EVERY_LINE);
        int most = Collections.max(threads);
        List<Case> cases = new ArrayList<>();
        for (Workload w : Workload.values()) {
            if (w == Workload.HUC_POST308) {
                // the flood: every call a violation, at the highest thread count only
                List<Config> flood = new ArrayList<>(five);
                flood.add(Config.NONE_307);
                cases.add(new Case(w, most, flood));
                continue;
            }
            for (int t : threads) {
                // HttpClient's rule-breaking hop at the highest count is its flood: every call a violation
                cases.add(new Case(w, t, w == Workload.HC_POST303 && t == most ? five : three));
            }
        }
        if (!only.isEmpty()) {
            cases.removeIf(c -> !only.contains(c.id()));
        }
        return cases;
    }

    private static int run(Options o, String agent) throws Exception {
        String jar = new File(ConcurrencyBenchmarks.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getPath();
        Path out = Path.of(jar).getParent().resolve("concurrency");
        Files.createDirectories(out);
        List<Case> cases = cases(o.threads, o.only, o.paired);
        if (cases.isEmpty()) {
            System.err.println("--only matches no case; cases: " + Arrays.stream(Workload.values())
                    .map(w -> w.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(",")));
            return 2;
        }
        String version = javaVersion(o.java);
        int runsPerRound = cases.stream().mapToInt(c -> c.configs().size()).sum();
        System.out.printf("%s; %d rounds of %d cases, %d client JVMs a round; per %s %s and %d measured"
                        + " slices of %.2f s; seed %d%n", version, o.rounds, cases.size(),
                o.paired ? cases.size() : runsPerRound, o.paired ? "mode" : "JVM", warmup(o), o.slices, o.slice,
                o.seed);
        long started = System.nanoTime();
        List<Run> runs = new ArrayList<>();
        Random random = new Random(o.seed);
        Process server = startServer(jar, o.serverThreads);
        try {
            int port = serverPort(server);
            int done = 0;
            for (int round = 1; round <= o.rounds; round++) {
                List<Case> order = new ArrayList<>(cases);
                Collections.shuffle(order, random);
                for (Case c : order) {
                    for (Run r : runCase(o, agent, jar, port, round, c, random)) {
                        runs.add(r);
                        done++;
                        System.out.printf("  [%d/%d] round %d %-12s %2d threads %-20s %9.0f calls/s%s%n", done,
                                o.rounds * runsPerRound, round, c.id(), c.threads(), r.config().label,
                                r.callsPerSecond(), r.failure() == null ? "" : "  FAILED: " + r.failure());
                    }
                }
            }
        } finally {
            stopServer(server);
        }
        double minutes = (System.nanoTime() - started) / 60e9;

        String tag = version.replaceAll("[^0-9.]+", " ").trim().split(" ")[0];
        String prefix = o.paired ? "paired-" : "";
        Path tsv = out.resolve(prefix + "runs-" + tag + ".tsv");
        writeTsv(tsv, runs);
        writeSlicesTsv(out.resolve(prefix + "slices-" + tag + ".tsv"), runs);
        StringBuilder report = new StringBuilder();
        int failures = report(o, cases, runs, version, minutes, report);
        System.out.println();
        System.out.print(report);
        Path summary = out.resolve(prefix + "summary-" + tag + ".txt");
        Files.writeString(summary, report.toString());
        System.out.println("runs: " + tsv + "; this table: " + summary);
        return failures;
    }

    private static String warmup(Options o) {
        return o.quick ? o.warmupSlices + " warm-up" : String.format("at least %d warm-up slices, then until the JIT"
                + " was quiet in %d in a row (at most %.0f s a JVM)", o.warmupSlices, QUIET_SLICES, o.maxWarmupSeconds);
    }

    /** Prints the table and the budgets; returns the exit code. */
    static int report(Options o, List<Case> cases, List<Run> runs, String version, double minutes,
                      StringBuilder s) {
        // paired: off again (the A/A) where unpaired runs have the every-line configurations
        List<Config> shown = o.paired ? List.of(Config.AUDIT, Config.ENFORCE, Config.OFF_AGAIN)
                : List.of(Config.AUDIT, Config.ENFORCE, Config.AUDIT_EVERY_LINE, Config.ENFORCE_EVERY_LINE);
        s.append(String.format("%s, %d rounds; per %s %s and %d measured slices of %.2f s, the %s of a case"
                + " taking turns; %.1f minutes%n", version, o.rounds, o.paired ? "mode" : "client JVM", warmup(o),
                o.slices, o.slice, o.paired ? "modes" : "JVMs", minutes));
        s.append(o.paired ? "paired: one JVM with the agent per case, its mode switched per slice; throughput in a mode /"
                + " in off, per round; median [min-max] over rounds\n\n"
                : "throughput with the agent / without it, per round; median [min-max] over rounds\n\n");
        s.append(o.paired ? String.format("%-58s %7s %16s %18s %18s %18s%n", "case", "threads", "off calls/s",
                "audit", "enforce", "off again (A/A)")
                : String.format("%-58s %7s %16s %18s %18s %18s %18s%n", "case", "threads", "no agent calls/s",
                "audit", "enforce", "audit, every line", "enforce, every line"));
        List<String> budgets = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        double maxServerCpu = 0;
        double maxServerBusy = 0;
        double maxServerShare = 0;
        for (Case c : cases) {
            List<Run> mine = runs.stream().filter(r -> r.c() == c).collect(Collectors.toList());
            for (Run r : mine) {
                if (r.failure() != null) {
                    failures.add(String.format("round %d %s %d threads %s: %s", r.round(), c.id(), c.threads(),
                            r.config().label, r.failure()));
                } else {
                    maxServerCpu = Math.max(maxServerCpu, r.serverCpu());
                    maxServerBusy = Math.max(maxServerBusy, r.serverCpu() + Math.max(0, r.serverWait()));
                    // the server's share of all CPU the client and the server used
                    double clientCores = r.cpuPerCallMicros() * r.callsPerSecond() / 1e6;
                    double serverCores = r.serverCpu() * o.serverThreads;
                    maxServerShare = Math.max(maxServerShare, serverCores / (serverCores + clientCores));
                }
            }
            List<Double> base = values(mine, c.configs().get(0), Run::callsPerSecond);
            StringBuilder line = new StringBuilder(String.format("%-58s %7d %16s", c.label(), c.threads(),
                    base.isEmpty() ? "-" : String.format("%.0f [%.0f-%.0f]", median(base), Collections.min(base),
                            Collections.max(base))));
            for (Config config : shown) {
                if (!c.configs().contains(config)) {
                    line.append(String.format(" %18s", ""));
                    continue;
                }
                List<Double> ratios = ratios(mine, config, c.baseline(config));
                line.append(String.format(" %18s", ratios.isEmpty() ? "-"
                        : spread(ratios) + (c.baseline(config) == Config.NONE_307 ? "*" : "")));
                double budget = c.budget(config);
                if (Double.isNaN(budget) || ratios.isEmpty()) {
                    continue;
                }
                double judged = median(ratios);
                budgets.add(String.format("%s  %-20s %-58s %2d threads: %.2f %s %.2f%s",
                        judged >= budget ? "PASS" : "FAIL", config.label, c.label(), c.threads(), judged,
                        judged >= budget ? ">=" : "<", budget,
                        c.baseline(config) == Config.NONE_307 ? " (* against the JDK's own POST -> 307)" : ""));
            }
            s.append(line).append('\n');
        }
        if (cases.stream().anyMatch(c -> c.configs().contains(Config.NONE_307))) {
            s.append("* enforce follows the 308 that the JDK returns to the caller: compared with the JDK's own"
                    + " POST -> 307 (no agent) in the same round\n");
        }
        s.append(o.paired ? "\nclient CPU time per call in a mode / in off, per round; median [min-max]\n\n"
                : "\nclient CPU time per call with the agent / without it, per round; median [min-max]"
                        + " (above 1: the agent's work; a throughput ratio lower than 1 / this: waiting)\n\n");
        for (Case c : cases) {
            List<Run> mine = runs.stream().filter(r -> r.c() == c).collect(Collectors.toList());
            List<Double> base = values(mine, c.configs().get(0), Run::cpuPerCallMicros);
            StringBuilder line = new StringBuilder(String.format("%-58s %7d %16s", c.label(), c.threads(),
                    base.isEmpty() ? "-" : String.format("%.0f us", median(base))));
            for (Config config : shown) {
                List<Double> ratios = c.configs().contains(config) ? cpuRatios(mine, config, c.baseline(config))
                        : List.of();
                line.append(String.format(" %18s", !c.configs().contains(config) ? "" : ratios.isEmpty() ? "-"
                        : spread(ratios)));
            }
            s.append(line).append('\n');
        }
        s.append(String.format("%nserver (%d selector thread%s): ran at most %.0f%% of the window, ran or waited for a"
                        + " core at most %.0f%%; at most %.0f%% of the CPU the client and the server used%n",
                o.serverThreads, o.serverThreads == 1 ? "" : "s", 100 * maxServerCpu, 100 * maxServerBusy,
                100 * maxServerShare));
        List<Integer> warmed = runs.stream().filter(r -> r.failure() == null).map(Run::warmSlices).sorted()
                .collect(Collectors.toList());
        if (!warmed.isEmpty() && !o.quick) {
            long capped = runs.stream().filter(r -> r.failure() == null && !r.quietWhenMeasured()).count();
            s.append(String.format("warm-up: %d-%d slices per %s (median %d); %s%n", warmed.get(0),
                    warmed.get(warmed.size() - 1), o.paired ? "mode" : "JVM", warmed.get(warmed.size() / 2),
                    capped == 0 ? "every JIT was quiet when measured" : capped + " of " + warmed.size()
                            + " measured while the JIT was still busy (warm-up ended at its cap)"));
        }
        s.append(o.quick ? "\nbudgets (issue 13.4; not judged in --quick):\n" : "\nbudgets (issue 13.4):\n");
        budgets.forEach(b -> s.append(b).append('\n'));
        // paired: a JVM's errors are those of all its modes, reported with each: counted once
        long errors = runs.stream().filter(r -> r.failure() == null && (!o.paired || r.config() == Config.OFF))
                .mapToLong(Run::errors).sum();
        if (errors > 0) {
            s.append(String.format("%ncalls that failed in runs that count (at most 1 in 1000 of a run): %d; see the"
                    + " TSV%n", errors));
        }
        if (!failures.isEmpty()) {
            s.append("\nfailed runs:\n");
            failures.forEach(f -> s.append(f).append('\n'));
        }
        boolean missed = budgets.stream().anyMatch(b -> b.startsWith("FAIL"));
        if (!failures.isEmpty()) {
            return 1;
        }
        return missed && !o.quick ? 1 : 0;
    }

    /** Per round: this configuration's throughput over the baseline's of the same case and round. */
    private static List<Double> ratios(List<Run> runs, Config config, Config baseline) {
        List<Double> ratios = new ArrayList<>();
        for (Run r : runs) {
            if (r.config() != config || r.failure() != null) {
                continue;
            }
            for (Run b : runs) {
                if (b.config() == baseline && b.round() == r.round() && b.failure() == null) {
                    ratios.add(r.callsPerSecond() / b.callsPerSecond());
                }
            }
        }
        return ratios;
    }

    /** Per round: this configuration's client CPU per call over the no-agent run's of the same round. */
    private static List<Double> cpuRatios(List<Run> runs, Config config, Config baseline) {
        List<Double> ratios = new ArrayList<>();
        for (Run r : runs) {
            for (Run b : runs) {
                if (r.config() == config && r.failure() == null && b.config() == baseline
                        && b.round() == r.round() && b.failure() == null) {
                    ratios.add(r.cpuPerCallMicros() / b.cpuPerCallMicros());
                }
            }
        }
        return ratios;
    }

    private static List<Double> values(List<Run> runs, Config config, java.util.function.ToDoubleFunction<Run> f) {
        return runs.stream().filter(r -> r.config() == config && r.failure() == null).map(r -> f.applyAsDouble(r))
                .collect(Collectors.toList());
    }

    private static String spread(List<Double> v) {
        if (v.size() == 1) {
            return String.format("%.2f", v.get(0));
        }
        return String.format("%.2f [%.2f-%.2f]", median(v), Collections.min(v), Collections.max(v));
    }

    static double median(List<Double> v) {
        List<Double> sorted = new ArrayList<>(v);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * A warm-up slice is quiet when the JIT's compiler threads used at most this share of a slice
     * of CPU since the JVM's previous slice (LoadClient's jitMs).
     */
    private static final double QUIET_JIT = 0.05;
    /** A JVM is warm once its JIT was quiet in this many of its slices in a row. */
    private static final int QUIET_SLICES = 4;

    /** A client JVM of one configuration, and what its slices added up to. */
    private static final class Client {
        final Config config;
        final Process process;
        final BufferedReader out;
        final List<String> lines = new ArrayList<>();
        volatile String failure;
        int warmSlices;
        /** The JVM's slices in a row, up to its last, in which the JIT was quiet (paired: the first Client's). */
        int quietSlices;
        /** Measured while its JIT was still busy: warm-up ended at its cap. */
        boolean stillWarming;
        long calls;
        double seconds;
        long callsDrained;
        long exchangesDrained;
        double cpuSeconds;
        double serverCpu;
        double serverWait;
        double serverWall;
        /** Each measured slice: {cycle, calls per second, client CPU us per call}. */
        final List<double[]> slices = new ArrayList<>();

        Client(Config config, Process process) {
            this(config, process, new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)));
        }

        /** Paired runs: the configurations of a case share one JVM, and its output. */
        Client(Config config, Process process, BufferedReader out) {
            this.config = config;
            this.process = process;
            this.out = out;
        }

        /** Paired runs: switches the shared JVM's agent to this configuration's mode. */
        void takeTurn(boolean paired) {
            if (paired && failure == null) {
                send("mode " + config.mode());
                await("MODE ");
            }
        }

        /** The next line that starts with one of these, or null (and a failure) if the JVM ended first. */
        String await(String... prefixes) {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    lines.add(l);
                    for (String p : prefixes) {
                        if (l.startsWith(p)) {
                            return l;
                        }
                    }
                }
            } catch (IOException closed) {
                // the watchdog destroyed the JVM while this thread read its output: a failed run, not
                // the end of the harness
            }
            if (failure == null) {
                failure = "the JVM ended: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5),
                        lines.size()));
            }
            return null;
        }

        void send(String command) {
            try {
                process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.US_ASCII));
                process.getOutputStream().flush();
            } catch (IOException e) {
                if (failure == null) {
                    failure = "cannot talk to the JVM: " + e.getMessage();
                }
            }
        }
    }

    /**
     * One case in one round: a fresh JVM per configuration, all started together; then they take
     * turns, one slice each in a shuffled order per cycle, first the warm-up slices, then the measured.
     */
    private static List<Run> runCase(Options o, String agent, String jar, int port, int round, Case c, Random random)
            throws IOException, InterruptedException {
        List<Client> clients = new ArrayList<>();
        for (Config config : c.configs()) {
            if (o.paired && !clients.isEmpty()) {
                Client first = clients.get(0);
                clients.add(new Client(config, first.process, first.out));
                continue;
            }
            List<String> command = new ArrayList<>();
            command.add(o.java);
            if (config.agentArgs != null) {
                // jmx=0: the MBean's one-time registration (the platform MBean server, about 150 ms of
                // CPU) during start-up, not 5 s in, where it would land in a measured slice.
                command.add("-javaagent:" + agent + "=" + config.agentArgs + ",log=" + o.log + ",jmx=0");
            }
            // HttpURLConnection keeps 5 idle connections per destination by default; with more threads
            // than that it would open a connection per call and measure TCP set-up, not the client.
            command.add("-Dhttp.maxConnections=256");
            command.addAll(List.of("-cp", jar, LoadClient.class.getName(), String.valueOf(port),
                    c.workload(config).name(), String.valueOf(c.threads())));
            clients.add(new Client(config, new ProcessBuilder(command).redirectErrorStream(true).start()));
        }
        // one Client per JVM: what is started, awaited and told to quit (paired: the first holds the JVM)
        List<Client> jvms = o.paired ? clients.subList(0, 1) : clients;
        // a JVM's warm-up slices at most: the cap in seconds, shared by the modes of a paired JVM
        int modesPerJvm = clients.size() / jvms.size();
        int maxWarmSlices = o.quick ? o.warmupSlices
                : Math.max(o.warmupSlices, (int) Math.ceil(o.maxWarmupSeconds / o.slice / modesPerJvm));
        // a watchdog: a JVM that hangs must not hang the harness
        long limitSeconds = 120 + (long) ((maxWarmSlices + o.slices) * o.slice * clients.size() * 4);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limitSeconds * 1000);
                for (Client cl : clients) {
                    if (cl.failure == null) {
                        cl.failure = "stopped by the watchdog after " + limitSeconds + " s: a slice that never ended"
                                + " (a call that hung?); its threads: " + threadDump(o.java, cl.process, round, c);
                    }
                    cl.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the case ended in time
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            for (Client cl : jvms) {
                cl.await("READY");
            }
            // Warm-up: at least warmupSlices each, then until the JVM's JIT was quiet in its last
            // QUIET_SLICES slices (paired: whichever modes they were), at most maxWarmSlices each
            // (--quick: warmupSlices). HttpClient on 17 takes 20-30 s of load to get there: a JVM
            // measured before it compiles through its measured slices, and its throughput climbs by
            // 2-3x from the first to the last of them. Compiling also takes the other core of a
            // 2-core machine from the slices of the other JVMs.
            List<Client> warming = new ArrayList<>(clients);
            for (int cycle = 0; !warming.isEmpty() && cycle < maxWarmSlices; cycle++) {
                List<Client> order = new ArrayList<>(warming);
                Collections.shuffle(order, random);
                for (Client cl : order) {
                    if (cl.failure != null) {
                        warming.remove(cl);
                        continue;
                    }
                    cl.takeTurn(o.paired);
                    cl.send("warm " + o.slice);
                    String reply = cl.await("DONE");
                    cl.warmSlices++;
                    long jitMs = reply == null ? 0 : Long.parseLong(reply.substring(reply.indexOf('=') + 1));
                    Client jvm = o.paired ? clients.get(0) : cl;
                    jvm.quietSlices = jitMs <= o.slice * 1000 * QUIET_JIT ? jvm.quietSlices + 1 : 0;
                    if (cycle + 1 >= o.warmupSlices && jvm.quietSlices >= QUIET_SLICES) {
                        warming.remove(cl);
                    }
                }
            }
            warming.forEach(cl -> cl.stillWarming = !o.quick);
            for (int cycle = 0; cycle < o.slices; cycle++) {
                List<Client> order = new ArrayList<>(clients);
                Collections.shuffle(order, random);
                for (Client cl : order) {
                    if (cl.failure != null) {
                        continue;
                    }
                    cl.takeTurn(o.paired);
                    cl.send("measure " + o.slice);
                    String reply = cl.await("SLICE ");
                    if (reply != null) {
                        add(cl, cycle, reply.substring(6));
                    }
                }
            }
            for (Client cl : jvms) {
                if (cl.failure == null) {
                    cl.send("quit");
                }
            }
            List<Run> runs = new ArrayList<>();
            String pairedEnd = null;
            for (Client cl : clients) {
                String end;
                if (o.paired && cl != clients.get(0)) {
                    // the shared JVM's end, read once: its errors and statuses are those of all its modes
                    end = cl.failure == null ? pairedEnd : null;
                    cl.lines.addAll(clients.get(0).lines);
                    runs.add(run(round, c, cl, end));
                    continue;
                }
                end = cl.failure == null ? cl.await("END ") : null;
                pairedEnd = end;
                cl.process.getOutputStream().close();
                if (end != null) {
                    // the ERROR lines that follow END name the failed calls
                    for (String l; (l = cl.out.readLine()) != null; ) {
                        cl.lines.add(l);
                    }
                }
                if (!cl.process.waitFor(30, TimeUnit.SECONDS)) {
                    cl.process.destroyForcibly();
                }
                runs.add(run(round, c, cl, end));
            }
            return runs;
        } finally {
            watchdog.interrupt();
            clients.forEach(cl -> cl.process.destroyForcibly());
        }
    }

    /** Best effort: the hung JVM's threads (jcmd Thread.print) in a file beside the summary; its path. */
    private static String threadDump(String java, Process process, int round, Case c) {
        try {
            Path jcmd = Path.of(java).resolveSibling("jcmd");
            Path jar = Path.of(ConcurrencyBenchmarks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dump = jar.getParent().resolve("concurrency").resolve("hung-round" + round + "-" + c.id() + "-"
                    + c.threads() + "-" + process.pid() + ".txt");
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(dump.toFile()).start();
            p.waitFor(30, TimeUnit.SECONDS);
            return dump.toString();
        } catch (Exception e) {
            return "no thread dump: " + e;
        }
    }

    private static void add(Client cl, int cycle, String slice) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String kv : slice.split(" ")) {
            int eq = kv.indexOf('=');
            f.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        long calls = Long.parseLong(f.get("calls"));
        double seconds = Double.parseDouble(f.get("seconds"));
        long drained = Long.parseLong(f.get("callsDrained"));
        double cpuSeconds = Double.parseDouble(f.get("cpuSeconds"));
        cl.calls += calls;
        cl.seconds += seconds;
        cl.callsDrained += drained;
        cl.exchangesDrained += Long.parseLong(f.get("exchangesDrained"));
        cl.cpuSeconds += cpuSeconds;
        cl.serverCpu += Double.parseDouble(f.get("serverCpuSeconds"));
        cl.serverWait += Double.parseDouble(f.get("serverWaitSeconds"));
        cl.serverWall += Double.parseDouble(f.get("serverWallSeconds"));
        cl.slices.add(new double[] {cycle, calls / seconds, drained == 0 ? 0 : cpuSeconds * 1e6 / drained});
    }

    private static Run run(int round, Case c, Client cl, String end) {
        if (cl.failure != null || end == null) {
            return failed(round, c, cl.config, cl.failure == null ? "no END line" : cl.failure);
        }
        Map<String, String> f = new LinkedHashMap<>();
        for (String kv : end.substring(4).split(" ")) {
            int eq = kv.indexOf('=');
            f.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        long errors = Long.parseLong(f.get("errors"));
        String statuses = f.get("statuses");
        String failure = null;
        String expected = c.expectedStatus(cl.config) + ":";
        if (cl.calls == 0) {
            failure = "no call completed";
        } else if (errors > 1 + cl.calls / 1000) {
            // one failed call in a thousand is reported, not fatal: HttpClient of JDK 17 now and then
            // fails a call on a kept-alive connection ("header parser received no bytes")
            failure = errors + " calls failed: " + cl.lines.stream().filter(l -> l.startsWith("ERROR "))
                    .collect(Collectors.joining("; "));
        } else if (!statuses.matches(expected + "[0-9]+")) {
            failure = "statuses " + statuses + ", expected only " + c.expectedStatus(cl.config);
        } else if (!"true".equals(f.get("stopped"))) {
            failure = "threads did not stop";
        }
        if (failure == null && errors > 0) {
            statuses += " (tolerated: " + cl.lines.stream().filter(l -> l.startsWith("ERROR "))
                    .collect(Collectors.joining("; ")) + ")";
        }
        double callsPerSecond = cl.calls / cl.seconds;
        double exchangesPerCall = cl.callsDrained == 0 ? 0 : cl.exchangesDrained / (double) cl.callsDrained;
        return new Run(round, c, cl.config, callsPerSecond, callsPerSecond * exchangesPerCall,
                cl.callsDrained == 0 ? 0 : cl.cpuSeconds * 1e6 / cl.callsDrained, cl.serverCpu / cl.serverWall,
                cl.serverWait < 0 ? -1 : cl.serverWait / cl.serverWall, errors, statuses, cl.warmSlices,
                !cl.stillWarming, failure, cl.slices);
    }

    private static Run failed(int round, Case c, Config config, String why) {
        return new Run(round, c, config, 0, 0, 0, 0, 0, 0, "-", 0, false, why, List.of());
    }

    private static Process startServer(String jar, int threads) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-XX:+UseSerialGC", "-cp", jar, KeepAliveServer.class.getName(),
                String.valueOf(threads)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int serverPort(Process server) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
        String line = in.readLine();
        if (line == null || !line.startsWith("port ")) {
            throw new IOException("the server did not start: " + line);
        }
        return Integer.parseInt(line.substring(5).trim());
    }

    private static void stopServer(Process server) throws InterruptedException {
        try (OutputStream stdin = server.getOutputStream()) {
            // closing it ends the server
        } catch (IOException e) {
            // already gone
        }
        if (!server.waitFor(5, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    private static String javaVersion(String java) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                .orElse("?");
        p.waitFor();
        return first.trim();
    }

    /** Every measured slice, for a look at the spread within a run (the summary's figures are per run). */
    private static void writeSlicesTsv(Path tsv, List<Run> runs) throws IOException {
        try (PrintStream w = new PrintStream(Files.newOutputStream(tsv), true, StandardCharsets.UTF_8)) {
            w.println("round\tcase\tthreads\tconfig\tcycle\tcalls_per_s\tclient_cpu_us_per_call");
            for (Run r : runs) {
                for (double[] slice : r.slices()) {
                    w.printf(Locale.ROOT, "%d\t%s\t%d\t%s\t%d\t%.1f\t%.1f%n", r.round(), r.c().id(), r.c().threads(),
                            r.config().label, (int) slice[0], slice[1], slice[2]);
                }
            }
        }
    }

    private static void writeTsv(Path tsv, List<Run> runs) throws IOException {
        try (PrintStream w = new PrintStream(Files.newOutputStream(tsv), true, StandardCharsets.UTF_8)) {
            w.println("round\tcase\tthreads\tconfig\tcalls_per_s\texchanges_per_s\tclient_cpu_us_per_call"
                    + "\tserver_cpu\tserver_wait\terrors\tstatuses\twarmup_slices\tfailure");
            for (Run r : runs) {
                w.printf(Locale.ROOT, "%d\t%s\t%d\t%s\t%.1f\t%.1f\t%.1f\t%.3f\t%.3f\t%d\t%s\t%d\t%s%n", r.round(),
                        r.c().id(), r.c().threads(), r.config().label, r.callsPerSecond(), r.exchangesPerSecond(),
                        r.cpuPerCallMicros(), r.serverCpu(), r.serverWait(), r.errors(), r.statuses(),
                        r.warmSlices(), r.failure() == null ? "" : r.failure());
            }
        }
    }
}
