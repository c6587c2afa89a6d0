package dev.redirectguard.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Collections;

/**
 * The CPU time of the whole benchmark JVM per operation (the caller, the loopback server and the
 * client's own threads alike), as a secondary result {@value #NAME} in microseconds. On a shared
 * two-core machine the wall time of one operation moves with whatever else runs; the CPU the JVM
 * spent on it moves much less, and it is what the agent adds to a request.
 */
public final class ProcessCpuProfiler implements InternalProfiler {
    static final String NAME = "cpu/op";
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long start;

    @Override
    public String getDescription() {
        return "process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        start = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long ops = result.getMetadata().getMeasuredOps();
        if (ops <= 0) {
            return Collections.emptyList();
        }
        double micros = (os.getProcessCpuTime() - start) / 1000.0 / ops;
        return Collections.singletonList(new ScalarResult(NAME, micros, "us/op", AggregationPolicy.AVG));
    }
}
