package io.annscore.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.SparkSession;

/**
 * The end-to-end benchmark: annscore's scoring job against Spark MLlib and against the floor (read
 * and write the same data with no network), each run as a separate {@code local[2]} application in
 * a fresh JVM, at two table sizes per network so that fixed start-up and marginal rate separate.
 *
 * <p>Why one JVM per measurement: what a user pays for a scheduled run includes the JVM, the
 * session, the first query's code generation and the JIT warming up — several seconds before any
 * row is read (about 5 s on an idle 2-core machine). In one long-lived JVM the later methods would inherit a warm JIT, loaded classes and a
 * running session from the earlier ones, and the order of the methods would decide the result.
 *
 * <p>Steps: (1) generate the tables (Parquet and CSV, seeded, reused when already there); (2) write
 * each network as annscore's model file and as an MLlib model, with the same weights, and check that
 * both give the same probabilities; (3) read the Parquet files once so that every method finds
 * them in the page cache; (4) after one warm-up application that is not reported (jars and
 * classes into the page cache), run every (method, size) in its own JVM, one after another, all
 * with the same heap; then the memory check: annscore at a tenth of the large size and at the large
 * size, with a smaller heap; (5) print the report, with the checks that annscore scored every row
 * and agrees with MLlib on log loss and accuracy. Exits with 1 when a check fails.
 *
 * <p>Run it through {@code bench/run-e2e.sh}, which builds the classpath; {@code --help} lists the
 * options.
 */
public final class EndToEndBenchmark {

    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        PrintStream out = System.out;
        out.println("annscore end-to-end benchmark — " + options.describe());
        int cores = Runtime.getRuntime().availableProcessors();
        if (loadAverage() > cores) {
            out.printf(Locale.ROOT, "warning: the machine is busy (load average %.1f on %d cores): times will be noisy%n",
                    loadAverage(), cores);
        }
        out.println();

        prepare(options, out);
        warmPageCache(options, out);
        List<Measurement> measurements = runAll(options, out);

        Report report = new Report(options, measurements);
        String text = report.render();
        out.println();
        out.print(text);
        Files.writeString(options.workDir().resolve("report.txt"), text, StandardCharsets.UTF_8);
        out.println("(report saved to " + options.workDir().resolve("report.txt") + ")");
        if (!report.checksPassed()) {
            System.exit(1);
        }
    }

    /** Steps 1 and 2: tables and models, in one session that is stopped before anything is timed. */
    private static void prepare(BenchOptions options, PrintStream out) throws IOException {
        SparkSession spark = Sessions.create(options.master(), "annscore-e2e-prepare");
        try {
            for (Workload w : options.workloads()) {
                for (long rows : w.tableRows(options.memoryCheckRuns())) {
                    long start = System.nanoTime();
                    boolean written = SyntheticData.generate(spark, options.dataDir(), w.features(), w.classes(), rows,
                            options.seed(), options.csv(), options.rowGroupBytes());
                    out.printf(Locale.ROOT, "data   %-16s %,12d rows × %d features: %s%n", w.name(), rows, w.features(),
                            written ? String.format(Locale.ROOT, "generated in %.1f s", seconds(start)) : "reused");
                }
                Path smallest = SyntheticData.parquetPath(options.dataDir(), w.features(), w.classes(), w.smallRows());
                double difference = BenchModels.write(spark, w, options.seed(), smallest, options.modelDir(w));
                out.printf(Locale.ROOT, "model  %-16s annscore and MLlib agree on the first rows (largest difference %.1e)%n",
                        w.name(), difference);
            }
        } finally {
            spark.stop();
        }
    }

    /** Step 3: reads every Parquet file once, so that no method is the one that pays for the disk. */
    private static void warmPageCache(BenchOptions options, PrintStream out) throws IOException {
        long bytes = 0;
        byte[] buffer = new byte[1 << 20];
        for (Workload w : options.workloads()) {
            for (long rows : w.tableRows(options.memoryCheckRuns())) {
                Path table = SyntheticData.parquetPath(options.dataDir(), w.features(), w.classes(), rows);
                try (Stream<Path> files = Files.walk(table)) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        try (InputStream in = Files.newInputStream(file)) {
                            for (int n; (n = in.read(buffer)) > 0; ) {
                                bytes += n;
                            }
                        }
                    }
                }
            }
        }
        out.printf(Locale.ROOT, "cache  read %,d MB of Parquet once before timing%n%n", bytes >> 20);
    }

    /**
     * Step 4: every (repetition, workload, size, method), each in a JVM of its own; then the memory
     * check: annscore at a tenth of the large size and at the large size, with the smaller heap.
     */
    private static List<Measurement> runAll(BenchOptions options, PrintStream out) throws IOException, InterruptedException {
        List<Measurement> plan = new ArrayList<>();
        for (int rep = 1; rep <= options.repeat(); rep++) {
            for (Workload w : options.workloads()) {
                for (long rows : List.of(w.smallRows(), w.largeRows())) {
                    for (String method : options.methods()) {
                        plan.add(new Measurement(w, method, rows, rep, false, options.heap(), null));
                    }
                }
            }
        }
        if (options.memoryCheckRuns()) {
            for (Workload w : options.workloads()) {
                for (long rows : List.of(w.memoryCheckRows(), w.largeRows())) {
                    plan.add(new Measurement(w, AnnscoreMethod.ID, rows, 1, true, options.memoryHeap(), null));
                }
            }
        }
        // One application first, not reported, so that the first measured run does not pay alone
        // for reading the jars and the data from a cold page cache.
        Workload first = options.workloads().get(0);
        out.printf(Locale.ROOT, "warm-up   %-9s %-16s %,12d rows  (not reported)", options.methods().get(0), first.name(),
                first.smallRows());
        out.flush();
        RunResult warmUp = runOne(options, new Measurement(first, options.methods().get(0), first.smallRows(), 0, false,
                options.heap(), null));
        out.printf(Locale.ROOT, "  %7.2f s%n", warmUp.number(RunResult.WALL));

        List<Measurement> done = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Measurement m = plan.get(i);
            out.printf(Locale.ROOT, "run %2d/%d  %-9s %-16s %,12d rows  heap %-5s %s", i + 1, plan.size(), m.method(),
                    m.workload().name(), m.rows(), m.heap(), m.memoryCheck() ? "(memory check) " : "");
            out.flush();
            RunResult result = runOne(options, m);
            out.printf(Locale.ROOT, "%7.2f s%n", result.number(RunResult.WALL));
            done.add(m.withResult(result));
        }
        return done;
    }

    /** Runs {@link MeasuredRun} in a fresh JVM and times the whole process, JVM start-up included. */
    private static RunResult runOne(BenchOptions options, Measurement m) throws IOException, InterruptedException {
        Workload w = m.workload();
        String name = w.name() + "-" + m.method() + "-" + m.rows() + (m.memoryCheck() ? "-memory" : "-" + m.repetition());
        Path outputDir = options.workDir().resolve("out").resolve(name);
        Path resultFile = options.workDir().resolve("results").resolve(name + ".properties");
        Path log = options.workDir().resolve("logs").resolve(name + ".log");
        deleteRecursively(outputDir);
        Files.createDirectories(resultFile.getParent());
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(resultFile);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + m.heap());
        command.add("-Xmx" + m.heap());
        // The same opens, modules (the Vector API, as Spark 4.2 gives its JVMs) and logging set-up as this JVM.
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-modules") || arg.startsWith("-Dlog4j2.configurationFile=")) {
                command.add(arg);
            }
        }
        // Extra flags for the measured JVM (e.g. a JFR recording), whitespace-separated.
        String extra = System.getenv("E2E_JVM_FLAGS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        if (m.memoryCheck()) {
            // A Spark setting as a system property: the measured JVM's session picks it up.
            command.add("-Dspark.hadoop.parquet.block.size="
                    + org.apache.spark.network.util.JavaUtils.byteStringAsBytes(options.memoryRowGroup()));
            command.add("-D" + MeasuredRun.PROBE_LIVE_HEAP + "=true");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MeasuredRun.class.getName());
        command.add(m.method());
        command.add(SyntheticData.parquetPath(options.dataDir(), w.features(), w.classes(), m.rows()).toString());
        command.add(Integer.toString(w.features()));
        command.add(Integer.toString(w.classes()));
        command.add(options.modelDir(w).toString());
        command.add(outputDir.toString());
        command.add(resultFile.toString());
        command.add(options.master());

        double load = loadAverage();
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(options.timeoutMinutes(), TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("run " + name + " took longer than " + options.timeoutMinutes()
                    + " minutes; see " + log);
        }
        double wall = seconds(start);
        if (process.exitValue() != 0 || !Files.exists(resultFile)) {
            throw new IllegalStateException("run " + name + " failed with exit code " + process.exitValue()
                    + "; see " + log);
        }
        RunResult result = RunResult.read(resultFile)
                .with(RunResult.WALL, Double.toString(wall))
                .with(RunResult.LOAD_BEFORE, Double.toString(load))
                .with(RunResult.OUTPUT_BYTES, Long.toString(parquetBytes(outputDir.resolve("predictions"))))
                .with(RunResult.OUTPUT_COLUMNS, parquetColumns(outputDir.resolve("predictions")));
        if (!options.keepOutputs()) {
            deleteRecursively(outputDir);
        }
        return result;
    }

    /** The size of the Parquet files under {@code dir}: what a method wrote. */
    private static long parquetBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long total = 0;
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".parquet"))::iterator) {
                total += Files.size(f);
            }
            return total;
        }
    }

    /** The top-level columns of the Parquet files under {@code dir}, from the first file's footer. */
    private static String parquetColumns(Path dir) throws IOException {
        Path first;
        try (Stream<Path> files = Files.walk(dir)) {
            first = files.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElse(null);
        }
        if (first == null) {
            return "";
        }
        HadoopInputFile file = HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(first.toUri()), new Configuration());
        try (ParquetFileReader reader = ParquetFileReader.open(file)) {
            return reader.getFooter().getFileMetaData().getSchema().getFields().stream()
                    .map(Type::getName)
                    .collect(Collectors.joining(","));
        }
    }

    /** The one-minute load average, to show how busy the shared machine was; NaN where unknown. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /**
     * One planned or finished run; {@code result} is null until it has run.
     *
     * @param memoryCheck true for the memory check's runs, false for the timed ones
     * @param heap the run's -Xms and -Xmx
     */
    record Measurement(Workload workload, String method, long rows, int repetition, boolean memoryCheck, String heap,
                       RunResult result) {
        Measurement withResult(RunResult r) {
            return new Measurement(workload, method, rows, repetition, memoryCheck, heap, r);
        }
    }
}
