package io.annscore.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * One measured application, run by {@link EndToEndBenchmark} in a JVM of its own: a fresh
 * {@code SparkSession}, one method over one table, then the session stopped — the whole of what a
 * user's scheduled run pays, start-up included.
 *
 * <p>Arguments: {@code METHOD INPUT FEATURES CLASSES MODEL_DIR OUTPUT_DIR RESULT_FILE MASTER}.
 */
public final class MeasuredRun {
    /** System property: true in the memory check, whose runs also measure the live heap ({@link HeapMonitor}). */
    static final String PROBE_LIVE_HEAP = "annscore.bench.probeLiveHeap";

    private MeasuredRun() {
    }

    public static void main(String[] args) throws Exception {
        long mainNanos = System.nanoTime();
        double jvmToMain = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
        if (args.length != 8) {
            throw new IllegalArgumentException(
                    "usage: MeasuredRun METHOD INPUT FEATURES CLASSES MODEL_DIR OUTPUT_DIR RESULT_FILE MASTER");
        }
        BenchMethod method = BenchMethod.named(args[0]);
        RunSpec spec = new RunSpec(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Path.of(args[4]), Path.of(args[5]));
        Path resultFile = Path.of(args[6]);
        String master = args[7];

        Map<String, String> result = new HashMap<>();
        try (HeapMonitor heap = HeapMonitor.start(Boolean.getBoolean(PROBE_LIVE_HEAP))) {
            SparkSession spark = Sessions.create(master, "annscore-e2e-" + method.id());
            long sessionNanos = System.nanoTime();
            result.putAll(method.run(spark, spec));
            long workNanos = System.nanoTime();
            spark.stop();
            long stopNanos = System.nanoTime();

            result.put(RunResult.JVM_TO_MAIN, Double.toString(jvmToMain));
            result.put(RunResult.SESSION, Double.toString((sessionNanos - mainNanos) / 1e9));
            result.put(RunResult.WORK, Double.toString((workNanos - sessionNanos) / 1e9));
            result.put(RunResult.STOP, Double.toString((stopNanos - workNanos) / 1e9));
            result.put(RunResult.PEAK_HEAP_USED, Long.toString(heap.peakUsedBytes()));
            result.put(RunResult.PEAK_HEAP_AFTER_GC, Long.toString(heap.peakAfterGcBytes()));
            result.put(RunResult.COLLECTIONS, Long.toString(heap.collections()));
            result.put(RunResult.PEAK_LIVE, Long.toString(heap.peakLiveBytes()));
            result.put(RunResult.CPU, Double.toString(processCpuSeconds()));
        }
        RunResult.write(resultFile, result);
    }

    private static double processCpuSeconds() {
        return ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getProcessCpuTime() / 1e9;
    }
}
