package io.annscore.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a job's CPU went, from JFR recordings of it: each execution sample of an executor thread
 * is charged to the first of {@link #CATEGORIES} that a frame of its stack matches, leaf first,
 * so a sample in {@code Math.exp} counts for the activation that called it, and one in a Parquet
 * value class for the reader or the writer below it. Samples of threads that are not Spark tasks
 * (the driver, the JIT, the GC) are left out.
 *
 * <pre>
 *   E2E_JVM_FLAGS="-XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile" \
 *       bench/run-e2e.sh --no-csv --no-memory-check --methods annscore --workload 32-64-32-4:20000:2000000
 *   java -cp "target/bench/classes:$(cat target/bench/bench.classpath)" io.annscore.bench.JfrShares /tmp/jfr/*.jfr
 * </pre>
 */
public final class JfrShares {
    /** Category name, then the prefixes of frames (class name, then '.', then method) that belong to it. */
    static final Map<String, List<String>> CATEGORIES = new LinkedHashMap<>();

    static {
        CATEGORIES.put("forward pass: activations", List.of("io.annscore.network.Activation", "io.annscore.network.OutputSpec"));
        CATEGORIES.put("forward pass: weighted sums and the rest of the scorer", List.of("io.annscore.network."));
        CATEGORIES.put("profiles", List.of("io.annscore.metrics.ColumnProfiles"));
        CATEGORIES.put("metrics", List.of("io.annscore.metrics.", "io.annscore.job.summary."));
        CATEGORIES.put("compression", List.of("org.xerial.snappy", "io.airlift.compress", "com.github.luben.zstd",
                "org.apache.parquet.hadoop.codec", "org.apache.hadoop.io.compress"));
        // Parquet's own value and byte classes serve both directions: a sample in one is charged to
        // the reader or writer frame below it.
        CATEGORIES.put("reading the features", List.of("org.apache.spark.sql.execution.vectorized",
                "org.apache.spark.sql.execution.datasources.parquet.Vectorized",
                "org.apache.spark.sql.execution.datasources.parquet.ParquetVectorUpdater",
                "org.apache.spark.sql.execution.datasources.parquet.ParquetDictionary",
                "org.apache.spark.sql.execution.datasources.parquet.SpecificParquetRecordReaderBase",
                "org.apache.parquet.hadoop.ParquetFileReader"));
        CATEGORIES.put("writing the outputs", List.of("org.apache.parquet.column.impl.ColumnWrite",
                "org.apache.parquet.hadoop.InternalParquetRecordWriter", "org.apache.parquet.hadoop.ParquetRecordWriter",
                "org.apache.parquet.hadoop.ColumnChunkPageWriteStore",
                "org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport",
                "org.apache.spark.sql.execution.datasources.parquet.ParquetOutputWriter",
                "org.apache.spark.sql.execution.datasources.FileFormatDataWriter",
                "org.apache.spark.sql.execution.datasources.OutputWriter"));
        CATEGORIES.put("the row engine (copying features and outputs)", List.of("io.annscore.job.rows."));
        CATEGORIES.put("Spark's generated code and rows", List.of("org.apache.spark.sql.catalyst.",
                "org.apache.spark.sql.execution.", "org.apache.spark.unsafe."));
        CATEGORIES.put("file system and I/O", List.of("org.apache.hadoop.", "java.io.", "sun.nio.", "java.nio."));
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: JfrShares RECORDING.jfr...");
            System.exit(2);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        CATEGORIES.keySet().forEach(k -> counts.put(k, 0L));
        counts.put("other", 0L);
        long total = 0;
        long fallback = 0;
        Map<String, Long> otherLeaves = new LinkedHashMap<>();
        for (String file : args) {
            for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(file))) {
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                String thread = event.getThread("sampledThread") == null ? "" : event.getThread("sampledThread").getJavaName();
                if (thread == null || !thread.startsWith("Executor task launch worker")) {
                    continue;
                }
                total++;
                String category = categoryOf(event.getStackTrace().getFrames());
                counts.merge(category, 1L, Long::sum);
                fallback += inVectorFallback(event.getStackTrace().getFrames()) ? 1 : 0;
                if (category.equals("other")) {
                    RecordedFrame leaf = event.getStackTrace().getFrames().get(0);
                    otherLeaves.merge(leaf.getMethod().getType().getName() + "." + leaf.getMethod().getName(), 1L, Long::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d execution samples of Spark task threads%n", total);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            System.out.printf(Locale.ROOT, "%6.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey());
        }
        System.out.printf(Locale.ROOT, "of all samples, %.1f%% ran the Vector API's Java fallback (before C2 compiled the caller)%n",
                100.0 * fallback / Math.max(1, total));
        List<Map.Entry<String, Long>> leaves = new ArrayList<>(otherLeaves.entrySet());
        leaves.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        System.out.println("most frequent leaves among 'other':");
        for (Map.Entry<String, Long> e : leaves.subList(0, Math.min(8, leaves.size()))) {
            System.out.printf(Locale.ROOT, "%6.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey());
        }
    }

    /**
     * Whether the sample is in the Vector API's Java implementation of a lane operation, which runs
     * only until C2 compiles the caller (and replaces it with vector instructions).
     */
    private static boolean inVectorFallback(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String method = frame.getMethod().getName();
            if (frame.getMethod().getType().getName().startsWith("jdk.incubator.vector.")
                    && (method.equals("uOp") || method.equals("bOp") || method.equals("tOp") || method.equals("rvOp")
                    || method.startsWith("lambda$"))) {
                return true;
            }
        }
        return false;
    }

    private static String categoryOf(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String name = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
            for (Map.Entry<String, List<String>> c : CATEGORIES.entrySet()) {
                for (String prefix : c.getValue()) {
                    if (name.startsWith(prefix)) {
                        return c.getKey();
                    }
                }
            }
        }
        return "other";
    }
}
