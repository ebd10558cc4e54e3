package io.annscore.cli;

import static io.annscore.testing.JobTestSupport.DAY_1;
import static io.annscore.testing.JobTestSupport.DAY_2;
import static io.annscore.testing.JobTestSupport.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.job.JobConfig;
import io.annscore.job.JobConfigException;
import io.annscore.job.ScoringJob;
import io.annscore.job.commit.FaultPoints;
import io.annscore.job.commit.Journal;
import io.annscore.job.summary.PublishedRun;
import io.annscore.job.summary.Reports;
import io.annscore.job.summary.RunSummary;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.JobTestSupport.Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code output.format}, {@code quarantine.format} and {@code summary.format = delta}: Delta Lake
 * tables partitioned by run date, one table version per run carrying its run id, a re-run
 * replacing its date atomically, and a crash at each publishing step finished by recovery without
 * a second commit. One session with Delta Lake for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeltaOutputIT {
    @TempDir
    static Path tmp;
    private SparkSession spark;
    private final Fixture iris = Fixture.load("iris_relu_multiclass");
    private Path v150;
    private Path v100;

    @BeforeAll
    void start() throws Exception {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        spark = SparkSession.builder().master("local[2]").appName("annscore-delta-it")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.warehouse.dir", tmp.resolve("warehouse").toString())
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                // Delta rebuilds a table's state from its log in 50 partitions by default; these tables are tiny.
                .config("spark.databricks.delta.snapshotPartitions", "1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        List<String> lines = Files.readAllLines(iris.data());
        v150 = Files.write(tmp.resolve("v150.csv"), lines);
        v100 = Files.write(tmp.resolve("v100.csv"), lines.subList(0, 101));
    }

    @AfterAll
    void stop() {
        JobTestSupport.stop(spark);
    }

    private JobConfig config(String name, LocalDate day, Path input, JobConfig.Format format) {
        Path out = tmp.resolve(name);
        return new JobConfig(name, day, JobTestSupport.modelFile(iris, tmp).toString(),
                JobTestSupport.csvInput(iris, input),
                new JobConfig.OutputConfig(out.resolve("predictions").toString(), JobConfig.Format.PARQUET),
                out.resolve("quarantine").toString(), 0.01, JobConfig.SummaryConfig.atPath(out.resolve("summary").toString()),
                List.of(), List.of()).withFormats(format, format, format);
    }

    private RunSummary run(String name, LocalDate day, Path input) {
        return new ScoringJob(config(name, day, input, JobConfig.Format.DELTA), spark).withConsole(QUIET).run();
    }

    private Dataset<Row> table(String name, String output) {
        return spark.read().format("delta").load(tmp.resolve(name).resolve(output).toString());
    }

    private long rows(String name, LocalDate day) {
        return table(name, "predictions").where("run_date = DATE'" + day + "'").count();
    }

    /** The user metadata of each version of a table, oldest first. */
    private List<String> history(String name, String output) {
        return spark.sql("DESCRIBE HISTORY delta.`" + tmp.resolve(name).resolve(output) + "`").orderBy("version")
                .select("userMetadata").collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toList());
    }

    @Test
    void twoDatesAndAReRunAreOneVersionEachWithTheRunId() {
        // Given two dates, then a re-run of the first with fewer rows
        String r1 = run("dates", DAY_1, v150).runId();
        String r2 = run("dates", DAY_2, v100).runId();
        String r3 = run("dates", DAY_1, v100).runId();

        // Then each date holds its own run's rows, and the re-run replaced only its date
        assertEquals(100, rows("dates", DAY_1));
        assertEquals(100, rows("dates", DAY_2));
        assertEquals(200, table("dates", "predictions").count());
        // Each table has one version per run, with the run id as the commit's user metadata
        for (String output : List.of("predictions", "quarantine", "summary")) {
            assertEquals(List.of(r1, r2, r3), history("dates", output), output);
        }
        // The version before the re-run is still readable: 150 + 100 rows
        assertEquals(250, spark.read().format("delta").option("versionAsOf", 1)
                .load(tmp.resolve("dates/predictions").toString()).count());
        // One summary row per date, the re-run's for the first
        List<Row> summary = table("dates", "summary").orderBy("run_date").collectAsList();
        assertEquals(2, summary.size());
        assertEquals(r3, summary.get(0).getAs("run_id"));
        assertEquals(r2, summary.get(1).getAs("run_id"));
        assertEquals("dates", summary.get(0).getAs("job_name"));
        assertEquals(100L, (long) summary.get(0).<Long>getAs("rows_read"));
        assertEquals(List.of("run_date"), partitionColumns("dates", "predictions"));
        assertEquals(List.of("job_name", "run_date"), partitionColumns("dates", "summary"));
        // The report's and the backfill's readers read the table's current version, not every file
        // in its folder (which still holds r1's summary row): each run once, the re-run's for the first date
        String summaryPath = tmp.resolve("dates/summary").toString();
        assertEquals(List.of(r3, r2), Reports.runs(spark, summaryPath, null, "dates").stream()
                .map(r -> (String) r.get("run_id")).toList());
        assertEquals(r3, PublishedRun.find(spark, config("dates", DAY_1, v100, JobConfig.Format.DELTA), DAY_1).runId());

        // And the predictions are those of the same run to Parquet
        new ScoringJob(config("dates-parquet", DAY_1, v100, JobConfig.Format.PARQUET), spark).withConsole(QUIET).run();
        Dataset<Row> parquet = spark.read().parquet(tmp.resolve("dates-parquet/predictions").toString())
                .selectExpr("id", "predicted_class", "cast(array(probability_0, probability_1, probability_2) as string) p", "cast(run_date as string) d");
        Dataset<Row> delta = table("dates", "predictions").where("run_date = DATE'" + DAY_1 + "'")
                .selectExpr("id", "predicted_class", "cast(array(probability_0, probability_1, probability_2) as string) p", "cast(run_date as string) d");
        assertEquals(100, parquet.count());
        assertEquals(0, parquet.except(delta).count());
        assertEquals(0, delta.except(parquet).count());
    }

    private List<String> partitionColumns(String name, String output) {
        Row detail = spark.sql("DESCRIBE DETAIL delta.`" + tmp.resolve(name).resolve(output) + "`").first();
        return detail.getList(detail.fieldIndex("partitionColumns"));
    }

    @Test
    void aReaderDuringAReplaceSeesTheOldRowsOrTheNewNeverAMix() throws Exception {
        // Given a date of 150 rows
        run("reader", DAY_1, v150);
        // When a reader counts the date over and over while a re-run replaces it with 100 rows
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                seen.add(rows("reader", DAY_1));
            }
        });
        reader.start();
        try {
            run("reader", DAY_1, v100);
        } finally {
            done.set(true);
            reader.join();
        }
        seen.add(rows("reader", DAY_1));
        // Then every read saw 150 or 100 rows, the old ones before the new ones
        int firstNew = seen.indexOf(100L);
        assertTrue(seen.size() > 2, "the reader read during the run: " + seen);
        assertTrue(firstNew >= 1, "the old rows were seen first: " + seen);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i < firstNew ? 150L : 100L, seen.get(i), "read " + i + " of " + seen);
        }
    }

    @Test
    void aCrashAtEachPublishingStepIsFinishedByRecoveryWithOneCommitPerTable() {
        // Steps: staged (no journal), journal, move-1 (predictions committed), move-2 (quarantine),
        // move-3 (summary), committed (journal removed, staging left)
        String[] steps = {"staged", "journal", "move-1", "move-2", "move-3", "committed"};
        String first = run("crash", DAY_1, v150).runId();
        long current = 150;
        String currentRun = first;
        List<String> runs = new ArrayList<>(List.of(first));
        for (String step : steps) {
            long next = current == 150 ? 100 : 150;
            JobConfig c = config("crash", DAY_1, next == 150 ? v150 : v100, JobConfig.Format.DELTA);
            spark.conf().set(FaultPoints.FAIL_CONF, step);
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> new ScoringJob(c, spark).withConsole(QUIET).run(), step);
                assertTrue(e.getMessage().contains("failing at " + step), e.getMessage());
            } finally {
                spark.conf().unset(FaultPoints.FAIL_CONF);
            }
            // Right after the crash a reader sees the old rows or the new ones
            long after = rows("crash", DAY_1);
            assertTrue(after == current || after == next, step + ": " + after);
            boolean committed = Files.exists(tmp.resolve("crash/predictions").resolve(Journal.FOLDER)
                    .resolve("journal-run_date=" + DAY_1));
            assertEquals(!step.equals("staged") && !step.equals("committed"), committed, step + ": journal");

            // When the job's recovery runs
            new ScoringJob(c, spark).withConsole(QUIET).recover();

            // Then the three tables are of one run, the crashed one once it had written its journal
            List<String> predictions = history("crash", "predictions");
            String last = predictions.get(predictions.size() - 1);
            if (!step.equals("staged")) {
                assertTrue(!last.equals(currentRun), step + ": the crashed run was not finished");
                runs.add(last);
                current = next;
                currentRun = last;
            }
            assertEquals(current, rows("crash", DAY_1), step);
            assertEquals(runs, predictions, step + ": one version per run, none twice");
            assertEquals(runs, history("crash", "quarantine"), step);
            assertEquals(runs, history("crash", "summary"), step);
            Row summary = table("crash", "summary").first();
            assertEquals(currentRun, summary.getAs("run_id"), step);
            assertEquals(current, (long) summary.<Long>getAs("rows_scored"), step);
            assertTrue(Files.notExists(tmp.resolve("crash/predictions").resolve(Journal.FOLDER)
                    .resolve("journal-run_date=" + DAY_1)), step);
        }
    }

    @Test
    void aTableWhoseColumnsDoNotFitIsRefusedNamingTheColumnBeforeAnythingIsWritten() {
        // Given a Delta table at the output path with other columns
        Path out = tmp.resolve("misfit/predictions");
        spark.sql("SELECT '1' AS id, 0.5D AS score, DATE'2024-01-01' AS run_date").write().format("delta")
                .partitionBy("run_date").save(out.toString());
        // Then the run stops, naming the first column the table lacks
        JobConfigException e = assertThrows(JobConfigException.class, () -> run("misfit", DAY_1, v150));
        assertEquals("the Delta table at " + out + " (output.path) has no column probability_0 (double), which this"
                + " job writes; write to a new table, or add the column", e.getMessage());
        assertEquals(1, history("misfit", "predictions").size(), "nothing committed");
        assertTrue(Files.notExists(tmp.resolve("misfit/quarantine")), "nothing written");
    }

    @Test
    void withoutDeltaLakeTheRunStopsWithOneLineSayingWhatToAdd() throws Exception {
        // The embedded Spark without --delta has no Delta Lake on its class path
        Path out = tmp.resolve("absent");
        SubmitScript.Result r = SubmitScript.run(null, tmp.resolve("absent.log"), 5, "score", "--job", "jobs/demo.conf",
                "--run-date", "2024-05-31", "--output", out.resolve("p").toString(), "--quarantine",
                out.resolve("q").toString(), "--summary", out.resolve("s").toString(), "--set", "summary.format=delta");
        assertEquals(2, r.code(), r.output());
        assertEquals(List.of("annscore: configuration error: summary.format = delta needs Delta Lake, which is not on"
                + " the class path: run ./submit.sh --delta ... (embedded Spark), or add --packages"
                + " io.delta:delta-spark_2.13:4.4.0 (spark-submit)"), SubmitScript.errorLines(r.output()));
        assertTrue(Files.notExists(out), "nothing read or written");
    }
}
