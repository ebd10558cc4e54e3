package io.annscore.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annscore.job.JobConfig;
import io.annscore.model.ModelFile;
import io.annscore.network.Network;
import io.annscore.testing.NeutralModels;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;

/** Shared pieces of the job's integration tests: sessions, fixtures, configurations. */
public final class JobTestSupport {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    public static final LocalDate DAY_1 = LocalDate.of(2024, 3, 1);
    public static final LocalDate DAY_2 = LocalDate.of(2024, 3, 2);

    private JobTestSupport() {
    }

    /** The fixture's network as our model file (written once into {@code dir}/models). */
    public static Path modelFile(Fixture f, Path dir) {
        try {
            return writeModel(NeutralModels.load(f.model()), dir.resolve("models").resolve(f.name() + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path writeModel(Network network, Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.write(file, ModelFile.write(network));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SparkSession session(String master, Path warehouse) {
        return session(master, warehouse, false, false);
    }

    /**
     * A local session; with {@code hive}, Spark's Hive support with an embedded Derby metastore and
     * the warehouse under {@code warehouse}, set up as the job's sessions get them
     * ({@link io.annscore.job.tables.LocalCatalog}); with {@code delta}, Delta Lake's extension and catalog.
     */
    public static SparkSession session(String master, Path warehouse, boolean hive, boolean delta) {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        SparkSession.Builder builder = SparkSession.builder();
        if (hive) {
            io.annscore.job.tables.LocalCatalog.configure(new org.apache.spark.SparkConf().setMaster(master), builder,
                    warehouse.toString(), "the test");
        } else {
            builder.config("spark.sql.warehouse.dir", warehouse.toString());
        }
        if (delta) {
            builder.config("spark.sql.extensions", io.annscore.job.tables.DeltaTables.EXTENSION)
                    .config("spark.sql.catalog.spark_catalog", io.annscore.job.tables.DeltaTables.CATALOG)
                    // Delta rebuilds a table's state from its log in 50 partitions by default; these tables are tiny.
                    .config("spark.databricks.delta.snapshotPartitions", "1");
        }
        SparkSession spark = builder
                .master(master)
                .appName("annscore-it")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                // one partition per input file (small files are otherwise packed together)
                .config("spark.sql.files.openCostInBytes", String.valueOf(1L << 30))
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    public static void stop(SparkSession spark) {
        if (spark != null) {
            spark.stop();
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    /** One oracle case, from the test classpath copy of the fixtures. */
    public record Fixture(String name, Path dir, JsonNode caseJson) {
        public static Fixture load(String name) {
            try {
                Path dir = Path.of(JobTestSupport.class.getResource("/fixtures/" + name + "/case.json").toURI()).getParent();
                return new Fixture(name, dir, JSON.readTree(dir.resolve("case.json").toFile()));
            } catch (IOException | URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        public Path data() {
            return dir.resolve("data.csv");
        }

        public Path model() {
            return dir.resolve("model.json");
        }

        public String task() {
            return caseJson.get("task").asText();
        }

        public List<String> labels() {
            return texts(caseJson.get("label_columns"));
        }

        public List<String> features() {
            return texts(caseJson.get("feature_columns"));
        }

        public JsonNode metrics() {
            return read("metrics.json");
        }

        public JsonNode manifest() {
            return read("manifest.json");
        }

        private JsonNode read(String file) {
            try {
                return JSON.readTree(dir.resolve(file).toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** id → the reference outputs (out_0..) from expected.csv. */
        public Map<String, double[]> expectedOutputs() {
            Map<String, double[]> out = new LinkedHashMap<>();
            List<String> lines = lines("expected.csv");
            String[] header = lines.get(0).split(",");
            int n = 0;
            for (String h : header) {
                if (h.startsWith("out_")) {
                    n++;
                }
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                double[] v = new double[n];
                for (int k = 0; k < n; k++) {
                    v[k] = Double.parseDouble(f[1 + k]);
                }
                out.put(f[0], v);
            }
            return out;
        }

        /** id → predicted_class from expected.csv (classifiers). */
        public Map<String, Integer> expectedClasses() {
            Map<String, Integer> out = new LinkedHashMap<>();
            List<String> lines = lines("expected.csv");
            String[] header = lines.get(0).split(",");
            int col = List.of(header).indexOf("predicted_class");
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                out.put(f[0], Integer.parseInt(f[col]));
            }
            return out;
        }

        public List<String> lines(String file) {
            try {
                return Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Output locations under one folder. */
    public record Paths(Path root) {
        public Path predictions() {
            return root.resolve("predictions");
        }

        public Path quarantine() {
            return root.resolve("quarantine");
        }

        public Path summary() {
            return root.resolve("summary");
        }
    }

    public static JobConfig config(String job, LocalDate date, Path model, JobConfig.InputConfig input, Paths out, double maxQuarantine) {
        return new JobConfig(job, date, model.toString(), input,
                new JobConfig.OutputConfig(out.predictions().toString(), JobConfig.Format.PARQUET),
                out.quarantine().toString(), maxQuarantine, JobConfig.SummaryConfig.atPath(out.summary().toString()),
                List.of(), List.of());
    }

    public static JobConfig.InputConfig csvInput(Fixture f, Path data) {
        return JobConfig.InputConfig.csv(List.of(data.toString()), f.labels(), List.of("id"));
    }

    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** |a − b| ≤ rel·|b|, with an absolute floor for values at the edge of underflow. */
    public static boolean close(double a, double b, double rel) {
        return Math.abs(a - b) <= rel * Math.abs(b) + 1e-300;
    }

    /** Counts the jobs and tasks Spark starts, and the tasks that failed. */
    public static final class TaskCounter extends SparkListener {
        public final AtomicInteger jobs = new AtomicInteger();
        public final AtomicInteger tasks = new AtomicInteger();
        public final AtomicInteger failedTasks = new AtomicInteger();

        @Override
        public void onJobStart(SparkListenerJobStart e) {
            jobs.incrementAndGet();
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart e) {
            tasks.incrementAndGet();
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            if (!e.reason().toString().equals("Success")) {
                failedTasks.incrementAndGet();
            }
        }
    }

    /** Waits until the listeners have seen every event posted so far. */
    public static void drainListeners(SparkSession spark) {
        try {
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A vector column of a prediction row, in either layout: the array column {@code name}, or the
     * columns {@code name_0, name_1, …}; null when the row has neither.
     */
    public static double[] vector(org.apache.spark.sql.Row r, String name) {
        List<String> fields = List.of(r.schema().fieldNames());
        if (fields.contains(name)) {
            Object v = r.get(r.fieldIndex(name));
            if (v instanceof Double d) {
                return new double[] {d};
            }
            return r.<Double>getList(r.fieldIndex(name)).stream().mapToDouble(Double::doubleValue).toArray();
        }
        int n = 0;
        while (fields.contains(name + "_" + n)) {
            n++;
        }
        if (n == 0) {
            return null;
        }
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            out[k] = r.getDouble(r.fieldIndex(name + "_" + k));
        }
        return out;
    }

    /**
     * What a prediction row says the network gave, as the scorer's outputs: regression's
     * {@code prediction} or {@code outputs}; a classifier's probabilities (binary: P(class 1), one value).
     */
    public static double[] scores(org.apache.spark.sql.Row r) {
        for (String name : List.of("prediction", "probability")) {
            double[] v = vector(r, name);
            if (v != null) {
                return v;
            }
        }
        return vector(r, "outputs");
    }
}
