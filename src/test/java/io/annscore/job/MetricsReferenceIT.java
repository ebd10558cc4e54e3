package io.annscore.job;

import static io.annscore.testing.JobTestSupport.DAY_1;
import static io.annscore.testing.JobTestSupport.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.annscore.job.summary.RunSummary;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.LocalSpark;
import io.annscore.testing.JobTestSupport.Fixture;
import io.annscore.testing.JobTestSupport.Paths;
import io.annscore.metrics.Metric;
import io.annscore.metrics.MetricsReference;
import io.annscore.network.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The summary table of a real run against scikit-learn's values ({@code src/test/python/metrics_reference.py}):
 * each clean fixture scored by the job, unweighted and with an {@code input.weight} column, read back
 * from the Parquet summary. The rows the reference weighs 0 get a missing, negative or NaN weight
 * here instead: they must be scored, counted in rows_bad_weight and left out, which changes nothing.
 */
@LocalSpark.Session(master = "local[2]")
class MetricsReferenceIT {
    @TempDir
    static Path tmp;
    private SparkSession spark;

    static Stream<String> cases() {
        return MetricsReference.caseNames().stream().filter(n -> !n.startsWith("saturated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void summaryTableMatchesScikitLearn(String name) throws IOException {
        JsonNode entry = MetricsReference.entry(name);
        boolean weighted = entry.get("weighted").asBoolean();
        Fixture f = Fixture.load(MetricsReference.dataName(name));
        Path work = tmp.resolve(name);
        Files.createDirectories(work);
        long badWeights = 0;
        Path data = f.data();
        if (weighted) {
            data = work.resolve("data.csv");
            List<String> lines = Files.readAllLines(f.data());
            List<String> out = new ArrayList<>();
            out.add(lines.get(0) + ",w");
            String[] bad = {"", "-1", "NaN"};
            for (String line : lines.subList(1, lines.size())) {
                long id = Long.parseLong(line.substring(0, line.indexOf(',')));
                double w = MetricsReference.weight(id);
                out.add(line + "," + (w == 0 ? bad[(int) (badWeights++ % 3)] : Double.toString(w)));
            }
            Files.write(data, out);
        }
        JobConfig.InputConfig in = JobTestSupport.csvInput(f, data);
        JobConfig.InputConfig input = new JobConfig.InputConfig(in.paths(), in.format(), true, ",", "\"", List.of(),
                java.util.Map.of(), null, in.labelColumns(), in.passThroughColumns(), weighted ? "w" : null);
        Paths out = new Paths(work);
        JobConfig base = JobTestSupport.config(name, DAY_1, JobTestSupport.modelFile(f, tmp), input, out, 0.0);
        JobConfig config = new JobConfig(base.jobName(), base.runDate(), base.modelPath(), base.input(), base.output(),
                base.quarantinePath(), base.maxQuarantineFraction(), base.summary(), List.of(), List.of(),
                MetricsReference.thresholds(), MetricsReference.topK(), null, null, base.lock(), base.formats(),
                base.precision(), base.monitoring());

        RunSummary run = new ScoringJob(config, spark).withConsole(QUIET).run();

        Row s = spark.read().parquet(out.summary().toString()).collectAsList().get(0);
        assertEquals(entry.get("rows").asLong(), run.rowsScored());
        assertEquals(badWeights, s.getLong(s.fieldIndex("rows_bad_weight")));
        assertEquals(entry.get("weight_sum").asDouble(), s.getDouble(s.fieldIndex("weight_sum")), 1e-9);
        Task task = Task.parse(entry.get("task").asText());
        for (Metric m : Metric.values()) {
            int column = s.fieldIndex(m.id());
            JsonNode want = entry.get("metrics").get(m.id());
            if (!m.appliesTo(task)) {
                assertTrue(s.isNullAt(column), m.id() + " is null for " + task.id());
                continue;
            }
            double got = s.isNullAt(column) ? Double.NaN : s.getDouble(column);
            String what = name + ": " + m.id();
            if (m.hasErrorBound()) {
                double bound = s.getDouble(s.fieldIndex(m.errorBoundId()));
                // the job's own outputs differ from the reference's in the last bits: allow that much
                assertTrue(bound <= 1e-6, what + " bound " + bound);
                assertTrue(Math.abs(got - want.asDouble()) <= bound + 1e-9, what + ": " + got + " vs " + want);
            } else if (m == Metric.PRECISION || m == Metric.RECALL || m == Metric.F1 || m == Metric.SPECIFICITY) {
                MetricsReference.assertZeroDivision(want, got, what);
            } else {
                MetricsReference.assertValue(want, got, what);
            }
        }
        if (task == Task.REGRESSION) {
            assertTrue(s.isNullAt(s.fieldIndex("classes")));
            assertTrue(s.isNullAt(s.fieldIndex("confusion_matrix")));
            return;
        }
        // the per-class table and the confusion matrix, through SQL as the README shows
        spark.read().parquet(out.summary().toString()).createOrReplaceTempView("summary");
        List<Row> classes = spark.sql("SELECT c.class_index, c.support, c.precision, c.recall, c.f1"
                + " FROM summary LATERAL VIEW inline(classes) c ORDER BY c.class_index").collectAsList();
        JsonNode wantClasses = entry.get("classes");
        assertEquals(wantClasses.size(), classes.size());
        for (Row c : classes) {
            JsonNode want = wantClasses.get(c.getInt(0));
            String what = name + ": class " + c.getInt(0);
            MetricsReference.assertValue(want.get("support"), c.getDouble(1), what + " support");
            MetricsReference.assertZeroDivision(want.get("precision"), c.isNullAt(2) ? Double.NaN : c.getDouble(2), what);
            MetricsReference.assertZeroDivision(want.get("recall"), c.isNullAt(3) ? Double.NaN : c.getDouble(3), what);
            MetricsReference.assertZeroDivision(want.get("f1"), c.isNullAt(4) ? Double.NaN : c.getDouble(4), what);
        }
        List<Row> cells = spark.sql("SELECT confusion_matrix FROM summary").collectAsList();
        List<scala.collection.Seq<Double>> matrix = cells.get(0).getList(0);
        assertEquals(wantClasses.size(), matrix.size());
        for (int l = 0; l < matrix.size(); l++) {
            for (int p = 0; p < matrix.size(); p++) {
                MetricsReference.assertValue(entry.get("confusion_matrix").get(l).get(p), matrix.get(l).apply(p),
                        name + ": confusion " + l + "," + p);
            }
        }
        if (task == Task.BINARY) {
            List<Row> thresholds = spark.sql("SELECT t.threshold, t.f1, t.specificity, t.accuracy"
                    + " FROM summary LATERAL VIEW inline(thresholds) t ORDER BY t.threshold").collectAsList();
            assertEquals(entry.get("thresholds").size(), thresholds.size());
            for (int i = 0; i < thresholds.size(); i++) {
                JsonNode want = entry.get("thresholds").get(i);
                assertEquals(want.get("threshold").asDouble(), thresholds.get(i).getDouble(0));
                MetricsReference.assertZeroDivision(want.get("f1"), thresholds.get(i).getDouble(1), name + " f1");
                MetricsReference.assertZeroDivision(want.get("specificity"), thresholds.get(i).getDouble(2), name);
                MetricsReference.assertValue(want.get("accuracy"), thresholds.get(i).getDouble(3), name);
            }
        } else {
            assertEquals(entry.get("top_k").asInt(), s.getInt(s.fieldIndex("top_k")));
        }
    }
}
