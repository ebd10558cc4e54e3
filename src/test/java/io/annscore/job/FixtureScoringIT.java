package io.annscore.job;

import static io.annscore.testing.JobTestSupport.DAY_1;
import static io.annscore.testing.JobTestSupport.QUIET;
import static io.annscore.testing.JobTestSupport.close;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.annscore.job.commit.Publisher;
import io.annscore.job.summary.RunSummary;
import io.annscore.job.summary.SummaryTable;
import io.annscore.testing.JobTestSupport.Fixture;
import io.annscore.testing.JobTestSupport.Paths;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every oracle case end to end: the clean ones as CSV and as Parquet, the dirty ones as CSV. The
 * expected values are the fixtures' (scikit-learn / PyTorch / numpy), never the job's own.
 */
@LocalSpark.Session(master = "local[2]")
class FixtureScoringIT {
    private static final double REL = 1e-9;

    @TempDir
    static Path tmp;
    private SparkSession spark;

    static Stream<Arguments> cleanCases() {
        return Stream.of("iris_relu_multiclass", "breast_cancer_logistic_binary", "diabetes_tanh_regression",
                        "torch_mixed_activations_regression", "torch_matmul_add_multiclass")
                .flatMap(c -> Stream.of(Arguments.of(c, JobConfig.Format.CSV), Arguments.of(c, JobConfig.Format.PARQUET)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cleanCases")
    void cleanCaseMatchesTheOracle(String caseName, JobConfig.Format format) {
        // Given a clean case, read as CSV or as Parquet written from the same CSV
        Fixture f = Fixture.load(caseName);
        Path work = tmp.resolve(caseName + "-" + format);
        JobConfig.InputConfig input;
        if (format == JobConfig.Format.CSV) {
            input = JobTestSupport.csvInput(f, f.data());
        } else {
            Path parquet = work.resolve("input");
            spark.read().option("header", true).option("inferSchema", true).csv(f.data().toString())
                    .write().parquet(parquet.toString());
            input = JobConfig.InputConfig.parquet(List.of(parquet.toString()), f.labels(), List.of("id"));
        }
        Paths out = new Paths(work);
        Path model = JobTestSupport.modelFile(f, tmp);

        // When the job scores it
        RunSummary run = new ScoringJob(JobTestSupport.config(caseName, DAY_1, model, input, out, 0.0), spark)
                .withConsole(QUIET).run();

        // Then every row's outputs match the reference, and the metrics match metrics.json
        JsonNode metrics = f.metrics();
        long rows = metrics.get("rows").asLong();
        assertEquals(rows, run.rowsRead());
        assertEquals(rows, run.rowsScored());
        assertEquals(0, run.rowsQuarantined());
        assertEquals(0, run.rowsUnlabeled());
        assertEquals(JobTestSupport.sha256(model), run.modelSha256());
        assertEquals(caseName, run.modelName());
        checkPredictions(f, out.predictions().resolve("run_date=" + DAY_1), f.expectedOutputs().keySet());
        Row summary = onlySummaryRow(out, caseName);
        checkSummaryMetrics(metrics, summary, run);
        assertEquals(rows, summary.getLong(summary.fieldIndex("rows_read")));
        assertEquals(0L, spark.read().parquet(out.quarantine().resolve("run_date=" + DAY_1).toString()).count());
        assertFalse(Files.exists(out.predictions().resolve(Publisher.STAGING)), "staging left behind");
    }

    @ParameterizedTest
    @ValueSource(strings = {"iris_dirty_rows", "diabetes_dirty_rows"})
    void dirtyRowsAreQuarantinedOrLeftOutOfTheMetricsAsTheManifestSays(String caseName) {
        // Given a case with corrupted rows
        Fixture f = Fixture.load(caseName);
        JsonNode manifest = f.manifest();
        Paths out = new Paths(tmp.resolve(caseName));

        // When the job scores it (allowing any share of quarantined rows)
        RunSummary run = new ScoringJob(JobTestSupport.config(caseName, DAY_1, JobTestSupport.modelFile(f, tmp),
                JobTestSupport.csvInput(f, f.data()), out, 1.0), spark).withConsole(QUIET).run();

        // Then the quarantine holds exactly the manifest's ids, with the mapped reason codes
        Map<String, String> codes = Map.of("empty_feature", "missing_feature", "text_feature", "non_numeric_feature",
                "nan_feature", "non_finite_feature", "inf_feature", "non_finite_feature",
                "too_few_fields", "wrong_field_count", "too_many_fields", "wrong_field_count");
        Map<String, String> expected = new HashMap<>();
        manifest.get("quarantined_ids").fields().forEachRemaining(e -> expected.put(e.getKey(), codes.get(e.getValue().asText())));
        List<Row> quarantined = spark.read().parquet(out.quarantine().resolve("run_date=" + DAY_1).toString()).collectAsList();
        Map<String, String> found = new HashMap<>();
        List<String> malformed = new java.util.ArrayList<>();
        for (Row r : quarantined) {
            String reason = r.getString(r.fieldIndex("reason"));
            assertTrue(r.getString(r.fieldIndex("input_file")).endsWith("data.csv"), "input file of " + r);
            if (reason.equals("malformed_record")) {
                assertNull(r.get(r.fieldIndex("id")));
                malformed.add(r.getString(r.fieldIndex("raw_record")));
            } else {
                assertNull(found.put(r.getString(r.fieldIndex("id")), reason), "id quarantined twice");
            }
        }
        assertEquals(expected, found);
        assertEquals(JobTestSupport.texts(manifest.get("unparseable_lines")), malformed);

        // and the scored rows without a usable label are exactly the manifest's
        List<Row> predictions = spark.read().parquet(out.predictions().resolve("run_date=" + DAY_1).toString()).collectAsList();
        Set<String> unlabeled = new HashSet<>();
        for (Row r : predictions) {
            if (r.isNullAt(r.fieldIndex("loss"))) {
                unlabeled.add(r.getString(r.fieldIndex("id")));
            }
        }
        assertEquals(new HashSet<>(JobTestSupport.texts(manifest.get("scored_without_label_ids"))), unlabeled);

        // and the counts add up, the scored rows' outputs and the metrics match the manifest's
        JsonNode m = manifest.get("metrics");
        assertEquals(m.get("rows_in_file").asLong(), run.rowsRead());
        assertEquals(m.get("rows_scored").asLong(), run.rowsScored());
        assertEquals(m.get("rows_quarantined").asLong(), run.rowsQuarantined());
        assertEquals(m.get("rows_scored_without_label").asLong(), run.rowsUnlabeled());
        assertEquals(run.rowsRead(), run.rowsScored() + run.rowsQuarantined());
        checkPredictions(f, out.predictions().resolve("run_date=" + DAY_1), f.expectedOutputs().keySet());
        checkSummaryMetrics(m, onlySummaryRow(out, caseName), run);
    }

    /** The predictions hold exactly the expected ids, with the reference outputs and classes. */
    private void checkPredictions(Fixture f, Path predictions, Set<String> ids) {
        Map<String, double[]> expected = f.expectedOutputs();
        Map<String, Integer> classes = f.task().equals("regression") ? Map.of() : f.expectedClasses();
        List<String> classNames = classNames(f);
        boolean hasClassNames = !classNames.isEmpty();
        List<Row> rows = spark.read().parquet(predictions.toString()).collectAsList();
        assertEquals(ids.size(), rows.size());
        Set<String> seen = new HashSet<>();
        for (Row r : rows) {
            String id = String.valueOf(r.get(r.fieldIndex("id")));
            assertTrue(seen.add(id), "id " + id + " twice");
            double[] want = expected.get(id);
            assertNotNull(want, "unexpected id " + id);
            List<Double> outputs = r.getList(r.fieldIndex("outputs"));
            assertEquals(want.length, outputs.size());
            for (int k = 0; k < want.length; k++) {
                assertTrue(close(outputs.get(k), want[k], REL), "id " + id + " out_" + k + ": " + outputs.get(k) + " vs " + want[k]);
            }
            switch (f.task()) {
                case "regression" -> assertEquals(outputs.get(0), r.getDouble(r.fieldIndex("prediction")));
                case "binary" -> {
                    assertEquals(outputs.get(0), r.getDouble(r.fieldIndex("probability")));
                    assertEquals(classes.get(id), r.getInt(r.fieldIndex("predicted_class")), "class of id " + id);
                }
                default -> {
                    assertEquals(outputs, r.getList(r.fieldIndex("probability")));
                    assertEquals(classes.get(id), r.getInt(r.fieldIndex("predicted_class")), "class of id " + id);
                    if (hasClassNames) {
                        assertEquals(classNames.get(classes.get(id)), r.getString(r.fieldIndex("predicted_label")));
                    } else {
                        assertFalse(List.of(r.schema().fieldNames()).contains("predicted_label"));
                    }
                }
            }
        }
    }

    private static List<String> classNames(Fixture f) {
        try {
            JsonNode names = JobTestSupport.JSON.readTree(f.model().toFile()).get("class_names");
            return names == null ? List.of() : JobTestSupport.texts(names);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Row onlySummaryRow(Paths out, String job) {
        List<Row> rows = spark.read().parquet(out.summary().toString()).where("job_name = '" + job + "'").collectAsList();
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    /** Every metric the reference states and the summary table has, in the summary row and the run. */
    private static void checkSummaryMetrics(JsonNode reference, Row summary, RunSummary run) {
        int compared = 0;
        for (String metric : SummaryTable.METRIC_COLUMNS) {
            JsonNode want = reference.get(metric);
            if (want == null) {
                continue;
            }
            compared++;
            double got = summary.getDouble(summary.fieldIndex(metric));
            assertTrue(close(got, want.asDouble(), REL), metric + ": " + got + " vs " + want.asDouble());
            assertEquals(got, run.metrics().get(metric), metric + " in the run summary");
        }
        assertTrue(compared > 0, "no metric compared");
    }
}
