package io.annscore.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.annscore.job.summary.Profiles;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.JobTestSupport.Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles and drift on two days of four features, the second with petal_length_cm shifted by half
 * its standard deviation (src/test/resources/drift, made by src/test/python/drift_reference.py,
 * which also computed every expected bin edge, count, PSI and KS with numpy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriftIT {
    private static final LocalDate D1 = LocalDate.of(2024, 6, 1);
    private static final LocalDate D2 = LocalDate.of(2024, 6, 2);
    private static final List<String> FEATURES = List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm",
            "petal_width_cm");

    @TempDir
    static Path tmp;
    private SparkSession spark;
    private JsonNode expected;
    private Path day1;
    private Path day2;
    private final Fixture iris = Fixture.load("iris_relu_multiclass");

    @BeforeAll
    void start() throws Exception {
        spark = JobTestSupport.session("local[2]", tmp.resolve("warehouse"));
        expected = JobTestSupport.JSON.readTree(getClass().getResourceAsStream("/drift/expected.json"));
        day1 = copy("day1.csv");
        day2 = copy("day2.csv");
    }

    private Path copy(String name) throws Exception {
        Path to = tmp.resolve("landing").resolve(name);
        Files.createDirectories(to.getParent());
        try (var in = getClass().getResourceAsStream("/drift/" + name)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }

    @AfterAll
    void stop() {
        JobTestSupport.stop(spark);
    }

    private JobConfig config(String job, LocalDate date, Path input, JobConfig.Monitoring m) {
        Path out = tmp.resolve(job);
        JobConfig c = new JobConfig(job, date, JobTestSupport.modelFile(iris, tmp).toString(),
                JobConfig.InputConfig.csv(List.of(input.toString()), List.of(), List.of("id")),
                new JobConfig.OutputConfig(out.resolve("predictions").toString(), JobConfig.Format.PARQUET),
                out.resolve("quarantine").toString(), 0.01, JobConfig.SummaryConfig.atPath(out.resolve("summary").toString()),
                List.of(), List.of());
        return c.withMonitoring(m);
    }

    private static JobConfig.Monitoring monitoring(String referenceRun, String referenceProfile, boolean fail) {
        return new JobConfig.Monitoring(0, true, null, 10, referenceRun, referenceProfile, 0.1, 0.25, fail, true, null, 30);
    }

    private List<Row> profile(String job, LocalDate date) {
        return spark.read().parquet(tmp.resolve(job).resolve("predictions_profile").toString())
                .where("job_name = '" + job + "' and run_date = '" + date + "'").orderBy("kind", "position").collectAsList();
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    private static long[] longs(JsonNode a) {
        long[] d = new long[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asLong();
        }
        return d;
    }

    private static double[] edges(Row r) {
        return r.<Double>getList(r.fieldIndex("bin_edges")).stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static long[] counts(Row r) {
        return r.<Long>getList(r.fieldIndex("bin_counts")).stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void aRunAgainstAnEarlierRunFlagsOnlyTheShiftedFeature() {
        // Day 1, no reference: the bins come from the run's sample.
        new ScoringJob(config("nightly", D1, day1, monitoring(null, null, false)), spark).withConsole(JobTestSupport.QUIET).run();
        List<Row> first = profile("nightly", D1);
        assertEquals(4 + 3, first.size(), "4 features and 3 outputs");
        for (Row r : first) {
            if (!r.<String>getAs("kind").equals("feature")) {
                assertEquals("sample", r.getAs("bins_from"));
                continue;
            }
            JsonNode e = expected.path("features").path(r.<String>getAs("column"));
            assertEquals("sample", r.getAs("bins_from"));
            assertArrayEquals(doubles(e.path("edges")), edges(r), r.<String>getAs("column"));
            assertArrayEquals(longs(e.path("day1_sample_counts")), counts(r));
            assertEquals(4000L, r.<Long>getAs("count"));
            assertEquals(0L, r.<Long>getAs("missing"));
            assertEquals(e.path("day1_mean").asDouble(), r.<Double>getAs("mean"), 1e-12);
            assertEquals(e.path("day1_std").asDouble(), r.<Double>getAs("std"), 1e-12);
            assertNull(r.getAs("psi"));
        }

        // Day 2 against day 1: the day-1 bins; PSI and KS as numpy computed them.
        new ScoringJob(config("nightly", D2, day2, monitoring(D1.toString(), null, false)), spark)
                .withConsole(JobTestSupport.QUIET).run();
        List<String> alarms = new ArrayList<>();
        for (Row r : profile("nightly", D2)) {
            assertEquals("reference", r.getAs("bins_from"));
            assertEquals("run " + D1, r.getAs("reference"));
            if (r.<String>getAs("kind").equals("output")) {
                assertTrue(r.getAs("psi") != null, "outputs drift too");
                continue;
            }
            JsonNode e = expected.path("features").path(r.<String>getAs("column"));
            assertArrayEquals(longs(e.path("day2_counts")), counts(r));
            assertEquals(e.path("psi_vs_run").asDouble(), r.<Double>getAs("psi"), 1e-12, r.<String>getAs("column"));
            assertEquals(e.path("ks_vs_run").asDouble(), r.<Double>getAs("ks"), 1e-12);
            if ("alarm".equals(r.getAs("drift"))) {
                alarms.add(r.getAs("column"));
            }
        }
        assertEquals(List.of("petal_length_cm"), alarms);
        Row summary = summary("nightly", D2);
        assertEquals("petal_length_cm", summary.getAs("max_psi_column"));
        assertEquals(expected.path("features").path("petal_length_cm").path("psi_vs_run").asDouble(),
                summary.<Double>getAs("max_psi"), 1e-12);
        assertEquals(List.of("petal_length_cm"), summary.getList(summary.fieldIndex("drift_alarms")));
        assertEquals("run " + D1, summary.getAs("drift_reference"));

        // With drift.fail-on-alarm: exit code 7, after publishing (the re-run's summary replaced day 2's).
        DriftAlarmException alarm = assertThrows(DriftAlarmException.class, () ->
                new ScoringJob(config("nightly", D2, day2, monitoring(D1.toString(), null, true)), spark)
                        .withConsole(JobTestSupport.QUIET).run());
        assertEquals(List.of("petal_length_cm"), alarm.columns());
        assertEquals(7, io.annscore.cli.ExitCodeAccess.code(alarm));
        Row republished = summary("nightly", D2);
        assertTrue(!republished.getAs("run_id").equals(summary.getAs("run_id")), "the failing run published its summary");
        assertTrue(Files.exists(tmp.resolve("nightly/predictions_report/job_name=nightly/run_date=" + D2 + "/report.html")));
    }

    private Row summary(String job, LocalDate date) {
        List<Row> rows = spark.read().parquet(tmp.resolve(job).resolve("summary").toString())
                .where("job_name = '" + job + "' and run_date = '" + date + "' and segment is null").collectAsList();
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    @Test
    void aRunAgainstAProfileFileOfTheTrainingData() throws Exception {
        String file = tmp.resolve("reference-profile.json").toString();
        List<Profiles.Entry> written = new ProfileJob(spark).run(
                spark.read().option("header", "true").csv(day1.toString()), FEATURES, 10, file, day1.toString());
        Map<String, Profiles.Entry> read = Profiles.readFile(spark.sparkContext().hadoopConfiguration(), file);
        assertEquals(4, written.size());
        for (String f : FEATURES) {
            JsonNode e = expected.path("features").path(f);
            Profiles.Entry p = read.get("feature:" + f);
            assertArrayEquals(doubles(e.path("edges")), p.edges(), f);
            assertArrayEquals(longs(e.path("day1_counts")), p.counts(), "every row counted");
            assertEquals(e.path("day1_mean").asDouble(), p.mean(), 1e-12);
        }
        new ScoringJob(config("trained", D2, day2, monitoring(null, file, false)), spark).withConsole(JobTestSupport.QUIET).run();
        for (Row r : profile("trained", D2)) {
            if (r.<String>getAs("kind").equals("output")) {
                assertNull(r.getAs("psi"), "the file has no outputs: no drift for them");
                assertEquals("sample", r.getAs("bins_from"));
                continue;
            }
            JsonNode e = expected.path("features").path(r.<String>getAs("column"));
            assertEquals(e.path("psi_vs_profile").asDouble(), r.<Double>getAs("psi"), 1e-12, r.<String>getAs("column"));
            assertEquals(e.path("ks_vs_profile").asDouble(), r.<Double>getAs("ks"), 1e-12);
            assertEquals(r.getAs("column").equals("petal_length_cm") ? "alarm" : "ok", r.getAs("drift"));
        }
    }

    /**
     * With the network, the profile file holds its outputs too, read through the job's column
     * mapping (a feature whose column has another name): their means are those of the predictions
     * a run over the same rows writes, and a later run gets drift for its outputs against them.
     */
    @Test
    void aProfileFileWithTheNetworksOutputsGivesOutputDrift() throws Exception {
        String file = tmp.resolve("reference-with-outputs.json").toString();
        Dataset<Row> training = spark.read().option("header", "true").csv(day1.toString())
                .withColumnRenamed("petal_length_cm", "petal_length");
        List<String> columns = List.of("sepal_length_cm", "sepal_width_cm", "petal_length", "petal_width_cm");
        byte[] model = Files.readAllBytes(JobTestSupport.modelFile(iris, tmp));
        List<Profiles.Entry> written = new ProfileJob(spark).run(training, columns, FEATURES, model, 10, file, "day1");
        assertEquals(4 + 3, written.size(), "4 features and 3 outputs");
        Map<String, Profiles.Entry> read = Profiles.readFile(spark.sparkContext().hadoopConfiguration(), file);
        JsonNode pl = expected.path("features").path("petal_length_cm");
        assertArrayEquals(longs(pl.path("day1_counts")), read.get("feature:petal_length_cm").counts(), "read from its mapped column");

        // The outputs' means are the means of the probabilities a run over the same rows publishes.
        new ScoringJob(config("day1-scored", D1, day1, monitoring(null, null, false)), spark)
                .withConsole(JobTestSupport.QUIET).run();
        Row means = spark.read().parquet(tmp.resolve("day1-scored/predictions").toString())
                .selectExpr("count(*)", "avg(probability_0)", "avg(probability_1)", "avg(probability_2)").first();
        for (int k = 0; k < 3; k++) {
            Profiles.Entry e = read.get("output:output_" + k);
            assertEquals(means.getLong(0), e.count(), "output_" + k);
            assertEquals(means.getDouble(k + 1), e.mean(), 1e-12, "output_" + k);
            assertEquals(e.count(), java.util.Arrays.stream(e.counts()).sum(), "every row counted");
        }

        new ScoringJob(config("trained-outputs", D2, day2, monitoring(null, file, false)), spark)
                .withConsole(JobTestSupport.QUIET).run();
        for (Row r : profile("trained-outputs", D2)) {
            assertEquals("reference", r.getAs("bins_from"), r.<String>getAs("column"));
            assertNotNull(r.getAs("psi"), r.<String>getAs("column") + " has drift against the file");
        }
    }

    @Test
    void progressLinesAndStagesNamedAfterTheSteps() throws Exception {
        java.util.List<String> stages = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.apache.spark.scheduler.SparkListener names = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onStageSubmitted(org.apache.spark.scheduler.SparkListenerStageSubmitted s) {
                stages.add(s.stageInfo().name());
            }
        };
        spark.sparkContext().addSparkListener(names);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        try {
            JobConfig.Monitoring m = new JobConfig.Monitoring(1, true, null, 10, null, null, 0.1, 0.25, false, true, null, 30);
            new ScoringJob(config("progress", D1, day1, m), spark).withConsole(JobTestSupport.QUIET)
                    .withProgress(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)).run();
        } finally {
            JobTestSupport.drainListeners(spark);
            spark.sparkContext().removeSparkListener(names);
        }
        String lines = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(lines.contains("annscore progress: scoring: 1/1 tasks, 4,000 rows, "), lines);
        assertTrue(lines.contains(", done"), lines);
        assertTrue(stages.contains("annscore progress: score, write the predictions and the quarantine, aggregate the metrics"),
                stages.toString());
        assertTrue(stages.stream().allMatch(n -> n.startsWith("annscore progress: ")), stages.toString());
    }

    @Test
    void aMissingReferenceRunStopsBeforeAnythingIsRead() {
        JobConfigException e = assertThrows(JobConfigException.class, () ->
                new ScoringJob(config("nothing", D2, day2, monitoring("2020-01-01", null, false)), spark).run());
        assertTrue(e.getMessage().contains("drift.reference-run"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("nothing").resolve("predictions")));
    }
}
