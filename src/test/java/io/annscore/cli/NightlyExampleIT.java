package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.job.commit.Publisher;
import io.annscore.testing.JobTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/nightly-example.conf} runs as shipped: the job file and its landing sample
 * ({@code jobs/data/landing}, two dates), copied unchanged into a working directory, and
 * {@code ./submit.sh score --job jobs/nightly-example.conf --run-date D} run there with no other
 * option, as the README says. Two dates, a re-run of the first, and a date nothing landed for.
 */
class NightlyExampleIT {
    @TempDir
    Path tmp;

    private SubmitScript.Result night(Path work, String date) throws Exception {
        return SubmitScript.runIn(work, tmp.resolve("night-" + date + "-" + System.nanoTime() + ".log"), 5,
                "score", "--job", "jobs/nightly-example.conf", "--run-date", date);
    }

    @Test
    void twoNightsAReRunAndANightWithoutData() throws Exception {
        // Given the shipped job and landing sample, as a user has them
        Path work = tmp.resolve("work");
        copyTree(SubmitScript.REPO.resolve("jobs"), work.resolve("jobs"));
        Path out = work.resolve("out/nightly");

        // When the two nights run
        SubmitScript.Result first = night(work, "2024-05-30");
        assertEquals(0, first.code(), first.output());
        SubmitScript.Result second = night(work, "2024-05-31");
        assertEquals(0, second.code(), second.output());
        String secondRun = Files.readString(out.resolve("predictions/run_date=2024-05-31").resolve(Publisher.RUN_ID_FILE));
        String firstRun = Files.readString(out.resolve("predictions/run_date=2024-05-30").resolve(Publisher.RUN_ID_FILE));

        // And the first night is run again
        SubmitScript.Result rerun = night(work, "2024-05-30");
        assertEquals(0, rerun.code(), rerun.output());

        // And a night for which nothing landed
        SubmitScript.Result empty = night(work, "2024-06-01");

        // Then the sample's rows are there once, each under its date: odd ids landed on the 30th,
        // even ids on the 31st (jobs/data/landing/iris/2024/05/31 holds two files)
        SparkSession spark = JobTestSupport.session("local[1]", tmp.resolve("warehouse"));
        try {
            assertEquals(odd(true), ids(spark, out, "2024-05-30"));
            assertEquals(odd(false), ids(spark, out, "2024-05-31"));
            List<Row> runs = spark.read().parquet(out.resolve("runs").toString()).orderBy("run_date").collectAsList();
            assertEquals(2, runs.size(), "one summary row per date: the re-run replaced its own");
            for (Row r : runs) {
                assertEquals("iris-nightly", r.getAs("job_name"));
                assertEquals(75L, (long) r.<Long>getAs("rows_read"));
                assertEquals(75L, (long) r.<Long>getAs("rows_scored"));
            }
            // The re-run replaced the 30th and left the 31st as it was
            String rerunId = Files.readString(out.resolve("predictions/run_date=2024-05-30").resolve(Publisher.RUN_ID_FILE));
            assertNotEquals(firstRun, rerunId);
            assertEquals(rerunId, runs.get(0).getAs("run_id"));
            assertEquals(secondRun, runs.get(1).getAs("run_id"));
        } finally {
            JobTestSupport.stop(spark);
        }

        // And the night without data ends with annscore's own line, exit code 4, and publishes nothing
        assertEquals(4, empty.code(), empty.output());
        List<String> errors = SubmitScript.errorLines(empty.output());
        assertEquals(List.of("annscore: input error: no input: jobs/data/landing/iris/2024/06/01/*.csv (input.paths)"
                + " matches no file; nothing has landed for this run date yet, or the path is wrong; nothing was"
                + " published"), errors, empty.output());
        assertTrue(!empty.output().contains("PATH_NOT_FOUND") && !empty.output().contains("SQLSTATE"), empty.output());
        assertTrue(Files.notExists(out.resolve("predictions/run_date=2024-06-01")));
    }

    private static List<Long> odd(boolean odd) {
        return LongStream.rangeClosed(1, 150).filter(i -> (i % 2 == 1) == odd).boxed().collect(Collectors.toList());
    }

    private static List<Long> ids(SparkSession spark, Path out, String date) {
        return spark.read().parquet(out.resolve("predictions").toString()).where("run_date = '" + date + "'")
                .selectExpr("cast(id as long) id").orderBy("id").collectAsList().stream()
                .map(r -> r.getLong(0)).collect(Collectors.toList());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
