package io.annscore.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports, per iteration, the CPU time the benchmark JVM got divided by the wall time it took
 * ("cpu.share"). On a machine shared with other work the wall-clock score undercounts: dividing
 * it by this share gives the throughput per CPU-second actually received. (The JIT and GC threads
 * count too, but in measured iterations of a warmed-up single-threaded benchmark they are idle.)
 */
public final class CpuShareProfiler implements InternalProfiler {
    static final String LABEL = "cpu.share";

    private long cpuStart;
    private long wallStart;

    @Override
    public String getDescription() {
        return "CPU time of the benchmark JVM / wall time, per iteration";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuStart = processCpuNanos();
        wallStart = System.nanoTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        double share = (double) (processCpuNanos() - cpuStart) / (System.nanoTime() - wallStart);
        return List.of(new ScalarResult(LABEL, share, "cpu/wall", AggregationPolicy.AVG));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
