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
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The end-to-end benchmark: annscore's scoring job against Spark MLlib and against the floor (read
 * and write the same data with no network), each run as a separate {@code local[2]} application in
 * a fresh JVM, at two table sizes per network so that fixed start-up and marginal rate separate.
 *
 * <p>Why one JVM per measurement: what a user pays for a scheduled run includes the JVM, the
 * session, the first query's code generation and the JIT warming up — about 5 s here before any row
 * is read. In one long-lived JVM the later methods would inherit a warm JIT, loaded classes and a
 * running session from the earlier ones, and the order of the methods would decide the result.
 *
 * <p>Steps: (1) generate the tables (Parquet and CSV, seeded, reused when already there); (2) write
 * each network as annscore's model file and as an MLlib model, with the same weights, and check that
 * both give the same probabilities; (3) read the Parquet files once so that every method finds
 * them in the page cache; (4) run every (method, size) in its own JVM, in turn; (5) print the
 * report, with the checks that annscore and MLlib agree on log loss and accuracy. Exits with 1
 * when a check fails.
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
                for (long rows : w.rowCounts(options.memoryCheckRuns())) {
                    long start = System.nanoTime();
                    boolean written = SyntheticData.generate(spark, options.dataDir(), w.features(), w.classes(), rows,
                            options.seed(), options.csv());
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
            for (long rows : w.rowCounts(options.memoryCheckRuns())) {
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

    /** Step 4: every (repetition, workload, size, method), each in a JVM of its own. */
    private static List<Measurement> runAll(BenchOptions options, PrintStream out) throws IOException, InterruptedException {
        List<Measurement> plan = new ArrayList<>();
        for (int rep = 1; rep <= options.repeat(); rep++) {
            for (Workload w : options.workloads()) {
                for (long rows : w.rowCounts(options.memoryCheckRuns())) {
                    // The tenth of the large size is there for the memory check of annscore's job only.
                    boolean memoryCheckOnly = rows != w.smallRows() && rows != w.largeRows();
                    for (String method : options.methods()) {
                        if (!memoryCheckOnly || method.equals(AnnscoreMethod.ID)) {
                            plan.add(new Measurement(w, method, rows, rep, null));
                        }
                    }
                }
            }
        }
        List<Measurement> done = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Measurement m = plan.get(i);
            out.printf(Locale.ROOT, "run %2d/%d  %-9s %-16s %,12d rows  ", i + 1, plan.size(), m.method(),
                    m.workload().name(), m.rows());
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
        String name = w.name() + "-" + m.method() + "-" + m.rows() + "-" + m.repetition();
        Path outputDir = options.workDir().resolve("out").resolve(name);
        Path resultFile = options.workDir().resolve("results").resolve(name + ".properties");
        Path log = options.workDir().resolve("logs").resolve(name + ".log");
        deleteRecursively(outputDir);
        Files.createDirectories(resultFile.getParent());
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(resultFile);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.childJvmOptions());
        // The same opens and logging set-up as this JVM.
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-Dlog4j2.configurationFile=")) {
                command.add(arg);
            }
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
        if (!options.keepOutputs()) {
            deleteRecursively(outputDir);
        }
        return RunResult.read(resultFile)
                .with(RunResult.WALL, Double.toString(wall))
                .with(RunResult.LOAD_BEFORE, Double.toString(load));
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

    /** One planned or finished run; {@code result} is null until it has run. */
    record Measurement(Workload workload, String method, long rows, int repetition, RunResult result) {
        Measurement withResult(RunResult r) {
            return new Measurement(workload, method, rows, repetition, r);
        }
    }
}
