package dev.redirectguard.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
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
 * Runs the request benchmarks without the agent, with mode=audit and with mode=enforce (log to
 * /dev/null, so the cost of writing is the encoder's, not the disk's), in interleaved rounds: each
 * round runs the three configurations once, in a shuffled order, each in a JMH fork of its own, so
 * that drift of the machine hits all three alike. Then the rule benchmarks once. Prints, per request
 * benchmark, the median time over rounds and the median [min-max] of each round's ratio to no
 * agent, judged against the budgets of issue 9.4.
 *
 *     java -jar benchmarks/target/benchmarks.jar [--quick] [--rounds 3] [path/to/redirect-guard-agent.jar]
 *     java -jar benchmarks/target/benchmarks.jar concurrency ...   (see ConcurrencyBenchmarks)
 *
 * --quick runs one round of one short iteration each: a check that the benchmarks work, not a
 * measurement (exit 0 whatever the budgets). Otherwise the exit code is 1 when a budget is missed.
 */
public final class RunBenchmarks {
    private RunBenchmarks() {
    }

    private static final String[] CONFIGS = {"no agent", "audit", "enforce"};

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
        String jar = "agent/target/redirect-guard-agent.jar";
        int rounds = 3;
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
        jvmArgs.put("audit", new String[] {"-javaagent:" + agent + "=mode=audit,log=/dev/null"});
        jvmArgs.put("enforce", new String[] {"-javaagent:" + agent + "=mode=enforce,log=/dev/null"});
        // results.get(config).get(benchmark): the time per operation of each round, in microseconds
        Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
        for (String c : CONFIGS) {
            results.put(c, new LinkedHashMap<>());
        }
        Random random = new Random();
        for (int round = 1; round <= rounds; round++) {
            List<String> order = new ArrayList<>(Arrays.asList(CONFIGS));
            Collections.shuffle(order, random);
            for (String c : order) {
                System.out.println("== round " + round + " of " + rounds + ": " + c);
                run(RequestBenchmarks.class.getSimpleName(), jvmArgs.get(c)).forEach((benchmark, us) ->
                        results.get(c).computeIfAbsent(benchmark, b -> new ArrayList<>()).add(us));
            }
        }
        // The agent jar keeps its classes to its own class loader; the rule benchmarks call them
        // directly, from the plain classes jar built beside it.
        File classes = new File(new File(agent).getParentFile(), "redirect-guard-agent-classes.jar");
        if (!classes.isFile()) {
            System.err.println("no agent classes jar at " + classes + ": run mvn -B package first");
            System.exit(2);
        }
        Map<String, Double> rules = run(RuleBenchmarks.class.getSimpleName(),
                new String[] {"-Xbootclasspath/a:" + classes.getAbsolutePath()});

        System.out.println();
        System.out.printf("%s, %d interleaved round%s; time per call: median over rounds; agent / no agent: median"
                + " [min-max] of each round's ratio%n", "JDK " + System.getProperty("java.version"), rounds,
                rounds == 1 ? "" : "s");
        System.out.printf("%-22s %10s %10s %10s %20s %20s%n", "request (us/op)", "no agent", "audit", "enforce",
                "audit / no agent", "enforce / no agent");
        Map<String, List<Double>> base = results.get("no agent");
        for (String benchmark : base.keySet()) {
            System.out.printf("%-22s %10.1f %10.1f %10.1f %20s %20s%n", benchmark, median(base.get(benchmark)),
                    median(results.get("audit").get(benchmark)), median(results.get("enforce").get(benchmark)),
                    spread(ratios(results, "audit", benchmark)), spread(ratios(results, "enforce", benchmark)));
        }
        System.out.println();
        for (Map.Entry<String, Double> r : rules.entrySet()) {
            System.out.printf("%-22s %10.0f ns/op%n", r.getKey(), r.getValue() * 1000);
        }
        System.out.println();
        System.out.println(quick ? "budgets (issue 9.4; not judged in --quick):" : "budgets (issue 9.4):");
        boolean missed = false;
        for (Object[] b : BUDGETS) {
            String benchmark = (String) b[0];
            String config = (String) b[1];
            double budget = (Double) b[2];
            if (!base.containsKey(benchmark)) {
                continue;
            }
            double ratio = median(ratios(results, config, benchmark));
            boolean pass = ratio <= budget;
            missed |= !pass;
            System.out.printf("%s  %-8s %-22s %.2fx %s %.2fx%n", pass ? "PASS" : "FAIL", config, benchmark, ratio,
                    pass ? "<=" : ">", budget);
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

    /** Average time per operation in microseconds, per benchmark method. */
    private static Map<String, Double> run(String include, String[] jvmArgs) throws Exception {
        Options options = new OptionsBuilder()
                .include(RunBenchmarks.class.getPackageName() + "." + include + "\\.")
                .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                .timeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
                .warmupIterations(quick ? 1 : 3).warmupTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
                .measurementIterations(quick ? 1 : 5)
                .measurementTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
                .forks(1)
                .jvmArgsAppend(jvmArgs)
                .build();
        Collection<RunResult> runs = new Runner(options).run();
        Map<String, Double> averages = new LinkedHashMap<>();
        for (RunResult r : runs) {
            String name = r.getParams().getBenchmark();
            averages.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        return averages;
    }
}
