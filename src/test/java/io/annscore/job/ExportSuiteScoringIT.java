package io.annscore.job;

import static io.annscore.testing.JobTestSupport.DAY_1;
import static io.annscore.testing.JobTestSupport.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.cli.ExitCode;
import io.annscore.importers.ModelLoadException;
import io.annscore.importers.OnnxImporter;
import io.annscore.job.summary.RunSummary;
import io.annscore.model.ModelFile;
import io.annscore.network.OutputValues;
import io.annscore.network.Task;
import io.annscore.testing.ExportSuite;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.LocalSpark;
import io.annscore.testing.JobTestSupport.Paths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real PyTorch exports of the suite ({@link ExportSuite}) scored by the job: ONNX files as they
 * are, and some imported into our format first. The predictions' probabilities (classifiers) or
 * outputs (regression) equal PyTorch's float64 ones to 1e-9, and the summary's metrics equal
 * scikit-learn's to 1e-9 relative.
 */
@LocalSpark.Session(master = "local[2]")
class ExportSuiteScoringIT {
    @TempDir
    static Path tmp;
    private SparkSession spark;

    /**
     * One export per way the job's path can differ: declared logits (binary and multiclass),
     * log-probabilities, a folded BatchNorm, LayerNorm in both forms, a rank-3 input, an
     * element-wise region, standardization in the graph, several outputs, float64 weights.
     * OnnxExportSuiteTest scores every export of the suite outside Spark; all of them here would
     * add some three minutes to a suite that must stay under fifteen.
     */
    static Stream<ExportSuite.Export> exports() {
        return Stream.of(ExportSuite.get("logits_multiclass", 13), ExportSuite.get("logits_binary", 13),
                ExportSuite.get("log_softmax_multiclass", 13), ExportSuite.get("batchnorm_binary", 13),
                ExportSuite.get("layernorm_multiclass", 13), ExportSuite.get("layernorm_multiclass", 17),
                ExportSuite.get("flatten_3d", 13), ExportSuite.get("gelu_regression", 13),
                ExportSuite.get("hardswish_regression", 13), ExportSuite.get("standardize_in_forward", 13),
                ExportSuite.get("multi_output_regression", 13), ExportSuite.get("float64_multiclass", 13));
    }

    /** Imported into our format first: the version-2 fields and the flattened input through a file. */
    static Stream<ExportSuite.Export> imported() {
        return Stream.of(ExportSuite.get("logits_multiclass", 13), ExportSuite.get("layernorm_multiclass", 17),
                ExportSuite.get("flatten_3d", 13));
    }

    private static JobConfig config(ExportSuite.Export e, Path model, Paths out, Task task, OutputValues outputs) {
        JobConfig base = JobTestSupport.config(e.caseName(), DAY_1, model,
                new JobConfig.InputConfig(List.of(e.data().toString()), JobConfig.Format.CSV, true, ",", "\"",
                        e.features(), Map.of(), null, e.labels(), List.of("id")), out, 0.0);
        return new JobConfig(base.jobName(), base.runDate(), base.modelPath(), base.input(), base.output(),
                base.quarantinePath(), base.maxQuarantineFraction(), base.summary(), base.metrics(),
                base.segmentColumns(), base.metricThresholds(), base.topK(), task, outputs, base.lock(), base.formats(),
                base.precision(), base.monitoring());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exports")
    void theJobScoresTheOnnxFileAsPyTorch(ExportSuite.Export e) throws Exception {
        boolean logits = e.outputs() == OutputValues.LOGITS;
        Paths out = new Paths(tmp.resolve("onnx-" + e.caseName() + "-" + e.opset()));
        RunSummary run = new ScoringJob(config(e, e.onnx(), out, logits ? e.task() : null,
                logits ? OutputValues.LOGITS : null), spark).withConsole(QUIET).run();
        check(e, out, run);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("imported")
    void theJobScoresTheImportedModelFileAsPyTorch(ExportSuite.Export e) throws Exception {
        Path model = tmp.resolve("imported-" + e.caseName() + ".json");
        Files.write(model, ModelFile.write(OnnxImporter.read(e.onnx(), e.options())));
        Paths out = new Paths(tmp.resolve("json-" + e.caseName() + "-" + e.opset()));
        RunSummary run = new ScoringJob(config(e, model, out, null, null), spark).withConsole(QUIET).run();
        check(e, out, run);
    }

    @Test
    void aLogitsClassifierDeclaredOnlyByItsTaskIsRefusedBeforeAnyRowIsRead() {
        ExportSuite.Export e = ExportSuite.get("logits_multiclass", 13);
        Paths out = new Paths(tmp.resolve("refused"));
        ModelLoadException refused = assertThrows(ModelLoadException.class, () -> new ScoringJob(
                config(e, e.onnx(), out, Task.MULTICLASS, null), spark).withConsole(QUIET).run());
        assertEquals(3, ExitCode.classify(refused).code().code());
        String m = refused.getMessage();
        assertTrue(m.contains("does not produce probabilities") && m.contains("--outputs") && m.contains("model.outputs")
                && !m.contains("\n"), m);
        assertTrue(!Files.exists(out.predictions()) && !Files.exists(out.summary()), "nothing written");
    }

    @Test
    void aModelFileMayNotBeContradictedByTheJob() throws Exception {
        ExportSuite.Export e = ExportSuite.get("logits_multiclass", 13);
        Path model = tmp.resolve("contradicted.json");
        Files.write(model, ModelFile.write(OnnxImporter.read(e.onnx(), e.options())));
        ModelLoadException refused = assertThrows(ModelLoadException.class, () -> new ScoringJob(
                config(e, model, new Paths(tmp.resolve("contradicted")), null, OutputValues.PROBABILITIES), spark)
                .withConsole(QUIET).run());
        assertTrue(refused.getMessage().contains("says its outputs are logits, but model.outputs (--outputs) says"
                + " probabilities"), refused.getMessage());
    }

    private void check(ExportSuite.Export e, Paths out, RunSummary run) throws Exception {
        double[][] want = e.expected();
        assertEquals(want.length, run.rowsScored());
        assertEquals(0, run.rowsQuarantined());
        Map<String, double[]> expectedById = new HashMap<>();
        for (int r = 0; r < want.length; r++) {
            expectedById.put(Integer.toString(r + 1), want[r]);
        }
        List<Row> rows = spark.read().parquet(out.predictions().resolve("run_date=" + DAY_1).toString()).collectAsList();
        assertEquals(want.length, rows.size());
        for (Row row : rows) {
            String id = String.valueOf(row.get(row.fieldIndex("id")));
            double[] w = expectedById.get(id);
            assertNotNull(w, id);
            double[] got = JobTestSupport.scores(row);
            assertEquals(w.length, got.length);
            for (int j = 0; j < w.length; j++) {
                assertEquals(w[j], got[j], 1e-9 * Math.max(1, Math.abs(w[j])), e + " id " + id + " output " + j);
            }
        }
        for (String id : e.metricIds()) {
            double sklearn = e.metric(id);
            Double got = run.metrics().get(id);
            assertNotNull(got, id + " in " + run.metrics());
            assertEquals(sklearn, got, 1e-9 * Math.abs(sklearn), e + ": " + id);
        }
    }
}
