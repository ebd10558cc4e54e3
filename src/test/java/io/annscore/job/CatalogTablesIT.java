package io.annscore.job;

import static io.annscore.testing.JobTestSupport.DAY_1;
import static io.annscore.testing.JobTestSupport.DAY_2;
import static io.annscore.testing.JobTestSupport.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.cli.ExitCodeAccess;
import io.annscore.job.commit.FaultPoints;
import io.annscore.job.commit.Journal;
import io.annscore.job.summary.RunSummary;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.JobTestSupport.Fixture;
import io.annscore.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code output.table}, {@code quarantine.table} and {@code summary.table}: tables of a Hive
 * metastore (embedded Derby, set up as local mode sets it up), created on the first run partitioned
 * by run_date, each run replacing its own partition only, committed as steps of the run's journal.
 * One session (Hive and Delta Lake) for the class: the metastore's first call creates its schema,
 * which takes most of this class's time.
 */
@LocalSpark.Session(hive = true, delta = true)
class CatalogTablesIT {
    @TempDir
    static Path tmp;
    SparkSession spark;
    private final Fixture iris = Fixture.load("iris_relu_multiclass");
    private Path v150;
    private Path v100;
    private Path dirty;
    /** The ids of {@link #dirty} whose sepal length is text: quarantined as non_numeric_feature. */
    private static final Set<Long> DIRTY_IDS = Set.of(5L, 50L, 140L);

    @BeforeAll
    void inputs() throws IOException {
        List<String> lines = Files.readAllLines(iris.data());
        v150 = Files.write(tmp.resolve("v150.csv"), lines);
        v100 = Files.write(tmp.resolve("v100.csv"), lines.subList(0, 101));
        List<String> bad = new ArrayList<>(lines);
        for (long id : DIRTY_IDS) {
            String[] f = bad.get((int) id).split(",", -1);
            assertEquals(String.valueOf(id), f[0]);
            f[1] = "x";
            bad.set((int) id, String.join(",", f));
        }
        dirty = Files.write(tmp.resolve("dirty.csv"), bad);
    }

    private JobConfig config(String job, LocalDate date, Path input, String predictions, String quarantine, String summary,
                             JobConfig.Format quarantineFormat) {
        Path work = tmp.resolve(job);
        return new JobConfig(job, date, JobTestSupport.modelFile(iris, tmp).toString(),
                JobConfig.InputConfig.csv(List.of(input.toString()), iris.labels(), List.of("id")),
                new JobConfig.OutputConfig(work.resolve("work").toString(), JobConfig.Format.PARQUET, List.of(), null,
                        new JobConfig.Catalog(predictions, quarantine, "unused")),
                work.resolve("quarantine").toString(), 0.05, new JobConfig.SummaryConfig(null, summary), List.of(), List.of())
                .withFormats(JobConfig.Format.PARQUET, quarantineFormat, JobConfig.Format.PARQUET);
    }

    private RunSummary run(JobConfig c) {
        return new ScoringJob(c, spark).withConsole(QUIET).withProgress(QUIET).run();
    }

    private long count(String table, LocalDate date) {
        return spark.table(table).where("run_date = DATE'" + date + "'").count();
    }

    private List<String> sortedRows(String table, LocalDate date) {
        return spark.table(table).where("run_date = DATE'" + date + "'").collectAsList().stream().map(Row::toString)
                .sorted().collect(Collectors.toList());
    }

    private List<String> partitionColumns(String table) throws Exception {
        return spark.catalog().listColumns(table).collectAsList().stream().filter(c -> c.isPartition())
                .map(c -> c.name()).collect(Collectors.toList());
    }

    @Test
    void tablesAreCreatedOnTheFirstRunAndARerunReplacesOnlyItsOwnPartition() throws Exception {
        String job = "tabled";
        // Given no tables yet, when the first run (3 rows of 150 unscorable) is for day 1
        assertFalse(spark.catalog().tableExists("iris_predictions"));
        RunSummary first = run(config(job, DAY_1, dirty, "iris_predictions", "iris_quarantine", "annscore_runs",
                JobConfig.Format.PARQUET));

        // Then the three tables exist, in the metastore, partitioned as annscore writes them
        assertEquals(List.of("run_date"), partitionColumns("iris_predictions"));
        assertEquals(List.of("run_date"), partitionColumns("iris_quarantine"));
        assertEquals(List.of("job_name", "run_date"), partitionColumns("annscore_runs"));
        assertEquals("parquet", io.annscore.job.tables.CatalogTables.provider(spark, "iris_predictions"));
        assertEquals(147, count("iris_predictions", DAY_1));
        List<Row> quarantined = spark.table("iris_quarantine").collectAsList();
        assertEquals(DIRTY_IDS, quarantined.stream().map(r -> Long.parseLong(String.valueOf(r.<Object>getAs("id"))))
                .collect(Collectors.toSet()));
        assertEquals(Set.of("non_numeric_feature"), quarantined.stream().map(r -> r.<String>getAs("reason"))
                .collect(Collectors.toSet()));

        // When day 2 is scored (100 rows), then day 1 again with the 100 clean rows
        RunSummary second = run(config(job, DAY_2, v100, "iris_predictions", "iris_quarantine", "annscore_runs",
                JobConfig.Format.PARQUET));
        List<String> day2 = sortedRows("iris_predictions", DAY_2);
        assertEquals(100, day2.size());
        RunSummary rerun = run(config(job, DAY_1, v100, "iris_predictions", "iris_quarantine", "annscore_runs",
                JobConfig.Format.PARQUET));

        // Then day 1 holds the re-run's rows only, day 2 is untouched, row for row
        assertEquals(100, count("iris_predictions", DAY_1));
        assertEquals(day2, sortedRows("iris_predictions", DAY_2));
        assertEquals(Set.of(java.sql.Date.valueOf(DAY_1), java.sql.Date.valueOf(DAY_2)),
                spark.table("iris_predictions").select("run_date").distinct().collectAsList().stream()
                        .map(r -> r.getDate(0)).collect(Collectors.toSet()));
        // and the re-run quarantined nothing, so day 1's quarantine is empty (not the first run's 3 rows)
        assertEquals(0, spark.table("iris_quarantine").count());

        // And the summary table has one row per job and date, of the run that published it
        List<Row> summary = spark.table("annscore_runs").where("job_name = '" + job + "'").orderBy("run_date")
                .collectAsList();
        assertEquals(2, summary.size());
        assertEquals(rerun.runId(), summary.get(0).getAs("run_id"));
        assertEquals(100L, (long) summary.get(0).<Long>getAs("rows_scored"));
        assertEquals(0L, (long) summary.get(0).<Long>getAs("rows_quarantined"));
        assertEquals(second.runId(), summary.get(1).getAs("run_id"));
        assertTrue(!first.runId().equals(rerun.runId()));
        // nothing is left in the working folder but the (empty) lock and journal folder
        Path work = tmp.resolve(job).resolve("work");
        assertFalse(Files.exists(work.resolve("_staging")) && Files.list(work.resolve("_staging")).findAny().isPresent());
    }

    @Test
    void aTableThatDoesNotFitIsRefusedNamingTheColumnBeforeAnythingIsRead() throws Exception {
        // Given a predictions table of the right partitioning with one column more than the job writes
        // (its quarantine a Delta table of the catalog: created as one, the run's id in its history)
        RunSummary base = run(config("fit", DAY_1, dirty, "fit_predictions", "fit_quarantine", "fit_runs",
                JobConfig.Format.DELTA));
        assertEquals("delta", io.annscore.job.tables.CatalogTables.provider(spark, "fit_quarantine"));
        assertEquals(List.of("run_date"), partitionColumns("fit_quarantine"));
        assertEquals(3, count("fit_quarantine", DAY_1));
        assertEquals(List.of(base.runId()), spark.sql("DESCRIBE HISTORY fit_quarantine").where("userMetadata IS NOT NULL")
                .collectAsList().stream()
                .map(r -> r.<String>getAs("userMetadata")).collect(Collectors.toList()));
        List<String> columns = new ArrayList<>(List.of(spark.table("fit_predictions").columns()));
        columns.remove("run_date");
        spark.sql("CREATE TABLE misfit USING parquet PARTITIONED BY (run_date) AS SELECT "
                + String.join(", ", columns) + ", 'x' AS extra, run_date FROM fit_predictions WHERE false");
        // and one with the right columns, not partitioned
        spark.sql("CREATE TABLE unpartitioned USING parquet AS SELECT * FROM fit_predictions WHERE false");

        // When a run writes to each, it stops with one line naming the column or the partitioning, exit code 2
        JobConfig misfit = config("fit", DAY_2, v100, "misfit", null, "fit_runs", JobConfig.Format.PARQUET);
        JobConfigException e = assertThrows(JobConfigException.class, () -> run(misfit));
        assertEquals("the table misfit (output.table) has column extra (string), which this job does not write;"
                + " write to a new table, or drop the column", e.getMessage());
        assertEquals(2, ExitCodeAccess.code(e));
        JobConfig flat = config("fit", DAY_2, v100, "unpartitioned", null, "fit_runs", JobConfig.Format.PARQUET);
        e = assertThrows(JobConfigException.class, () -> run(flat));
        assertEquals("the table unpartitioned (output.table) is partitioned by nothing, this job writes it partitioned"
                + " by [run_date]; write to a new table", e.getMessage());

        // Then nothing was written: no rows, no summary row for day 2, no staging
        assertEquals(0, spark.table("misfit").count());
        assertEquals(0, spark.table("fit_runs").where("run_date = DATE'" + DAY_2 + "'").count());
        assertFalse(Files.exists(tmp.resolve("fit").resolve("work").resolve("_staging").resolve("summary-table")));
    }

    @Test
    void aCrashAtEachJournalStepIsFinishedByRecovery() {
        // Steps with profile and report off: move-2 (predictions and quarantine committed, not the
        // summary) and move-3 (every table committed, the journal still there). The recovery replays
        // the journal from its first step: a partition overwritten again with the same rows, the
        // summary committed (move-2) or found there (move-3). (staged, journal, move-1 and committed
        // are the journal's own, as in CommitProtocolTest and DeltaOutputIT; two steps keep this class short.)
        String[] steps = {"move-2", "move-3"};
        JobConfig.Monitoring off = new JobConfig.Monitoring(0, false, null, 10, null, null, 0.1, 0.25, false, false, null, 30);
        String currentRun = run(config("crash", DAY_1, dirty, "crash_predictions", "crash_quarantine", "crash_runs",
                JobConfig.Format.PARQUET).withMonitoring(off)).runId();
        long current = 147;
        for (String step : steps) {
            boolean clean = current == 147;
            JobConfig c = config("crash", DAY_1, clean ? v150 : dirty, "crash_predictions", "crash_quarantine",
                    "crash_runs", JobConfig.Format.PARQUET).withMonitoring(off);
            spark.conf().set(FaultPoints.FAIL_CONF, step);
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(c), step);
                assertTrue(e.getMessage().contains("failing at " + step), e.getMessage());
            } finally {
                spark.conf().unset(FaultPoints.FAIL_CONF);
            }
            Path journal = tmp.resolve("crash/work").resolve(Journal.FOLDER).resolve("journal-run_date=" + DAY_1);
            assertTrue(Files.exists(journal), step + ": the journal is there");

            // When the job's recovery runs
            new ScoringJob(c, spark).withConsole(QUIET).recover();

            // Then every table is of the crashed run, whole, and its summary row is there once
            current = clean ? 150 : 147;
            assertEquals(current, count("crash_predictions", DAY_1), step);
            assertEquals(clean ? 0 : 3, count("crash_quarantine", DAY_1), step);
            List<Row> summary = spark.table("crash_runs").where("run_date = DATE'" + DAY_1 + "'").collectAsList();
            assertEquals(1, summary.size(), step);
            String run = summary.get(0).getAs("run_id");
            assertFalse(run.equals(currentRun), step + ": the crashed run's summary is not the one published");
            currentRun = run;
            assertEquals(current, (long) summary.get(0).<Long>getAs("rows_scored"), step);
            assertEquals(clean ? 0L : 3L, (long) summary.get(0).<Long>getAs("rows_quarantined"), step);
            assertFalse(Files.exists(journal), step);
        }
    }
}
