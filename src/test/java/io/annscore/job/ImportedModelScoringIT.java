package io.annscore.job;

import static io.annscore.testing.JobTestSupport.DAY_1;
import static io.annscore.testing.JobTestSupport.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.annscore.importers.ImportException;
import io.annscore.importers.ModelLoadException;
import io.annscore.job.summary.RunSummary;
import io.annscore.job.summary.SummaryTable;
import io.annscore.testing.JobTestSupport.Fixture;
import io.annscore.testing.JobTestSupport.Paths;
import io.annscore.testing.JobTestSupport.TaskCounter;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.LocalSpark;
import io.annscore.testing.ModelDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models that were not written by annscore, given to the job as they come from training: the
 * fixtures' ONNX exports (float32; Gemm and MatMul+Add layers, with and without standardization)
 * and the iris network saved by Spark MLlib. The expected values are the fixtures' (scikit-learn,
 * PyTorch, numpy, MLlib), never the job's own.
 */
@LocalSpark.Session(master = "local[2]")
class ImportedModelScoringIT {
    /** Outputs: the relative slack on top of each case's stated float32 error. */
    private static final double OUTPUT_REL = 1e-5;
    /** Metrics of the float32 ONNX networks against the float64 references. */
    private static final double ONNX_METRIC_REL = 1e-4;
    /** The MLlib model holds float64 weights: the job must match MLlib's own outputs and metrics. */
    private static final double MLLIB_REL = 1e-9;

    @TempDir
    static Path tmp;
    private SparkSession spark;

    static Stream<String> onnxCases() {
        return Stream.of("iris_relu_multiclass", "breast_cancer_logistic_binary", "diabetes_tanh_regression",
                "torch_mixed_activations_regression", "torch_matmul_add_multiclass", "iris_dirty_rows",
                "diabetes_dirty_rows");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("onnxCases")
    void anOnnxFileIsScoredAsTheReferenceNetwork(String caseName) throws IOException {
        // Given the case's ONNX export, under a name that does not say ONNX (the kind is read from the content)
        Fixture f = Fixture.load(caseName);
        Path onnx = f.dir().resolve("model.onnx");
        Path model = Files.copy(onnx, Files.createDirectories(tmp.resolve("onnx")).resolve(caseName));
        boolean dirty = caseName.endsWith("_dirty_rows");
        Paths out = new Paths(tmp.resolve("onnx-run-" + caseName));

        // When the job scores the CSV with it
        RunSummary run = new ScoringJob(JobTestSupport.config(caseName, DAY_1, model, csvWithFeatures(f), out,
                dirty ? 1.0 : 0.0), spark).withConsole(QUIET).run();

        // Then the model's identity is the ONNX file's SHA-256, and it is named after the file
        assertEquals(JobTestSupport.sha256(onnx), run.modelSha256());
        assertEquals(caseName, run.modelName());
        // and the counts are the reference's
        JsonNode metrics;
        if (dirty) {
            metrics = f.manifest().get("metrics");
            assertEquals(metrics.get("rows_in_file").asLong(), run.rowsRead());
            assertEquals(metrics.get("rows_scored").asLong(), run.rowsScored());
            assertEquals(metrics.get("rows_quarantined").asLong(), run.rowsQuarantined());
            assertEquals(metrics.get("rows_scored_without_label").asLong(), run.rowsUnlabeled());
        } else {
            metrics = f.metrics();
            assertEquals(metrics.get("rows").asLong(), run.rowsRead());
            assertEquals(metrics.get("rows").asLong(), run.rowsScored());
            assertEquals(0, run.rowsQuarantined());
        }
        // and every scored row's outputs are the reference's within the float32 error the case states
        double float32Error = f.caseJson().get("float32_max_abs_error_vs_reference").asDouble();
        checkPredictions(f, "expected.csv", out, OUTPUT_REL, float32Error);
        // and the metrics are the reference's
        checkMetrics(metrics, summaryRow(out, caseName), run, ONNX_METRIC_REL);
    }

    @Test
    void anOnnxFileWithUnnamedInputsReadsTheColumnsX0ToXnAsImportNamesThem() throws IOException {
        // Given an ONNX export that does not name its inputs, a job that names no feature columns,
        // and a CSV whose feature columns are x0..x4 (the names import gives such inputs)
        Fixture f = Fixture.load("torch_matmul_add_multiclass");
        Paths out = new Paths(tmp.resolve("onnx-unnamed"));

        // When the job scores it
        RunSummary run = new ScoringJob(JobTestSupport.config("unnamed", DAY_1, f.dir().resolve("model.onnx"),
                JobTestSupport.csvInput(f, f.data()), out, 0.0), spark).withConsole(QUIET).run();

        // Then the columns x0..x4 feed the network
        assertEquals(f.metrics().get("rows").asLong(), run.rowsScored());
        double float32Error = f.caseJson().get("float32_max_abs_error_vs_reference").asDouble();
        checkPredictions(f, "expected.csv", out, OUTPUT_REL, float32Error);
    }

    @Test
    void anOnnxFileWithUnnamedInputsIsNotReadByColumnPosition() {
        // Given the breast cancer export, whose inputs are unnamed, and a CSV whose columns have other names
        Fixture f = Fixture.load("breast_cancer_logistic_binary");
        Paths out = new Paths(tmp.resolve("onnx-unnamed-refused"));

        // When the job names no feature columns, it refuses before scoring: no column order is guessed
        InputException e = assertThrows(InputException.class, () -> new ScoringJob(JobTestSupport.config(
                "unnamed-refused", DAY_1, f.dir().resolve("model.onnx"), JobTestSupport.csvInput(f, f.data()), out,
                0.0), spark).withConsole(QUIET).run());
        assertTrue(e.getMessage().contains("x0"), e.getMessage());
    }

    @Test
    void anMllibModelWithoutFeatureColumnsSaysHowToNameThem() {
        // Given MLlib's iris network, whose inputs have no names, and a job that names no feature columns
        Fixture f = Fixture.load("iris_relu_multiclass");
        JobConfig config = JobTestSupport.config("iris-mllib-unnamed", DAY_1, f.dir().resolve("mllib_model"),
                JobTestSupport.csvInput(f, f.data()), new Paths(tmp.resolve("mllib-unnamed")), 0.0);

        // When it runs, it stops before any task, and the line says which key and flag name the columns
        InputException e = assertThrows(InputException.class, () -> new ScoringJob(config, spark).withConsole(QUIET).run());
        assertTrue(e.getMessage().startsWith("the input has no column 'x0' (feature 'x0' of the network, a name made up at"
                + " import because the model names none of its inputs: give the columns in the network's input order"
                + " with input.features (--features a,b,…)); columns found: [id, "), e.getMessage());
    }

    @Test
    void anMllibModelDirectoryIsScoredAsMllibScoresIt() throws Exception {
        // Given the iris network saved by Spark MLlib (its inputs are unnamed: the job's features name them)
        Fixture f = Fixture.load("iris_relu_multiclass");
        Path mllib = f.dir().resolve("mllib_model");
        Paths out = new Paths(tmp.resolve("mllib-run"));

        // When the job scores the CSV with the directory
        RunSummary run = new ScoringJob(JobTestSupport.config("iris-mllib", DAY_1, mllib, csvWithFeatures(f), out, 0.0),
                spark).withConsole(QUIET).run();

        // Then the identity is the hash of the directory's data files (the importer's documented digest)
        assertEquals(ModelDigests.mllibDirectory(mllib), run.modelSha256());
        assertEquals("mllib_model", run.modelName());
        assertEquals(150, run.rowsScored());
        assertEquals(0, run.rowsQuarantined());
        // and outputs, classes and metrics are MLlib's
        checkPredictions(f, "mllib_expected.csv", out, MLLIB_REL, 0.0);
        JsonNode metrics = JobTestSupport.JSON.readTree(f.dir().resolve("mllib_metrics.json").toFile());
        assertEquals(150, metrics.get("rows").asLong());
        int compared = checkMetrics(metrics, summaryRow(out, "iris-mllib"), run, MLLIB_REL);
        assertEquals(2, compared, "cross_entropy and accuracy");
    }

    @Test
    void aPathThatIsNoModelFailsBeforeAnyTaskNamingIt() throws IOException {
        Fixture f = Fixture.load("iris_relu_multiclass");
        Path text = Files.writeString(tmp.resolve("notes.txt"), "weights: see the attached spreadsheet\n");
        Path folder = Files.createDirectories(tmp.resolve("not-a-model").resolve("data"));
        TaskCounter counter = new TaskCounter();
        JobTestSupport.drainListeners(spark);
        spark.sparkContext().addSparkListener(counter);
        try {
            // A text file: neither our JSON, nor ONNX
            Paths out = new Paths(tmp.resolve("text-run"));
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> new ScoringJob(
                    JobTestSupport.config("text", DAY_1, text, csvWithFeatures(f), out, 0.0), spark).run());
            assertTrue(e.getMessage().startsWith("the model " + text + " is not a model annscore reads"), e.getMessage());
            assertTrue(e.getCause() instanceof ImportException, String.valueOf(e.getCause()));
            assertFalse(Files.exists(out.root()));

            // A directory without metadata/: not an MLlib model
            Paths out2 = new Paths(tmp.resolve("folder-run"));
            e = assertThrows(ModelLoadException.class, () -> new ScoringJob(
                    JobTestSupport.config("folder", DAY_1, folder.getParent(), csvWithFeatures(f), out2, 0.0), spark).run());
            assertTrue(e.getMessage().startsWith("the model " + folder.getParent() + " is a directory without a metadata/"),
                    e.getMessage());
            assertFalse(Files.exists(out2.root()));

            JobTestSupport.drainListeners(spark);
            assertEquals(0, counter.tasks.get(), "tasks started");
        } finally {
            spark.sparkContext().removeSparkListener(counter);
        }
    }

    /** The case's CSV, its features named by the job (imported models may not name their inputs). */
    private static JobConfig.InputConfig csvWithFeatures(Fixture f) {
        return new JobConfig.InputConfig(List.of(f.data().toString()), JobConfig.Format.CSV, true, ",", "\"",
                f.features(), Map.of(), null, f.labels(), List.of("id"));
    }

    /**
     * The predictions hold exactly the ids of {@code expectedFile}, each with outputs within
     * {@code rel}·|expected| + {@code abs} and, for classifiers, the expected class.
     */
    private void checkPredictions(Fixture f, String expectedFile, Paths out, double rel, double abs) {
        List<String> lines = f.lines(expectedFile);
        List<String> header = List.of(lines.get(0).split(","));
        int outputs = (int) header.stream().filter(h -> h.startsWith("out_")).count();
        int classColumn = header.indexOf("predicted_class");
        Map<String, String[]> expected = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            expected.put(fields[0], fields);
        }
        List<Row> rows = spark.read().parquet(out.predictions().resolve("run_date=" + DAY_1).toString()).collectAsList();
        assertEquals(expected.size(), rows.size());
        Set<String> seen = new HashSet<>();
        for (Row r : rows) {
            String id = String.valueOf(r.get(r.fieldIndex("id")));
            assertTrue(seen.add(id), "id " + id + " twice");
            String[] want = expected.get(id);
            assertNotNull(want, "unexpected id " + id);
            List<Double> got = r.getList(r.fieldIndex("outputs"));
            assertEquals(outputs, got.size());
            for (int k = 0; k < outputs; k++) {
                double w = Double.parseDouble(want[1 + k]);
                assertTrue(Math.abs(got.get(k) - w) <= rel * Math.abs(w) + abs,
                        f.name() + " id " + id + " out_" + k + ": " + got.get(k) + " vs " + w);
            }
            if (classColumn >= 0) {
                assertEquals(Integer.parseInt(want[classColumn]), r.getInt(r.fieldIndex("predicted_class")),
                        f.name() + " class of id " + id);
            }
        }
    }

    private Row summaryRow(Paths out, String job) {
        List<Row> rows = spark.read().parquet(out.summary().toString()).where("job_name = '" + job + "'").collectAsList();
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    /** Every metric the reference states and the summary table has; returns how many were compared. */
    private static int checkMetrics(JsonNode reference, Row summary, RunSummary run, double rel) {
        int compared = 0;
        for (String metric : SummaryTable.METRIC_COLUMNS) {
            JsonNode want = reference.get(metric);
            if (want == null) {
                continue;
            }
            compared++;
            double got = summary.getDouble(summary.fieldIndex(metric));
            assertTrue(JobTestSupport.close(got, want.asDouble(), rel), metric + ": " + got + " vs " + want.asDouble());
            assertEquals(got, run.metrics().get(metric), metric + " in the run summary");
        }
        assertTrue(compared > 0, "no metric compared");
        return compared;
    }
}
