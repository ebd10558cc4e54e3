package io.annscore.job;

import static io.annscore.testing.JobTestSupport.DAY_1;
import static io.annscore.testing.JobTestSupport.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.job.plan.InputSource;
import io.annscore.job.summary.RunSummary;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.JobTestSupport.Fixture;
import java.nio.file.Path;
import java.util.List;
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
 * {@code input.table} with {@code input.where}: a table of the session's catalog, partitioned by
 * date, read for one date. The condition reaches the scan as a partition filter, and the run reads
 * only that date's rows. (The session's own in-memory catalog: no metastore to start.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogInputIT {
    @TempDir
    static Path tmp;
    private SparkSession spark;
    private final Fixture iris = Fixture.load("iris_relu_multiclass");

    @BeforeAll
    void start() {
        spark = JobTestSupport.session("local[2]", tmp.resolve("warehouse"));
        // The iris rows landed on two dates: ids 1-100 on 2024-03-01, 101-150 on 2024-03-02
        spark.read().option("header", true).option("inferSchema", true).csv(iris.data().toString())
                .selectExpr("*", "CASE WHEN id <= 100 THEN DATE'2024-03-01' ELSE DATE'2024-03-02' END AS event_date")
                .write().partitionBy("event_date").saveAsTable("landing_iris");
    }

    @AfterAll
    void stop() {
        JobTestSupport.stop(spark);
    }

    private JobConfig config(String name, String where) {
        Path out = tmp.resolve(name);
        JobConfig.InputConfig input = JobConfig.InputConfig.parquet(List.of("unused"), iris.labels(), List.of("id"))
                .fromTable("landing_iris", where);
        return new JobConfig(name, DAY_1, JobTestSupport.modelFile(iris, tmp).toString(), input,
                new JobConfig.OutputConfig(out.resolve("predictions").toString(), JobConfig.Format.PARQUET),
                out.resolve("quarantine").toString(), 0.01, JobConfig.SummaryConfig.atPath(out.resolve("summary").toString()),
                List.of(), List.of());
    }

    @Test
    void theConditionIsAPartitionFilterOfTheScanAndTheRunReadsOneDate() {
        JobConfig c = config("one-date", "event_date = DATE'" + DAY_1 + "'");

        // The scan of the input, as the job plans it, filters partitions by the condition
        Dataset<Row> frame = InputSource.open(spark, c.input()).frame();
        String plan = frame.queryExecution().executedPlan().toString();
        assertTrue(plan.matches("(?s).*PartitionFilters: \\[[^\\]]*\\(event_date#\\d+ = 2024-03-01\\)[^\\]]*\\].*"), plan);

        // And the run reads and scores the 100 rows of that date only
        RunSummary s = new ScoringJob(c, spark).withConsole(QUIET).run();
        assertEquals(100, s.rowsRead());
        assertEquals(100, s.rowsScored());
        assertEquals(List.of("landing_iris WHERE event_date = DATE'" + DAY_1 + "'"), s.inputPaths());
        List<Long> ids = spark.read().parquet(tmp.resolve("one-date/predictions").toString())
                .selectExpr("cast(id as long)").orderBy("id").collectAsList().stream().map(r -> r.getLong(0))
                .collect(Collectors.toList());
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 100).boxed().collect(Collectors.toList()), ids);
    }

    @Test
    void aConditionOnOtherColumnsFiltersTheRowsAndTheCountsAddUp() {
        // ids 91-100 of the first date and 101-110 of the second: 20 rows, whatever Spark's reader read
        RunSummary s = new ScoringJob(config("rows", "id BETWEEN 91 AND 110"), spark).withConsole(QUIET).run();
        assertEquals(20, s.rowsRead());
        assertEquals(20, s.rowsScored());
    }

    @Test
    void aConditionOnAnUnknownColumnIsAnInputErrorNamingTheKey() {
        InputException e = assertThrows(InputException.class,
                () -> new ScoringJob(config("bad-where", "evnt_date = DATE'2024-03-01'"), spark).withConsole(QUIET).run());
        assertTrue(e.getMessage().startsWith("input.where 'evnt_date = DATE'2024-03-01'' does not apply to landing_iris: "),
                e.getMessage());
        assertTrue(java.nio.file.Files.notExists(tmp.resolve("bad-where")), "nothing written");
    }
}
