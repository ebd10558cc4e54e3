package io.annscore.bench;

import com.sun.management.OperatingSystemMXBean;
import io.annscore.job.JobConfig;
import io.annscore.job.OutputColumn;
import io.annscore.job.ScoringJob;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * What each layout of the predictions costs to write, per row: annscore's whole job run in one warm
 * JVM ({@code local[1]}, so the process's CPU time is the job's) over the same table with each
 * layout in turn, interleaved, median of the repetitions. Everything but the prediction columns is
 * the same in every run, so the difference to the run that writes only the id is what writing
 * the layout's columns costs.
 *
 * <p>Layouts: {@code id only} (the baseline); {@code before} (the layout before issue 17:
 * {@code outputs} and {@code probability} arrays holding the same values, {@code predicted_class},
 * {@code loss}); {@code arrays} ({@code probability} array, {@code predicted_class}, {@code loss});
 * {@code columns} (one {@code probability_k} column per class, {@code predicted_class}, {@code loss}).
 *
 * <p>Run: {@code bench/run-layouts.sh [--repeat N] [--rows32 N] [--rows128 N]}.
 */
public final class LayoutWriteBench {
    private LayoutWriteBench() {
    }

    record Layout(String name, List<OutputColumn> columns, JobConfig.Layout layout) {
    }

    static final List<Layout> LAYOUTS = List.of(
            new Layout("id only", List.of(OutputColumn.PASS_THROUGH), JobConfig.Layout.ARRAYS),
            new Layout("before (outputs + probability arrays)", List.of(OutputColumn.PASS_THROUGH, OutputColumn.OUTPUTS,
                    OutputColumn.PROBABILITY, OutputColumn.PREDICTED_CLASS, OutputColumn.LOSS), JobConfig.Layout.ARRAYS),
            new Layout("arrays (probability array)", List.of(), JobConfig.Layout.ARRAYS),
            new Layout("columns (probability_k)", List.of(), JobConfig.Layout.COLUMNS));

    public static void main(String[] args) throws Exception {
        int repeat = 3;
        long rows32 = 1_000_000;
        long rows128 = 200_000;
        Path work = Path.of("target", "layouts").toAbsolutePath();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--rows32" -> rows32 = Workload.parseRows(args[++i]);
                case "--rows128" -> rows128 = Workload.parseRows(args[++i]);
                case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --repeat N, --rows32 N, --rows128 N, --work DIR");
            }
        }
        List<Workload> workloads = List.of(Workload.parse("32-64-32-4:1000:" + rows32),
                Workload.parse("128-256-128-10:1000:" + rows128));
        PrintStream out = System.out;
        SparkSession spark = Sessions.create("local[1]", "annscore-layouts");
        try {
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            Map<String, Long> bytes = new LinkedHashMap<>();
            List<Path> models = new ArrayList<>();
            for (Workload w : workloads) {
                Path data = work.resolve("data");
                SyntheticData.generate(spark, data, w.features(), w.classes(), w.largeRows(), 42, false, null);
                Path model = work.resolve("models").resolve(w.name());
                BenchModels.write(spark, w, 42, SyntheticData.parquetPath(data, w.features(), w.classes(), w.largeRows()), model);
                models.add(model);
            }
            for (int rep = 0; rep <= repeat; rep++) {          // rep 0 warms the JIT and is not counted
                for (int wi = 0; wi < workloads.size(); wi++) {
                    Workload w = workloads.get(wi);
                    Path input = SyntheticData.parquetPath(work.resolve("data"), w.features(), w.classes(), w.largeRows());
                    for (Layout l : LAYOUTS) {
                        Path outDir = work.resolve("out");
                        delete(outDir);
                        JobConfig config = new JobConfig("layouts", null, models.get(wi).resolve("model.json").toString(),
                                JobConfig.InputConfig.parquet(List.of(input.toString()), List.of("label"), List.of("id")),
                                new JobConfig.OutputConfig(outDir.resolve("predictions").toString(), JobConfig.Format.PARQUET,
                                        l.columns(), l.layout()),
                                outDir.resolve("quarantine").toString(), 0.01,
                                JobConfig.SummaryConfig.atPath(outDir.resolve("summary").toString()), List.of(), List.of());
                        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                        long c0 = cpuNanos();
                        new ScoringJob(config, spark).withConsole(new PrintStream(PrintStream.nullOutputStream())).run();
                        double seconds = (cpuNanos() - c0) / 1e9;
                        String key = w.name() + " | " + l.name();
                        if (rep > 0) {
                            cpu.computeIfAbsent(key, k -> new ArrayList<>()).add(seconds);
                        }
                        bytes.put(key, size(outDir.resolve("predictions")));
                        out.printf(Locale.ROOT, "%s rep %d: CPU %.2f s (load %.2f)%n", key, rep, seconds, load);
                    }
                }
            }
            out.println();
            out.println("CPU µs per row of the whole job (median), and above the id-only run: the cost of writing the layout");
            for (Workload w : workloads) {
                double base = median(cpu.get(w.name() + " | " + LAYOUTS.get(0).name()));
                for (Layout l : LAYOUTS) {
                    String key = w.name() + " | " + l.name();
                    double m = median(cpu.get(key));
                    out.printf(Locale.ROOT, "%-16s %-40s job %6.2f µs/row   layout %6.2f µs/row   %6.1f bytes/row%n", w.name(),
                            l.name(), m / w.largeRows() * 1e6, (m - base) / w.largeRows() * 1e6,
                            (double) bytes.get(key) / w.largeRows());
                }
            }
        } finally {
            spark.stop();
        }
    }

    private static long cpuNanos() {
        return ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getProcessCpuTime();
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
