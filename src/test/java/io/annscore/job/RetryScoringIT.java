package io.annscore.job;

import static io.annscore.testing.JobTestSupport.DAY_1;
import static io.annscore.testing.JobTestSupport.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.job.summary.RunSummary;
import io.annscore.testing.JobTestSupport.Fixture;
import io.annscore.testing.JobTestSupport.Paths;
import io.annscore.testing.JobTestSupport.TaskCounter;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that fails on its first attempt and succeeds on the retry changes nothing: the same
 * predictions and the very same metrics (no row counted twice, merge order fixed). Needs
 * {@code local[N,F]}, under which Spark retries failed tasks.
 */
@LocalSpark.Session(master = "local[2,3]")
class RetryScoringIT {
    @TempDir
    static Path tmp;
    private SparkSession spark;

    @Test
    void aRetriedTaskGivesTheSamePredictionsAndMetricsAsACleanRun() {
        // Given the diabetes data (regression: sums of squares, which a double count would change) in 4 files
        Fixture f = Fixture.load("diabetes_tanh_regression");
        Path input = tmp.resolve("input");
        spark.read().option("header", true).option("inferSchema", true).csv(f.data().toString())
                .repartition(4).write().parquet(input.toString());
        JobConfig.InputConfig in = JobConfig.InputConfig.parquet(List.of(input.toString()), f.labels(), List.of("id"));

        // When it is scored once cleanly and once with the first attempt of partition 2 failing
        Paths cleanOut = new Paths(tmp.resolve("clean"));
        RunSummary clean = new ScoringJob(JobTestSupport.config("clean", DAY_1, JobTestSupport.modelFile(f, tmp), in, cleanOut, 0.0), spark)
                .withConsole(QUIET).run();
        TaskCounter counter = new TaskCounter();
        spark.sparkContext().addSparkListener(counter);
        Paths retriedOut = new Paths(tmp.resolve("retried"));
        RunSummary retried;
        spark.conf().set(ScoringJob.FAIL_PARTITION_CONF, "2");
        try {
            retried = new ScoringJob(JobTestSupport.config("retried", DAY_1, JobTestSupport.modelFile(f, tmp), in, retriedOut, 0.0), spark)
                    .withConsole(QUIET).run();
        } finally {
            spark.conf().unset(ScoringJob.FAIL_PARTITION_CONF);
            JobTestSupport.drainListeners(spark);
            spark.sparkContext().removeSparkListener(counter);
        }

        // Then a task did fail, and yet the outputs and the metrics are identical
        // (exactly one: the rows are scored once and cached, so no later stage re-runs the scoring of partition 2)
        assertEquals(1, counter.failedTasks.get(), "failed tasks");
        assertEquals(clean.rowsRead(), retried.rowsRead());
        assertEquals(clean.rowsScored(), retried.rowsScored());
        assertEquals(442, retried.rowsScored());
        assertEquals(clean.metrics(), retried.metrics());
        List<Row> a = spark.read().parquet(cleanOut.predictions().resolve("run_date=" + DAY_1).toString()).orderBy("id").collectAsList();
        List<Row> b = spark.read().parquet(retriedOut.predictions().resolve("run_date=" + DAY_1).toString()).orderBy("id").collectAsList();
        assertEquals(a, b);
        assertEquals(442, b.size());
        assertTrue(JobTestSupport.close(retried.metrics().get("mse"), f.metrics().get("mse").asDouble(), 1e-9));
    }
}
