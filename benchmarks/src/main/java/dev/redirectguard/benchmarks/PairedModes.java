package dev.redirectguard.benchmarks;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The agent's own work per call, with the JIT's luck taken out. Forks of one configuration land up
 * to 30 % apart (what the JIT made of HttpClient by the end of warm-up), far more than the agent's
 * hooks cost, so a ratio of two forks says little about the agent. Here every fork runs with the
 * agent, and its mode changes before each iteration, through the MBean, in the order off, audit,
 * enforce, enforce, audit, off (a linear drift of the fork hits each mode alike); each fork's
 * figure is the median of its audit (enforce) iterations over the median of its off iterations.
 * In off the rewritten JDK code still calls the hooks, which return at their first check: the
 * ratio is what the agent does per call, not what the rewritten classes cost the JIT (the unpaired
 * run, {@link RunBenchmarks}, measures that, with its noise).
 *
 *     java -jar benchmarks/target/benchmarks.jar paired [--quick] [--rounds 8] [path/to/redirect-guard-agent.jar]
 *
 * --quick runs one round of half-second iterations, one turn of the modes measured: a check that
 * the pairing works (the mode is read back after each change), not a measurement.
 */
public final class PairedModes {
    static final String MODES_PROPERTY = "benchmarks.modes";
    private static final String[] MODES = {"off", "audit", "enforce", "enforce", "audit", "off"};
    private static final String[] BENCHMARKS = {"httpClientGet", "httpClientPost307", "httpClientPost303",
            "urlConnectionGet", "urlConnectionPost307"};
    /** Four iterations of each mode (--quick: one). */
    private static final int MEASURED = 12;
    private static boolean quick;

    private PairedModes() {
    }

    /** The modes a fork takes turns in, or null when it is not a paired fork. */
    static String[] modesOfThisFork() {
        String modes = System.getProperty(MODES_PROPERTY, "");
        return modes.isEmpty() ? null : modes.split(",");
    }

    /** The agent registers its MBean on its own thread, just after start: waited for here, once. */
    static void setAgentMode(String mode) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.redirectguard:type=RedirectGuard");
        for (int waited = 0; !server.isRegistered(name); waited += 10) {
            if (waited > 30_000) {
                throw new IllegalStateException("no redirect-guard MBean after 30 s: start the agent with jmx=0");
            }
            Thread.sleep(10);
        }
        server.setAttribute(name, new Attribute("Mode", mode));
        Object now = server.getAttribute(name, "Mode");
        if (!mode.equals(now)) {
            throw new IllegalStateException("the agent's mode is " + now + ", not " + mode);
        }
    }

    public static void main(String[] args) throws Exception {
        String jar = "agent/target/redirect-guard-agent.jar";
        int rounds = 8;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--quick")) {
                quick = true;
                rounds = 1;
            } else {
                jar = args[i];
            }
        }
        String agent = new File(jar).getAbsolutePath();
        if (!new File(agent).isFile()) {
            System.err.println("no agent jar at " + agent + ": run mvn -B package first, or pass its path");
            System.exit(2);
        }
        String[] jvmArgs = {"-javaagent:" + agent + "=mode=audit,log=/dev/null,jmx=0",
                "-D" + MODES_PROPERTY + "=" + String.join(",", MODES)};
        // ratios.get(benchmark).get("audit time") ...: one per fork
        Map<String, Map<String, List<Double>>> ratios = new LinkedHashMap<>();
        Map<String, List<Double>> offTimes = new LinkedHashMap<>();
        Random random = new Random();
        for (int round = 1; round <= rounds; round++) {
            List<String> order = new ArrayList<>(Arrays.asList(BENCHMARKS));
            Collections.shuffle(order, random);
            for (String benchmark : order) {
                System.out.println("== round " + round + " of " + rounds + ": " + benchmark);
                Map<String, List<double[]>> byMode = null;
                // A fork that fails runs again, as in RunBenchmarks.
                int attempts = RunBenchmarks.FORK_ATTEMPTS;
                for (int attempt = 1; byMode == null && attempt <= attempts; attempt++) {
                    byMode = runFork(benchmark, jvmArgs);
                    if (byMode == null) {
                        System.out.println("== that fork failed (its error is above); attempt " + attempt + " of "
                                + attempts);
                    }
                }
                if (byMode == null) {
                    System.err.println(benchmark + " failed " + attempts + " times in a row");
                    System.exit(1);
                }
                double[] off = medians(byMode.get("off"));
                offTimes.computeIfAbsent(benchmark, k -> new ArrayList<>()).add(off[0]);
                Map<String, List<Double>> r = ratios.computeIfAbsent(benchmark, k -> new LinkedHashMap<>());
                for (String mode : new String[] {"audit", "enforce"}) {
                    double[] m = medians(byMode.get(mode));
                    r.computeIfAbsent(mode + " time", k -> new ArrayList<>()).add(m[0] / off[0]);
                    r.computeIfAbsent(mode + " cpu", k -> new ArrayList<>()).add(m[1] / off[1]);
                }
            }
        }
        System.out.println();
        System.out.printf("JDK %s, %d round%s, one fork per benchmark per round, the agent's mode changing each"
                        + " iteration; mode / off within a fork, median [min-max] over forks%n",
                System.getProperty("java.version"), rounds, rounds == 1 ? "" : "s");
        if (quick) {
            System.out.println("--quick: a check that the pairing works, not a measurement");
        }
        System.out.printf("%-22s %10s %20s %20s %20s %20s%n", "benchmark", "off (us)", "audit / off",
                "enforce / off", "CPU: audit / off", "CPU: enforce / off");
        for (String benchmark : BENCHMARKS) {
            Map<String, List<Double>> r = ratios.get(benchmark);
            if (r == null) {
                continue;
            }
            System.out.printf("%-22s %10.1f %20s %20s %20s %20s%n", benchmark, median(offTimes.get(benchmark)),
                    spread(r.get("audit time")), spread(r.get("enforce time")), spread(r.get("audit cpu")),
                    spread(r.get("enforce cpu")));
        }
    }

    /** Per mode, {time, process CPU} per operation of each measured iteration; null if the fork failed. */
    private static Map<String, List<double[]>> runFork(String benchmark, String[] jvmArgs) throws Exception {
        // Warm-up as RunBenchmarks gives it, rounded up to whole turns of the six modes, so that the
        // first measured iteration is the first mode's.
        int turns = (RunBenchmarks.warmupSeconds(benchmark) + MODES.length - 1) / MODES.length;
        int warmup = MODES.length * (quick ? 1 : turns);
        int measured = quick ? MODES.length : MEASURED;
        TimeValue iteration = quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(PairedModes.class.getPackageName() + "." + RequestBenchmarks.class.getSimpleName() + "\\."
                        + benchmark + "$")
                .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                .timeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
                .warmupIterations(warmup)
                .warmupTime(iteration)
                .measurementIterations(measured)
                .measurementTime(iteration)
                .forks(1)
                .jvmArgsAppend(jvmArgs)
                .addProfiler(ProcessCpuProfiler.class);
        Collection<RunResult> runs = new Runner(options.build()).run();
        Map<String, List<double[]>> byMode = new LinkedHashMap<>();
        for (RunResult r : runs) {
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                int k = 0;
                for (IterationResult i : b.getIterationResults()) {
                    Result<?> cpu = i.getSecondaryResults().get(ProcessCpuProfiler.NAME);
                    byMode.computeIfAbsent(MODES[k++ % MODES.length], m -> new ArrayList<>()).add(new double[] {
                            i.getPrimaryResult().getScore(), cpu == null ? Double.NaN : cpu.getScore()});
                }
                if (k != measured) {
                    return null;
                }
            }
        }
        return byMode.size() == 3 ? byMode : null;
    }

    private static double[] medians(List<double[]> iterations) {
        List<Double> time = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (double[] i : iterations) {
            time.add(i[0]);
            cpu.add(i[1]);
        }
        return new double[] {median(time), median(cpu)};
    }

    private static String spread(List<Double> v) {
        return v.size() == 1 ? String.format("%.3fx", v.get(0))
                : String.format("%.3fx [%.2f-%.2f]", median(v), Collections.min(v), Collections.max(v));
    }

    private static double median(List<Double> v) {
        return ConcurrencyBenchmarks.median(v);
    }
}
