package io.annscore.job;

import static io.annscore.testing.JobTestSupport.DAY_1;
import static io.annscore.testing.JobTestSupport.DAY_2;
import static io.annscore.testing.JobTestSupport.QUIET;
import static io.annscore.testing.JobTestSupport.close;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.importers.ModelLoadException;
import io.annscore.job.rows.ExecutorNetworks;
import io.annscore.job.summary.RunSummary;
import io.annscore.network.InputSpec;
import io.annscore.network.Network;
import io.annscore.testing.JobTestSupport.Fixture;
import io.annscore.testing.JobTestSupport.Paths;
import io.annscore.testing.JobTestSupport.TaskCounter;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.LocalSpark;
import io.annscore.testing.MllibStyleVectorUDT;
import io.annscore.testing.NeutralModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The job's behaviour beyond the oracle values: re-runs, partitioning, early errors, input shapes, outputs. */
@LocalSpark.Session(master = "local[2]")
class ScoringJobIT {
    private static final double REL = 1e-9;

    @TempDir
    static Path tmp;
    private SparkSession spark;
    private final Fixture iris = Fixture.load("iris_relu_multiclass");

    private RunSummary run(JobConfig config) {
        return new ScoringJob(config, spark).withConsole(QUIET).run();
    }

    private Path irisModel() {
        return JobTestSupport.modelFile(iris, tmp);
    }

    /** The iris network without feature names (an input layer of the same size), as a model file. */
    private Path unnamedIrisModel() throws IOException {
        Network n = NeutralModels.load(iris.model());
        InputSpec in = n.input();
        return JobTestSupport.writeModel(new Network(n.info(), new InputSpec(List.of(), in.size(), in.mean(), in.scale()),
                n.layers(), n.output()), tmp.resolve("models").resolve("iris-unnamed.json"));
    }

    private JobConfig irisCsv(String job, LocalDate date, Paths out) {
        return JobTestSupport.config(job, date, irisModel(), JobTestSupport.csvInput(iris, iris.data()), out, 0.0);
    }

    /** The iris data as Parquet in {@code files} files (inferred types: id int, features double, label int). */
    private Path irisParquet(String name, int files) {
        Path dir = tmp.resolve("inputs").resolve(name);
        if (!Files.exists(dir)) {
            spark.read().option("header", true).option("inferSchema", true).csv(iris.data().toString())
                    .repartition(files).write().parquet(dir.toString());
        }
        return dir;
    }

    /** Checks that {@code predictions} holds the iris reference outputs for every id. */
    private void assertIrisOutputs(Dataset<Row> predictions) {
        Map<String, double[]> expected = iris.expectedOutputs();
        List<Row> rows = predictions.collectAsList();
        assertEquals(expected.size(), rows.size());
        for (Row r : rows) {
            String id = String.valueOf(r.get(r.fieldIndex("id")));
            List<Double> got = r.getList(r.fieldIndex("outputs"));
            double[] want = expected.get(id);
            for (int k = 0; k < want.length; k++) {
                assertTrue(close(got.get(k), want[k], REL), "id " + id + " out_" + k + ": " + got.get(k) + " vs " + want[k]);
            }
        }
    }

    private Dataset<Row> predictions(Paths out, LocalDate date) {
        return spark.read().parquet(out.predictions().resolve("run_date=" + date).toString());
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = new ArrayList<>(s.map(p -> p.getFileName().toString()).toList());
            Collections.sort(names);
            return names;
        }
    }

    @Test
    void rerunningADateReplacesThatDateOnlyAndFailedRunsPublishNothing() throws IOException {
        Paths out = new Paths(tmp.resolve("rerun"));
        // Given a job run for day 1 twice, then for day 2
        RunSummary first = run(irisCsv("rerun", DAY_1, out));
        RunSummary second = run(irisCsv("rerun", DAY_1, out));
        List<String> day1Files = listing(out.predictions().resolve("run_date=" + DAY_1));
        RunSummary third = run(irisCsv("rerun", DAY_2, out));

        // Then day 1 has one summary row (the second run's) and one copy of its predictions
        List<Row> summary = spark.read().parquet(out.summary().toString()).where("job_name = 'rerun'")
                .orderBy("run_date").collectAsList();
        assertEquals(2, summary.size());
        assertEquals(java.sql.Date.valueOf(DAY_1), summary.get(0).getDate(summary.get(0).fieldIndex("run_date")));
        assertEquals(second.runId(), summary.get(0).getString(summary.get(0).fieldIndex("run_id")));
        assertEquals(third.runId(), summary.get(1).getString(summary.get(1).fieldIndex("run_id")));
        assertNotEquals(first.runId(), second.runId());
        Dataset<Row> all = spark.read().parquet(out.predictions().toString());
        assertEquals(150, all.where("run_date = DATE'2024-03-01'").count());
        assertEquals(150, all.where("run_date = DATE'2024-03-02'").count());
        // and the day-2 run left day 1's files as they were
        assertEquals(day1Files, listing(out.predictions().resolve("run_date=" + DAY_1)));
        assertEquals(List.of("run_date=" + DAY_1, "run_date=" + DAY_2), listing(out.predictions()));

        // When a run for day 1 quarantines more than allowed
        Fixture dirty = Fixture.load("iris_dirty_rows");
        JobConfig failing = JobTestSupport.config("rerun", DAY_1, irisModel(), JobTestSupport.csvInput(dirty, dirty.data()), out, 0.05);
        QuarantineLimitException e = assertThrows(QuarantineLimitException.class, () -> run(failing));
        assertEquals(151, e.rowsRead());
        assertEquals(30, e.rowsQuarantined());

        // Then day 1's previous outputs are still there, and no staging folder is left
        assertEquals(day1Files, listing(out.predictions().resolve("run_date=" + DAY_1)));
        assertEquals(second.runId(), spark.read().parquet(out.summary().toString())
                .where("job_name = 'rerun' and run_date = DATE'2024-03-01'").first().getAs("run_id"));
        assertEquals(List.of("run_date=" + DAY_1, "run_date=" + DAY_2), listing(out.quarantine()));
        assertEquals(List.of("job_name=rerun"), listing(out.summary()));
    }

    @Test
    void theSameInputInOneThreeOrSixteenPartitionsGivesTheSameMetricsAndOneNetworkBuild() {
        Map<String, Double> reference = null;
        for (int partitions : new int[] {1, 3, 16}) {
            Path input = irisParquet("iris-" + partitions, partitions);
            assertEquals(partitions, spark.read().parquet(input.toString()).rdd().getNumPartitions());
            ExecutorNetworks.clear();
            RunSummary run = run(JobTestSupport.config("parts-" + partitions, DAY_1, irisModel(),
                    JobConfig.InputConfig.parquet(List.of(input.toString()), List.of("label"), List.of("id")),
                    new Paths(tmp.resolve("parts-" + partitions)), 0.0));
            assertEquals(1, ExecutorNetworks.builds(), "network builds in this JVM with " + partitions + " partitions");
            assertEquals(150, run.rowsScored());
            assertTrue(close(run.metrics().get("cross_entropy"), iris.metrics().get("cross_entropy").asDouble(), REL));
            if (reference == null) {
                reference = run.metrics();
            } else {
                for (Map.Entry<String, Double> m : reference.entrySet()) {
                    assertTrue(close(run.metrics().get(m.getKey()), m.getValue(), 1e-12),
                            m.getKey() + " with " + partitions + " partitions: " + run.metrics().get(m.getKey()) + " vs " + m.getValue());
                }
            }
        }
    }

    @Test
    void predictedDoublesAreWrittenWithoutADictionaryAndOtherColumnsWithParquetsDefault() throws IOException {
        // Given the iris rows 10 times over in one file (so that, by Parquet's default, every column
        // would be dictionary-encoded: 150 distinct values in 1,500), scored into Parquet
        Dataset<Row> once = spark.read().parquet(irisParquet("iris-encodings", 1).toString());
        Dataset<Row> tenTimes = once;
        for (int k = 1; k < 10; k++) {
            tenTimes = tenTimes.union(once);
        }
        Path input = tmp.resolve("inputs").resolve("iris-10x");
        tenTimes.coalesce(1).write().parquet(input.toString());
        Paths out = new Paths(tmp.resolve("encodings"));
        run(JobTestSupport.config("encodings", DAY_1, irisModel(),
                JobConfig.InputConfig.parquet(List.of(input.toString()), List.of("label"), List.of("id")), out, 0.0));
        Path file;
        try (Stream<Path> files = Files.list(out.predictions().resolve("run_date=" + DAY_1))) {
            file = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        // Then the footer shows which column chunks use a dictionary
        Map<String, Boolean> dictionary = new HashMap<>();
        try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toString()),
                        new org.apache.hadoop.conf.Configuration()))) {
            for (var block : reader.getFooter().getBlocks()) {
                for (var chunk : block.getColumns()) {
                    dictionary.merge(chunk.getPath().toDotString(),
                            chunk.getEncodings().stream().anyMatch(org.apache.parquet.column.Encoding::usesDictionary), Boolean::logicalOr);
                }
            }
        }
        assertEquals(Map.of("id", true, "predicted_class", true, "predicted_label", true, "outputs.list.element", false,
                "probability.list.element", false, "loss", false), dictionary);
    }

    /** Runs a job that must fail before any Spark task; returns its error. */
    private InputException failsBeforeAnyTask(JobConfig config) {
        TaskCounter counter = new TaskCounter();
        JobTestSupport.drainListeners(spark);
        spark.sparkContext().addSparkListener(counter);
        try {
            InputException e = assertThrows(InputException.class, () -> run(config));
            JobTestSupport.drainListeners(spark);
            assertEquals(0, counter.jobs.get(), "Spark jobs started");
            assertEquals(0, counter.tasks.get(), "Spark tasks started");
            assertFalse(Files.exists(Path.of(config.output().path())), "predictions folder exists");
            assertFalse(Files.exists(Path.of(config.quarantinePath())), "quarantine folder exists");
            return e;
        } finally {
            spark.sparkContext().removeSparkListener(counter);
        }
    }

    @Test
    void aNetworkWhoseInputSizeDoesNotMatchTheColumnsFailsBeforeAnyTask() throws IOException {
        // Given the 4-input iris network without feature names, and an input with 5 feature columns
        Fixture five = Fixture.load("torch_matmul_add_multiclass");
        JobConfig config = JobTestSupport.config("size", DAY_1, unnamedIrisModel(), JobTestSupport.csvInput(five, five.data()),
                new Paths(tmp.resolve("size")), 0.0);
        InputException e = failsBeforeAnyTask(config);
        assertEquals("the network takes 4 inputs and does not name them, but the input has 5 columns besides the"
                + " pass-through, label and segment columns: [x0, x1, x2, x3, x4] (name the feature columns with"
                + " input.features)", e.getMessage());
    }

    @Test
    void aMissingColumnFailsBeforeAnyTaskListingTheColumnsFound() throws IOException {
        Path data = tmp.resolve("missing.csv");
        List<String> lines = new ArrayList<>();
        for (String line : iris.lines("data.csv")) {
            String[] f = line.split(",");
            lines.add(String.join(",", f[0], f[1], f[2], f[3], f[5])); // drops petal_width_cm
        }
        Files.write(data, lines, StandardCharsets.UTF_8);
        JobConfig config = JobTestSupport.config("missing", DAY_1, irisModel(), JobTestSupport.csvInput(iris, data),
                new Paths(tmp.resolve("missing")), 0.0);
        InputException e = failsBeforeAnyTask(config);
        assertEquals("the input has no column 'petal_width_cm' (feature 'petal_width_cm' of the network); columns found:"
                + " [id, sepal_length_cm, sepal_width_cm, petal_length_cm, label]", e.getMessage());
    }

    /**
     * Iris as CSV where the ids of rows 10, 20 and 30 are quoted and hold a line break, and row 40's
     * first feature is "n/a". Single-line reading cuts each of the three records in two: the first
     * half ("10) never closes its quote, the second (x",…) holds a stray quote; both are quarantined
     * and neither is scored. Multi-line reading reads them whole.
     */
    @Test
    void quotedLineBreaksAreReadWholeOnRequestAndNeverScoredInHalves() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(iris.data()));
        Set<String> cut = Set.of("10", "20", "30");
        String badLine = null;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (cut.contains(f[0])) {
                lines.set(i, "\"" + f[0] + "\nx\"" + lines.get(i).substring(f[0].length()));
            } else if (f[0].equals("40")) {
                f[1] = "n/a";
                badLine = String.join(",", f);
                lines.set(i, badLine);
            }
        }
        Path input = tmp.resolve("inputs").resolve("multi-line.csv");
        Files.createDirectories(input.getParent());
        Files.writeString(input, String.join("\n", lines) + "\n");
        JobConfig.InputConfig single = JobTestSupport.csvInput(iris, input);

        // Single-line (the default): 150 records read as 153 rows, the 6 halves quarantined
        Paths out1 = new Paths(tmp.resolve("single-line"));
        RunSummary one = run(JobTestSupport.config("single-line", DAY_1, irisModel(), single, out1, 0.1));
        assertEquals(153, one.rowsRead());
        assertEquals(146, one.rowsScored());
        assertEquals(7, one.rowsQuarantined());
        Dataset<Row> q1 = spark.read().parquet(out1.quarantine().resolve("run_date=" + DAY_1).toString());
        assertEquals(3, q1.where("reason = 'malformed_record'").count());
        assertEquals(3, q1.where("reason = 'stray_quote'").count());
        Row nonNumeric = q1.where("reason = 'non_numeric_feature'").collectAsList().get(0);
        assertEquals(badLine, nonNumeric.getString(nonNumeric.fieldIndex("raw_record")));
        Row stray = q1.where("reason = 'stray_quote'").orderBy("raw_record").collectAsList().get(0);
        assertTrue(stray.getString(stray.fieldIndex("raw_record")).startsWith("\"x\\\"\","),
                stray.getString(stray.fieldIndex("raw_record")));
        Set<String> scoredIds = new HashSet<>(predictions(out1, DAY_1).select("id").as(Encoders.STRING()).collectAsList());
        assertEquals(146, scoredIds.size());
        assertFalse(scoredIds.stream().anyMatch(id -> id.contains("x") || cut.contains(id)), scoredIds.toString());

        // Multi-line: 150 rows, the three quoted ids whole, only row 40 quarantined
        JobConfig.InputConfig multi = new JobConfig.InputConfig(single.paths(), single.format(), true, ",", "\"",
                List.of(), Map.of(), null, single.labelColumns(), single.passThroughColumns(), null, true);
        Paths out2 = new Paths(tmp.resolve("multi-line"));
        RunSummary two = run(JobTestSupport.config("multi-line", DAY_1, irisModel(), multi, out2, 0.1));
        assertEquals(150, two.rowsRead());
        assertEquals(149, two.rowsScored());
        assertEquals(1, two.rowsQuarantined());
        assertEquals(Set.of("10\nx", "20\nx", "30\nx"), new HashSet<>(predictions(out2, DAY_1)
                .where("id LIKE '%x'").select("id").as(Encoders.STRING()).collectAsList()));
    }

    @Test
    void aNonNumericColumnFailsBeforeAnyTask() {
        Path input = tmp.resolve("inputs").resolve("text-column");
        spark.read().option("header", true).option("inferSchema", true).csv(iris.data().toString())
                .withColumn("sepal_width_cm", functions.col("sepal_width_cm").cast("string"))
                .write().parquet(input.toString());
        JobConfig config = JobTestSupport.config("text", DAY_1, irisModel(),
                JobConfig.InputConfig.parquet(List.of(input.toString()), List.of("label"), List.of("id")),
                new Paths(tmp.resolve("text")), 0.0);
        InputException e = failsBeforeAnyTask(config);
        assertEquals("feature column 'sepal_width_cm' (feature 'sepal_width_cm' of the network) is of type string;"
                + " features must be numeric", e.getMessage());
    }

    @Test
    void anInvalidModelFileFailsBeforeAnyTaskNamingThePlace() throws IOException {
        // Given a model file whose "layers" member is misspelt
        String text = Files.readString(irisModel());
        assertTrue(text.contains("\"layers\""));
        Path bad = tmp.resolve("models").resolve("bad.json");
        Files.writeString(bad, text.replace("\"layers\"", "\"layerz\""));
        JobConfig config = JobTestSupport.config("bad", DAY_1, bad, JobTestSupport.csvInput(iris, iris.data()),
                new Paths(tmp.resolve("bad")), 0.0);
        TaskCounter counter = new TaskCounter();
        JobTestSupport.drainListeners(spark);
        spark.sparkContext().addSparkListener(counter);
        try {
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> run(config));
            assertTrue(e.getMessage().startsWith("the model " + bad + " is not a valid network: "), e.getMessage());
            assertTrue(e.getCause() instanceof io.annscore.model.ModelFormatException);
            JobTestSupport.drainListeners(spark);
            assertEquals(0, counter.tasks.get());
            assertFalse(Files.exists(tmp.resolve("bad")));
        } finally {
            spark.sparkContext().removeSparkListener(counter);
        }
    }

    @Test
    void aJobWithoutRunDateReplacesItsPredictionsAndAppendsSummaryRows() {
        Paths out = new Paths(tmp.resolve("undated"));
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        RunSummary first = new ScoringJob(irisCsv("undated", null, out), spark)
                .withConsole(new java.io.PrintStream(console, true, StandardCharsets.UTF_8)).run();
        RunSummary second = run(irisCsv("undated", null, out));
        assertEquals(150, spark.read().parquet(out.predictions().toString()).count());
        assertEquals(0, spark.read().parquet(out.quarantine().toString()).count());
        List<Row> summary = spark.read().parquet(out.summary().toString()).collectAsList();
        assertEquals(2, summary.size());
        assertEquals(java.util.Set.of(first.runId(), second.runId()),
                java.util.Set.of(summary.get(0).<String>getAs("run_id"), summary.get(1).<String>getAs("run_id")));
        // and the run's summary was printed as a table
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("| rows_scored "), printed);
        assertTrue(printed.contains("| " + first.runId() + " "), printed);
        assertTrue(printed.matches("(?s).*\\| rows_read +\\| 150 +\\|.*"), printed);
    }

    @Test
    void rowsWhoseOutputsOverflowAreQuarantinedAndTheMetricsStayDefinedOverTheRest() throws IOException {
        // Given y = a + 2b + 0.5 and ten rows with labels y = 0, of which rows 3 and 7 have finite
        // features whose weighted sum overflows (to +∞ and to −∞)
        Network linear = new Network(io.annscore.network.ModelInfo.named("linear"), InputSpec.named(List.of("a", "b")),
                List.of(new io.annscore.network.Layer(new double[][] {{1, 2}}, new double[] {0.5},
                        io.annscore.network.Summation.WEIGHTED_SUM, io.annscore.network.Activation.IDENTITY, Map.of())),
                io.annscore.network.OutputSpec.of(io.annscore.network.Task.REGRESSION));
        Path model = JobTestSupport.writeModel(linear, tmp.resolve("models").resolve("linear.json"));
        List<String> lines = new ArrayList<>(List.of("id,a,b,y"));
        double sumSquares = 0;
        double sumAbs = 0;
        for (int r = 0; r < 10; r++) {
            String a = r == 3 ? "1e308" : r == 7 ? "-1e308" : Integer.toString(r);
            String b = r == 3 ? "1e308" : r == 7 ? "-1e308" : "1";
            lines.add(r + "," + a + "," + b + ",0");
            if (r != 3 && r != 7) {
                double y = r + 2 + 0.5;
                sumSquares += y * y;
                sumAbs += Math.abs(y);
            }
        }
        Path csv = tmp.resolve("overflow.csv");
        Files.write(csv, lines, StandardCharsets.UTF_8);
        Paths out = new Paths(tmp.resolve("overflow"));
        JobConfig.InputConfig input = JobConfig.InputConfig.csv(List.of(csv.toString()), List.of("y"), List.of("id"));

        // When scored
        RunSummary run = run(JobTestSupport.config("overflow", DAY_1, model, input, out, 0.5));

        // Then the two rows are quarantined, not published, and the metrics are those of the other eight
        assertEquals(10, run.rowsRead());
        assertEquals(8, run.rowsScored());
        assertEquals(Map.of("non_finite_output", 2L), run.quarantinedByReason());
        assertEquals(List.of(0, 1, 2, 4, 5, 6, 8, 9), predictions(out, DAY_1).orderBy("id").collectAsList().stream()
                .map(row -> Integer.parseInt(row.getString(row.fieldIndex("id")))).toList());
        assertTrue(close(run.metrics().get("mse"), sumSquares / 8, 1e-12));
        assertTrue(close(run.metrics().get("mae"), sumAbs / 8, 1e-12));
        assertTrue(close(run.metrics().get("rmse"), Math.sqrt(sumSquares / 8), 1e-12));
        List<Row> quarantined = spark.read().parquet(out.quarantine().resolve("run_date=" + DAY_1).toString())
                .orderBy("id").collectAsList();
        assertEquals(List.of("3|non_finite_output|the network's output is not finite: output 0 = Infinity",
                        "7|non_finite_output|the network's output is not finite: output 0 = -Infinity"),
                quarantined.stream().map(row -> row.getString(row.fieldIndex("id")) + "|" + row.getString(row.fieldIndex("reason"))
                        + "|" + row.getString(row.fieldIndex("detail"))).toList());
        assertTrue(quarantined.get(0).getString(quarantined.get(0).fieldIndex("input_file")).endsWith("overflow.csv"));

        // And from Parquet, the same rows are quarantined with their values as JSON in raw_record
        Path parquet = tmp.resolve("inputs").resolve("overflow");
        spark.read().option("header", true).option("inferSchema", true).csv(csv.toString()).coalesce(1)
                .write().parquet(parquet.toString());
        Paths outParquet = new Paths(tmp.resolve("overflow-parquet"));
        RunSummary fromParquet = run(JobTestSupport.config("overflow", DAY_1, model,
                JobConfig.InputConfig.parquet(List.of(parquet.toString()), List.of("y"), List.of("id")), outParquet, 0.5));
        assertEquals(Map.of("non_finite_output", 2L), fromParquet.quarantinedByReason());
        assertEquals(run.metrics(), fromParquet.metrics());
        assertEquals(List.of("{\"id\":3,\"a\":1.0E308,\"b\":1.0E308}", "{\"id\":7,\"a\":-1.0E308,\"b\":-1.0E308}"),
                spark.read().parquet(outParquet.quarantine().resolve("run_date=" + DAY_1).toString()).orderBy("id")
                        .collectAsList().stream().map(row -> row.getString(row.fieldIndex("raw_record"))).toList());
    }

    @Test
    void aCsvHeaderInAnotherColumnOrderIsReadByName() throws IOException {
        // Given the iris CSV with its columns reversed
        Path data = tmp.resolve("reversed.csv");
        List<String> lines = new ArrayList<>();
        for (String line : iris.lines("data.csv")) {
            List<String> f = new ArrayList<>(List.of(line.split(",")));
            Collections.reverse(f);
            lines.add(String.join(",", f));
        }
        Files.write(data, lines, StandardCharsets.UTF_8);
        Paths out = new Paths(tmp.resolve("reversed"));
        RunSummary run = run(JobTestSupport.config("reversed", DAY_1, irisModel(), JobTestSupport.csvInput(iris, data), out, 0.0));
        assertIrisOutputs(predictions(out, DAY_1));
        assertTrue(close(run.metrics().get("accuracy"), iris.metrics().get("accuracy").asDouble(), REL));
    }

    @Test
    void columnMappingAndUnnamedNetworksFindTheirColumns() throws IOException {
        // Given the iris CSV with the feature columns renamed
        Path data = tmp.resolve("renamed.csv");
        List<String> lines = new ArrayList<>(iris.lines("data.csv"));
        lines.set(0, "id,sl,sw,pl,pw,label");
        Files.write(data, lines, StandardCharsets.UTF_8);
        Map<String, String> mapping = Map.of("sepal_length_cm", "sl", "sepal_width_cm", "sw", "petal_length_cm", "pl",
                "petal_width_cm", "pw");
        JobConfig.InputConfig mapped = new JobConfig.InputConfig(List.of(data.toString()), JobConfig.Format.CSV, true, ",", "\"",
                List.of(), mapping, null, List.of("label"), List.of("id"));
        Paths out = new Paths(tmp.resolve("mapped"));
        run(JobTestSupport.config("mapped", DAY_1, irisModel(), mapped, out, 0.0));
        assertIrisOutputs(predictions(out, DAY_1));

        // and an unnamed network takes every other column, in file order
        Paths out2 = new Paths(tmp.resolve("unnamed"));
        run(JobTestSupport.config("unnamed", DAY_1, unnamedIrisModel(), JobTestSupport.csvInput(iris, data), out2, 0.0));
        assertIrisOutputs(predictions(out2, DAY_1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vec_array", "vec_struct", "vec_udt"})
    void featuresFromOneVectorColumn(String column) {
        // Given the iris features as an array<double>, an MLlib-style struct (dense and sparse rows) and a vector UDT
        Path input = tmp.resolve("inputs").resolve("vectors");
        if (!Files.exists(input)) {
            StructType schema = new StructType()
                    .add("id", DataTypes.StringType)
                    .add("label", DataTypes.StringType)
                    .add("vec_array", DataTypes.createArrayType(DataTypes.DoubleType))
                    .add("vec_struct", MllibStyleVectorUDT.SQL_TYPE)
                    .add("vec_udt", new MllibStyleVectorUDT());
            List<Row> rows = new ArrayList<>();
            List<String> lines = iris.lines("data.csv");
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                double[] x = {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])};
                List<Double> boxed = List.of(x[0], x[1], x[2], x[3]);
                Row struct;
                MllibStyleVectorUDT.Vec vec;
                if (i % 2 == 0) {
                    struct = RowFactory.create((byte) 1, null, null, boxed);
                    vec = new MllibStyleVectorUDT.Vec(4, null, x);
                } else { // sparse, indices in reverse order
                    struct = RowFactory.create((byte) 0, 4, List.of(3, 2, 1, 0), List.of(x[3], x[2], x[1], x[0]));
                    vec = new MllibStyleVectorUDT.Vec(4, new int[] {3, 2, 1, 0}, new double[] {x[3], x[2], x[1], x[0]});
                }
                rows.add(RowFactory.create(f[0], f[5], boxed, struct, vec));
            }
            spark.createDataFrame(rows, schema).write().parquet(input.toString());
        }
        JobConfig.InputConfig in = new JobConfig.InputConfig(List.of(input.toString()), JobConfig.Format.PARQUET, true, ",", "\"",
                List.of(), Map.of(), column, List.of("label"), List.of("id"));
        Paths out = new Paths(tmp.resolve("vector-" + column));
        RunSummary run = run(JobTestSupport.config("vector", DAY_1, irisModel(), in, out, 0.0));
        assertIrisOutputs(predictions(out, DAY_1));
        assertEquals(150, run.rowsScored());
        assertTrue(close(run.metrics().get("cross_entropy"), iris.metrics().get("cross_entropy").asDouble(), REL));
    }

    @Test
    void validateChecksAndParsesASampleWithoutScoringOrWriting() {
        Fixture dirty = Fixture.load("iris_dirty_rows");
        Paths out = new Paths(tmp.resolve("validate"));
        JobConfig config = JobTestSupport.config("validate", DAY_1, irisModel(), JobTestSupport.csvInput(dirty, dirty.data()), out, 0.0);
        ValidationReport report = new ScoringJob(config, spark).validate();
        assertEquals(151, report.sampleRows());
        Map<String, Long> expected = new HashMap<>();
        Map<String, String> codes = Map.of("empty_feature", "missing_feature", "text_feature", "non_numeric_feature",
                "nan_feature", "non_finite_feature", "inf_feature", "non_finite_feature",
                "too_few_fields", "wrong_field_count", "too_many_fields", "wrong_field_count");
        dirty.manifest().get("quarantined_ids").fields().forEachRemaining(
                e -> expected.merge(codes.get(e.getValue().asText()), 1L, Long::sum));
        expected.put("malformed_record", 1L);
        assertEquals(expected, report.sampleQuarantined());
        assertEquals(List.of("id", "sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm", "label"),
                report.inputColumns());
        assertEquals("sepal_width_cm", report.featureSources().get("sepal_width_cm"));
        assertFalse(Files.exists(out.root()));
    }

    @Test
    void segmentsGetTheirOwnSummaryRows() {
        // Given the iris job with the label as segment column
        Paths out = new Paths(tmp.resolve("segments"));
        JobConfig base = irisCsv("segments", DAY_1, out);
        JobConfig config = new JobConfig(base.jobName(), base.runDate(), base.modelPath(), base.input(), base.output(),
                base.quarantinePath(), 0.0, base.summary(), List.of(), List.of("label"));
        RunSummary run = run(config);

        // Then each segment's accuracy and cross-entropy are those of its rows, computed from the reference outputs
        Map<String, double[]> outputs = iris.expectedOutputs();
        Map<String, Integer> classes = iris.expectedClasses();
        Map<String, double[]> bySegment = new HashMap<>(); // label → {rows, correct, Σ −ln p}
        for (String line : iris.lines("data.csv").subList(1, 151)) {
            String[] f = line.split(",");
            int label = Integer.parseInt(f[5]);
            double[] s = bySegment.computeIfAbsent(f[5], k -> new double[3]);
            s[0]++;
            s[1] += classes.get(f[0]) == label ? 1 : 0;
            s[2] += -Math.log(Math.min(Math.max(outputs.get(f[0])[label], 1e-15), 1 - 1e-15));
        }
        List<Row> rows = spark.read().parquet(out.summary().toString()).orderBy(functions.col("segment").asc_nulls_first())
                .collectAsList();
        assertEquals(4, rows.size());
        assertTrue(rows.get(0).isNullAt(rows.get(0).fieldIndex("segment")));
        assertEquals(3, run.segments().size());
        for (int k = 1; k <= 3; k++) {
            Row r = rows.get(k);
            String label = r.getString(r.fieldIndex("label"));
            assertEquals("label=" + label, r.getString(r.fieldIndex("segment")));
            double[] s = bySegment.get(label);
            assertEquals((long) s[0], r.getLong(r.fieldIndex("rows_scored")));
            assertTrue(close(r.getDouble(r.fieldIndex("accuracy")), s[1] / s[0], 1e-12));
            assertTrue(close(r.getDouble(r.fieldIndex("cross_entropy")), s[2] / s[0], REL));
        }
    }

    @Test
    void csvOutputFlattensTheArrays() {
        Paths out = new Paths(tmp.resolve("csv-out"));
        JobConfig base = irisCsv("csvout", DAY_1, out);
        JobConfig config = new JobConfig(base.jobName(), base.runDate(), base.modelPath(), base.input(),
                new JobConfig.OutputConfig(out.predictions().toString(), JobConfig.Format.CSV), base.quarantinePath(), 0.0,
                base.summary(), List.of(), List.of());
        run(config);
        Dataset<Row> csv = spark.read().option("header", true).option("inferSchema", true)
                .csv(out.predictions().resolve("run_date=" + DAY_1).toString());
        assertEquals(List.of("id", "outputs_0", "outputs_1", "outputs_2", "probability_0", "probability_1", "probability_2",
                "predicted_class", "predicted_label", "loss"), List.of(csv.columns()));
        Map<String, double[]> expected = iris.expectedOutputs();
        for (Row r : csv.collectAsList()) {
            double[] want = expected.get(String.valueOf(r.get(0)));
            for (int k = 0; k < 3; k++) {
                assertTrue(close(r.getDouble(1 + k), want[k], REL));
                assertEquals(r.getDouble(1 + k), r.getDouble(4 + k));
            }
        }
        assertEquals(150, csv.count());
    }

    @Test
    void aTableWiderThanTheCodegenLimitIsScoredAndTheSessionSettingIsPutBack() {
        // 120 features (more than spark.sql.codegen.maxFields = 100); the network sums them.
        int width = 120;
        List<String> names = new ArrayList<>();
        double[][] weights = new double[1][width];
        StructType schema = new StructType().add("id", DataTypes.LongType);
        for (int i = 0; i < width; i++) {
            names.add("f" + i);
            weights[0][i] = 1;
            schema = schema.add("f" + i, DataTypes.DoubleType);
        }
        List<Row> rows = new ArrayList<>();
        for (long id = 0; id < 3; id++) {
            Object[] v = new Object[width + 1];
            v[0] = id;
            for (int i = 0; i < width; i++) {
                v[i + 1] = id == 2 && i == 7 ? null : id + i / 4.0; // row 2 lacks f7
            }
            rows.add(RowFactory.create(v));
        }
        Path input = tmp.resolve("inputs").resolve("wide");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(input.toString());
        Network sum = new Network(io.annscore.network.ModelInfo.named("wide-sum"), InputSpec.named(names),
                List.of(new io.annscore.network.Layer(weights, new double[] {0}, io.annscore.network.Summation.WEIGHTED_SUM,
                        io.annscore.network.Activation.IDENTITY, Map.of())),
                io.annscore.network.OutputSpec.of(io.annscore.network.Task.REGRESSION));
        Path model = JobTestSupport.writeModel(sum, tmp.resolve("models").resolve("wide-sum.json"));
        scala.Option<String> before = spark.conf().getOption("spark.sql.codegen.maxFields");
        // Lowered to 8000 for the scoring pass's planning only: unset again afterwards.
        scala.Option<String> hugeBefore = spark.conf().getAll().get("spark.sql.codegen.hugeMethodLimit");
        Paths out = new Paths(tmp.resolve("wide"));
        RunSummary run = run(JobTestSupport.config("wide", DAY_1, model,
                JobConfig.InputConfig.parquet(List.of(input.toString()), List.of(), List.of("id")), out, 0.5));

        assertEquals(before, spark.conf().getOption("spark.sql.codegen.maxFields"));
        assertEquals(scala.Option.empty(), hugeBefore);
        assertEquals(hugeBefore, spark.conf().getAll().get("spark.sql.codegen.hugeMethodLimit"));
        assertEquals(3, run.rowsRead());
        assertEquals(2, run.rowsScored());
        assertEquals(Map.of("missing_feature", 1L), run.quarantinedByReason());
        // row id: Σ (id + i/4) = 120·id + (0 + … + 119)/4 = 120·id + 1785
        Map<Long, Double> predictions = new HashMap<>();
        for (Row r : spark.read().parquet(out.predictions().resolve("run_date=" + DAY_1).toString()).collectAsList()) {
            predictions.put(r.getLong(r.fieldIndex("id")), r.getDouble(r.fieldIndex("prediction")));
        }
        assertEquals(Map.of(0L, 1785.0, 1L, 1905.0), predictions);
        List<Row> quarantined = spark.read().parquet(out.quarantine().resolve("run_date=" + DAY_1).toString()).collectAsList();
        assertEquals(1, quarantined.size());
        assertEquals(2L, quarantined.get(0).getLong(quarantined.get(0).fieldIndex("id")));
    }

    @Test
    void theSummaryCanBeATableInTheCatalog() {
        Paths out = new Paths(tmp.resolve("table"));
        JobConfig base = irisCsv("tabled", DAY_1, out);
        for (LocalDate date : List.of(DAY_1, DAY_1, DAY_2)) {
            JobConfig config = new JobConfig(base.jobName(), date, base.modelPath(), base.input(), base.output(),
                    base.quarantinePath(), 0.0, new JobConfig.SummaryConfig(null, "annscore_summary"), List.of(), List.of());
            run(config);
        }
        List<Row> rows = spark.table("annscore_summary").where("job_name = 'tabled'").orderBy("run_date").collectAsList();
        assertEquals(2, rows.size());
        assertEquals(150L, (long) rows.get(0).getAs("rows_scored"));
        assertEquals(java.sql.Date.valueOf(DAY_2), rows.get(1).getAs("run_date"));
    }
}
