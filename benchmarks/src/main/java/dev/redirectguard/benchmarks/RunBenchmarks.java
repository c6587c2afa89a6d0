package dev.redirectguard.benchmarks;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs each request benchmark without the agent, with mode=audit and with mode=enforce (log to
 * /dev/null, so the cost of writing is the encoder's, not the disk's), in interleaved rounds: each
 * round takes the benchmarks in a shuffled order and runs each in three JMH forks of its own, one
 * per configuration, in a shuffled order, so that drift of the machine hits all three alike and no
 * benchmark runs in a JVM that another benchmark has warmed or polluted. Then the rule benchmarks
 * once. Two figures per call: wall time, and the CPU time of the whole JVM ({@link ProcessCpuProfiler}).
 * Prints, per benchmark, the median over rounds and the median [min-max] of each round's ratio to
 * no agent, and judges the budgets of issue 9.4 on both.
 *
 *     java -jar benchmarks/target/benchmarks.jar [--quick] [--rounds 4] [path/to/redirect-guard-agent.jar]
 *     java -jar benchmarks/target/benchmarks.jar concurrency ...   (see ConcurrencyBenchmarks)
 *     java -jar benchmarks/target/benchmarks.jar paired ...        (see PairedModes)
 *
 * --quick runs one round of one short iteration each: a check that the benchmarks work, not a
 * measurement (exit 0 whatever the budgets). Otherwise the exit code is 1 when a budget is missed.
 */
public final class RunBenchmarks {
    private RunBenchmarks() {
    }

    private static final String[] CONFIGS = {"no agent", "audit", "enforce"};
    private static final String[] REQUEST_BENCHMARKS = {"httpClientGet", "httpClientPost307", "httpClientPost303",
            "urlConnectionGet", "urlConnectionPost307"};
    /** What each fork reports per call: its wall time (JMH's score) and the CPU time of its whole JVM. */
    private static final String[] FIGURES = {"time", ProcessCpuProfiler.NAME};
    /**
     * A fork whose benchmark throws gets no figures; it runs again, up to this many times in all.
     * Seen once (JDK 17, httpClientPost307 in enforce, a warm-up iteration): HttpClient's "HTTP/1.1
     * header parser received no bytes", the connection of a POST closed without a response, which
     * the client does not retry (it retries idempotent requests only). The summary lists every
     * failed fork, so that one that fails for a reason of the agent's is seen, not averaged away.
     */
    static final int FORK_ATTEMPTS = 3;

    /** Issue 9.4: benchmark, configuration, the most it may take as a multiple of no agent. */
    private static final Object[][] BUDGETS = {
            {"httpClientGet", "audit", 1.03},
            {"httpClientGet", "enforce", 1.03},
            {"httpClientPost303", "audit", 1.10},
            {"urlConnectionPost307", "audit", 1.05},
    };

    private static boolean quick;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("concurrency")) {
            ConcurrencyBenchmarks.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("paired")) {
            PairedModes.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        String jar = "agent/target/redirect-guard-agent.jar";
        int rounds = 4;
        boolean roundsGiven = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
                roundsGiven = true;
            } else {
                jar = args[i];
            }
        }
        if (quick && !roundsGiven) {
            rounds = 1;
        }
        String agent = new File(jar).getAbsolutePath();
        if (!new File(agent).isFile()) {
            System.err.println("no agent jar at " + agent + ": run mvn -B package first, or pass its path");
            System.exit(2);
        }
        Map<String, String[]> jvmArgs = new LinkedHashMap<>();
        jvmArgs.put("no agent", new String[0]);
        // jmx=0: the MBean's one-time registration (it starts the platform MBean server: about 150 ms
        // of CPU and its JIT work) at start-up, in the warm-up; by default it comes 5 s after start,
        // in the middle of the measured iterations.
        jvmArgs.put("audit", new String[] {"-javaagent:" + agent + "=mode=audit,log=/dev/null,jmx=0"});
        jvmArgs.put("enforce", new String[] {"-javaagent:" + agent + "=mode=enforce,log=/dev/null,jmx=0"});
        // results.get(figure).get(config).get(benchmark): each round's figure per operation, in microseconds
        Map<String, Map<String, Map<String, List<Double>>>> results = new LinkedHashMap<>();
        for (String figure : FIGURES) {
            results.put(figure, new LinkedHashMap<>());
            for (String c : CONFIGS) {
                results.get(figure).put(c, new LinkedHashMap<>());
            }
        }
        Random random = new Random();
        List<String> failedForks = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<String> benchmarks = new ArrayList<>(Arrays.asList(REQUEST_BENCHMARKS));
            Collections.shuffle(benchmarks, random);
            for (String benchmark : benchmarks) {
                List<String> order = new ArrayList<>(Arrays.asList(CONFIGS));
                Collections.shuffle(order, random);
                for (String c : order) {
                    System.out.println("== round " + round + " of " + rounds + ": " + benchmark + ", " + c);
                    double[] figures = null;
                    for (int attempt = 1; figures == null && attempt <= FORK_ATTEMPTS; attempt++) {
                        figures = run(RequestBenchmarks.class.getSimpleName() + "\\." + benchmark + "$",
                                jvmArgs.get(c), true).get(benchmark);
                        if (figures == null) {
                            failedForks.add("round " + round + " " + benchmark + " " + c + " (attempt " + attempt + ")");
                            System.out.println("== that fork failed (its error is above); attempt " + attempt + " of "
                                    + FORK_ATTEMPTS);
                        }
                    }
                    if (figures == null) {
                        System.err.println(benchmark + " with " + c + " failed " + FORK_ATTEMPTS + " times in a row");
                        System.exit(1);
                    }
                    for (int f = 0; f < FIGURES.length; f++) {
                        results.get(FIGURES[f]).get(c).computeIfAbsent(benchmark, k -> new ArrayList<>()).add(figures[f]);
                    }
                }
            }
        }
        // The agent jar keeps its classes to its own class loader; the rule benchmarks call them
        // directly, from the plain classes jar built beside it.
        File classes = new File(new File(agent).getParentFile(), "redirect-guard-agent-classes.jar");
        if (!classes.isFile()) {
            System.err.println("no agent classes jar at " + classes + ": run mvn -B package first");
            System.exit(2);
        }
        Map<String, double[]> rules = run(RuleBenchmarks.class.getSimpleName() + "\\.",
                new String[] {"-Xbootclasspath/a:" + classes.getAbsolutePath()}, false);

        System.out.println();
        for (String failed : failedForks) {
            System.out.println("failed fork, run again: " + failed);
        }
        System.out.printf("%s, %d interleaved round%s, a JMH fork per benchmark and configuration; per call: median"
                + " of a fork's iterations, median over rounds; agent / no agent: median [min-max] of each round's ratio%n",
                "JDK " + System.getProperty("java.version"), rounds, rounds == 1 ? "" : "s");
        for (String figure : FIGURES) {
            System.out.println();
            System.out.printf("%-22s %10s %10s %10s %20s %20s%n", figure + " (us/op)", "no agent", "audit", "enforce",
                    "audit / no agent", "enforce / no agent");
            Map<String, Map<String, List<Double>>> r = results.get(figure);
            for (String benchmark : REQUEST_BENCHMARKS) {
                System.out.printf("%-22s %10.1f %10.1f %10.1f %20s %20s%n", benchmark,
                        median(r.get("no agent").get(benchmark)), median(r.get("audit").get(benchmark)),
                        median(r.get("enforce").get(benchmark)), spread(ratios(r, "audit", benchmark)),
                        spread(ratios(r, "enforce", benchmark)));
            }
        }
        System.out.println();
        for (Map.Entry<String, double[]> r : rules.entrySet()) {
            System.out.printf("%-22s %10.0f ns/op%n", r.getKey(), r.getValue()[0] * 1000);
        }
        System.out.println();
        System.out.println(quick ? "budgets (issue 9.4; not judged in --quick):" : "budgets (issue 9.4):");
        boolean missed = false;
        for (Object[] b : BUDGETS) {
            String benchmark = (String) b[0];
            String config = (String) b[1];
            double budget = (Double) b[2];
            for (String figure : FIGURES) {
                double ratio = median(ratios(results.get(figure), config, benchmark));
                boolean pass = ratio <= budget;
                missed |= !pass;
                System.out.printf("%s  %-8s %-22s %-9s %.2fx %s %.2fx%n", pass ? "PASS" : "FAIL", config, benchmark,
                        figure, ratio, pass ? "<=" : ">", budget);
            }
        }
        System.exit(missed && !quick ? 1 : 0);
    }

    private static List<Double> ratios(Map<String, Map<String, List<Double>>> results, String config,
                                       String benchmark) {
        List<Double> base = results.get("no agent").get(benchmark);
        List<Double> with = results.get(config).get(benchmark);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(base.size(), with.size()); i++) {
            ratios.add(with.get(i) / base.get(i));
        }
        return ratios;
    }

    private static String spread(List<Double> v) {
        return v.size() == 1 ? String.format("%.2fx", v.get(0))
                : String.format("%.2fx [%.2f-%.2f]", median(v), Collections.min(v), Collections.max(v));
    }

    private static double median(List<Double> v) {
        return ConcurrencyBenchmarks.median(v);
    }

    /**
     * HttpClient's calls take about 12 s on this kind of machine to reach their steady time (its
     * asynchronous stack is a lot of code for the JIT, with two cores for everything); with 5 s of
     * warm-up every measured iteration was still faster than the one before, with or without the
     * agent. HttpURLConnection's GET is steady after 4 s; its redirected POST, with the agent's hop
     * code to compile too, was still getting faster after 5 s in half of the forks, so it gets 10.
     */
    static int warmupSeconds(String include) {
        return include.contains("httpClient") ? 15 : include.contains("Post") ? 10 : 5;
    }

    /**
     * Per benchmark method: {time, process CPU time} per operation in microseconds (CPU NaN if not
     * asked), each the median of the fork's measured iterations: on a shared machine a second of
     * another tenant's work now and then doubles one iteration, which would move a mean by 20 %.
     */
    private static Map<String, double[]> run(String include, String[] jvmArgs, boolean cpu) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(RunBenchmarks.class.getPackageName() + "." + include)
                .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                .timeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
                .warmupIterations(quick ? 1 : warmupSeconds(include))
                .warmupTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
                .measurementIterations(quick ? 1 : 6)
                .measurementTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
                .forks(1)
                .jvmArgsAppend(jvmArgs);
        if (cpu) {
            options.addProfiler(ProcessCpuProfiler.class);
        }
        Collection<RunResult> runs = new Runner(options.build()).run();
        Map<String, double[]> figures = new LinkedHashMap<>();
        for (RunResult r : runs) {
            List<Double> times = new ArrayList<>();
            List<Double> cpus = new ArrayList<>();
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                for (IterationResult i : b.getIterationResults()) {
                    times.add(i.getPrimaryResult().getScore());
                    Result<?> c = i.getSecondaryResults().get(ProcessCpuProfiler.NAME);
                    if (c != null) {
                        cpus.add(c.getScore());
                    }
                }
            }
            String name = r.getParams().getBenchmark();
            figures.put(name.substring(name.lastIndexOf('.') + 1),
                    new double[] {median(times), cpus.isEmpty() ? Double.NaN : median(cpus)});
        }
        return figures;
    }
}
