package io.annscore.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * What one measured run reports, as a properties file the child JVM writes and the orchestrator
 * reads. Times are in seconds, memory in bytes; a metric the method does not compute is absent.
 */
public final class RunResult {
    // Written by the child JVM.
    public static final String JVM_TO_MAIN = "jvm_to_main_seconds";
    public static final String SESSION = "session_seconds";
    public static final String WORK = "work_seconds";
    public static final String STOP = "stop_seconds";
    public static final String PEAK_HEAP_USED = "peak_heap_used_bytes";
    public static final String PEAK_HEAP_AFTER_GC = "peak_heap_after_gc_bytes";
    public static final String COLLECTIONS = "gc_collections";
    /** Peak heap right after a forced full GC (memory check runs only; -1 otherwise). */
    public static final String PEAK_LIVE = "peak_live_bytes";
    /** CPU time of the whole process (all threads), less sensitive than wall time to a busy machine. */
    public static final String CPU = "process_cpu_seconds";
    public static final String LOG_LOSS = "log_loss";
    public static final String ACCURACY = "accuracy";
    public static final String ROWS_SCORED = "rows_scored";
    public static final String ROWS_QUARANTINED = "rows_quarantined";
    public static final String NETWORK_BUILDS = "network_builds";
    // Added by the orchestrator.
    public static final String WALL = "wall_seconds";
    public static final String LOAD_BEFORE = "load_average_before";
    public static final String OUTPUT_BYTES = "predictions_parquet_bytes";
    public static final String OUTPUT_COLUMNS = "predictions_columns";

    private final Properties values;

    private RunResult(Properties values) {
        this.values = values;
    }

    public static void write(Path file, Map<String, String> values) throws IOException {
        Properties p = new Properties();
        p.putAll(values);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "annscore end-to-end benchmark: one run");
        }
    }

    public static RunResult read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new RunResult(p);
    }

    public RunResult with(String key, String value) {
        Properties copy = new Properties();
        copy.putAll(values);
        copy.setProperty(key, value);
        return new RunResult(copy);
    }

    public boolean has(String key) {
        return values.getProperty(key) != null;
    }

    /** The value as a number; NaN when absent. */
    public double number(String key) {
        String v = values.getProperty(key);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    public String text(String key) {
        return values.getProperty(key);
    }
}
