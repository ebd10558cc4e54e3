package io.annscore.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The benchmark's command-line options.
 *
 * @param workloads the networks and their two sizes
 * @param methods which of {@link #METHODS} to run, in that order
 * @param repeat runs per (method, size); the report takes the median time
 * @param heap -Xms and -Xmx of every measured JVM (the same for all, so memory numbers compare)
 * @param master the Spark master of every measured run
 * @param workDir where data, models, logs, results and the report go
 * @param seed seeds the data and the weights
 * @param csv whether to write a CSV copy of each table besides the Parquet one
 * @param memoryCheck whether to run the memory check: annscore at a tenth of each large size and at
 *     the large size (1× and 10× the rows), each with the heap {@code memoryHeap}
 * @param memoryHeap -Xms and -Xmx of the memory check's runs
 * @param rowGroup the Parquet row-group size of the generated tables, null for Parquet's default
 *     (128 MiB); tables of another size live in their own data folder
 * @param memoryRowGroup the Parquet row-group size (parquet.block.size) annscore writes with in the
 *     memory check: a writer holds one row group in memory, so the check uses row groups that both
 *     sizes fill several times (Parquet's default, 128 MiB, is more than the smaller size writes)
 * @param keepOutputs whether to keep each run's predictions (deleted after each run otherwise)
 * @param timeoutMinutes the longest one run may take
 * @param help whether --help was given
 */
public record BenchOptions(
        List<Workload> workloads,
        List<String> methods,
        int repeat,
        String heap,
        String master,
        Path workDir,
        long seed,
        boolean csv,
        boolean memoryCheck,
        String memoryHeap,
        String rowGroup,
        String memoryRowGroup,
        boolean keepOutputs,
        int timeoutMinutes,
        boolean help) {

    /** Every method, in the order they run and are reported. */
    public static final List<String> METHODS = List.of(LeanFloorMethod.ID, FloorMethod.ID, MllibMethod.ID,
            OnnxRuntimeMethod.ID, AnnscoreMethod.ID, AnnscoreMethod.ID_FLOAT32);

    /** The sizes of the issue: 32 features × 20,000 and 2,000,000 rows; 128 features × 20,000 and 300,000 rows. */
    public static final List<Workload> FULL = List.of(
            Workload.parse("32-64-32-4:20000:2000000"),
            Workload.parse("128-256-128-10:20000:300000"));

    /** Small enough to check that everything works on a busy machine in a few minutes. */
    public static final List<Workload> QUICK = List.of(
            Workload.parse("32-64-32-4:10000:100000"),
            Workload.parse("128-256-128-10:2000:20000"));

    public static final String USAGE = String.join("\n",
            "usage: bench/run-e2e.sh [options]",
            "  --quick                 tiny sizes for a check: " + names(QUICK),
            "  --workload L:SMALL:LARGE  a network (layer sizes, input first) and its two row counts, e.g.",
            "                          32-64-32-4:20000:2000000 (k and m suffixes work); repeatable.",
            "                          Default: " + names(FULL),
            "  --methods LIST          comma-separated subset of " + String.join(",", METHODS) + " (default: all),",
            "                          or annscore-noprofile: annscore without profiles, report and progress lines,",
            "                          or annscore-lean: annscore writing only the id and predicted_class, profiles off",
            "  --repeat N              runs per method and size; the median time counts (default 1)",
            "  --heap SIZE             -Xms/-Xmx of each measured JVM (default 2g)",
            "  --master URL            Spark master of each measured run (default local[2])",
            "  --work DIR              data, models, logs and the report (default target/e2e)",
            "  --seed N                seed of the data and the weights (default 42)",
            "  --no-csv                do not write the CSV copies of the tables",
            "  --no-memory-check       skip the memory check (annscore at 1/10 and 1× the large size)",
            "  --memory-heap SIZE      -Xms/-Xmx of the memory check's runs (default 1g)",
            "  --row-group SIZE        the Parquet row-group size of the generated tables (default: Parquet's, 128m)",
            "  --memory-row-group SIZE the Parquet row-group size annscore writes with in the memory check",
            "                          (default 1m; a writer buffers one row group, 128m by default)",
            "  --keep-outputs          keep each run's predictions under WORK/out",
            "  --timeout-minutes N     fail a run that takes longer (default 60)");

    public static BenchOptions parse(String[] args) {
        List<Workload> workloads = new ArrayList<>();
        boolean quick = false;
        List<String> methods = METHODS;
        int repeat = 1;
        String heap = "2g";
        String master = "local[2]";
        Path workDir = Path.of("target", "e2e");
        long seed = 42;
        boolean csv = true;
        boolean memoryCheck = true;
        String memoryHeap = "1g";
        String memoryRowGroup = "1m";
        String rowGroup = null;
        boolean keepOutputs = false;
        int timeout = 60;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--workload" -> workloads.add(Workload.parse(value(args, ++i, arg)));
                case "--methods" -> methods = parseMethods(value(args, ++i, arg));
                case "--repeat" -> repeat = positive(value(args, ++i, arg), arg);
                case "--heap" -> heap = value(args, ++i, arg);
                case "--master" -> master = value(args, ++i, arg);
                case "--work" -> workDir = Path.of(value(args, ++i, arg));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, arg));
                case "--no-csv" -> csv = false;
                case "--no-memory-check" -> memoryCheck = false;
                case "--memory-heap" -> memoryHeap = value(args, ++i, arg);
                case "--memory-row-group" -> memoryRowGroup = value(args, ++i, arg);
                case "--row-group" -> rowGroup = value(args, ++i, arg);
                case "--keep-outputs" -> keepOutputs = true;
                case "--timeout-minutes" -> timeout = positive(value(args, ++i, arg), arg);
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (quick && !workloads.isEmpty()) {
            throw new IllegalArgumentException("give either --quick or --workload, not both");
        }
        if (workloads.isEmpty()) {
            workloads = quick ? QUICK : FULL;
        }
        return new BenchOptions(List.copyOf(workloads), methods, repeat, heap, master, workDir.toAbsolutePath(), seed,
                csv, memoryCheck, memoryHeap, rowGroup, memoryRowGroup, keepOutputs, timeout, help);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String text, String option) {
        int n = Integer.parseInt(text);
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be positive, found " + n);
        }
        return n;
    }

    private static List<String> parseMethods(String text) {
        List<String> known = new java.util.ArrayList<>(METHODS);
        known.add(AnnscoreMethod.NO_PROFILE_ID); // not run by default: annscore without profiles and report
        known.add(AnnscoreMethod.LEAN_ID);       // nor annscore writing only the id and the predicted class
        List<String> chosen = Arrays.stream(text.split(",")).map(String::trim).collect(Collectors.toList());
        for (String m : chosen) {
            if (!known.contains(m)) {
                throw new IllegalArgumentException("unknown method '" + m + "'; known: " + String.join(",", known));
            }
        }
        // Always in the same order, so the report reads the same way.
        return known.stream().filter(chosen::contains).collect(Collectors.toList());
    }

    private static String names(List<Workload> workloads) {
        return workloads.stream().map(Workload::toString).collect(Collectors.joining(" "));
    }

    /** Whether the memory check runs (it checks annscore, which must be among the methods). */
    public boolean memoryCheckRuns() {
        return memoryCheck && methods.contains(AnnscoreMethod.ID);
    }

    public Path dataDir() {
        return workDir.resolve(rowGroup == null ? "data" : "data-rowgroup-" + rowGroup);
    }

    /** The generated tables' row-group size in bytes, as a string, or null for Parquet's default. */
    public String rowGroupBytes() {
        return rowGroup == null ? null : Long.toString(org.apache.spark.network.util.JavaUtils.byteStringAsBytes(rowGroup));
    }

    /** Where a workload's two model copies are: one folder per network shape and seed. */
    public Path modelDir(Workload w) {
        return workDir.resolve("models").resolve(w.name() + "-seed" + seed);
    }

    public String describe() {
        return String.format(Locale.ROOT, "master %s, heap %s per run, %d run(s) per method and size, seed %d, %d cores,"
                + " input row groups %s", master, heap, repeat, seed, Runtime.getRuntime().availableProcessors(),
                rowGroup == null ? "of Parquet's default size (128m)" : "of " + rowGroup);
    }
}
