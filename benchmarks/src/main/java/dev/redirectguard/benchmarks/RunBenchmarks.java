package dev.redirectguard.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the request benchmarks without the agent, with mode=audit and with mode=enforce (log to
 * /dev/null, so the cost of writing is the encoder's, not the disk's), then the rule benchmarks,
 * and prints averages with ratios to no agent.
 *
 *     java -jar benchmarks/target/benchmarks.jar [--quick] [path/to/redirect-guard-agent.jar]
 *
 * --quick runs one short iteration of each: a check that the benchmarks work, not a measurement.
 */
public final class RunBenchmarks {
    private RunBenchmarks() {
    }

    private static boolean quick;

    public static void main(String[] args) throws Exception {
        String jar = "agent/target/redirect-guard-agent.jar";
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else {
                jar = a;
            }
        }
        String agent = new File(jar).getAbsolutePath();
        if (!new File(agent).isFile()) {
            System.err.println("no agent jar at " + agent + ": run mvn -B package first, or pass its path");
            System.exit(2);
        }
        Map<String, String[]> configurations = new LinkedHashMap<>();
        configurations.put("no agent", new String[0]);
        configurations.put("audit", new String[] {"-javaagent:" + agent + "=mode=audit,log=/dev/null"});
        configurations.put("enforce", new String[] {"-javaagent:" + agent + "=mode=enforce,log=/dev/null"});
        Map<String, Map<String, Double>> results = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> c : configurations.entrySet()) {
            results.put(c.getKey(), run(RequestBenchmarks.class.getSimpleName(), c.getValue()));
        }
        Map<String, Double> rules = run(RuleBenchmarks.class.getSimpleName(),
                new String[] {"-javaagent:" + agent + "=mode=off"});

        System.out.println();
        System.out.printf("%-22s %12s %12s %12s %8s %8s%n", "request (us/op)", "no agent", "audit", "enforce",
                "audit", "enforce");
        for (String benchmark : results.get("no agent").keySet()) {
            double base = results.get("no agent").get(benchmark);
            double audit = results.get("audit").get(benchmark);
            double enforce = results.get("enforce").get(benchmark);
            System.out.printf("%-22s %12.1f %12.1f %12.1f %7.2fx %7.2fx%n", benchmark, base, audit, enforce,
                    audit / base, enforce / base);
        }
        System.out.println();
        for (Map.Entry<String, Double> r : rules.entrySet()) {
            System.out.printf("%-22s %12.0f ns/op%n", r.getKey(), r.getValue() * 1000);
        }
    }

    /** Average time per operation in microseconds, per benchmark method. */
    private static Map<String, Double> run(String include, String[] jvmArgs) throws Exception {
        Options options = new OptionsBuilder()
                .include(RunBenchmarks.class.getPackageName() + "." + include + "\\.")
                .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                .timeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 1 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
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
