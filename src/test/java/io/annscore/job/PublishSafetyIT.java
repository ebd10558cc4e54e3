package io.annscore.job;

import static io.annscore.testing.JobTestSupport.DAY_1;
import static io.annscore.testing.JobTestSupport.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.job.commit.LockHeldException;
import io.annscore.job.commit.Publisher;
import io.annscore.job.commit.RunLock;
import io.annscore.job.summary.RunSummary;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.LocalSpark;
import io.annscore.testing.JobTestSupport.Fixture;
import io.annscore.testing.JobTestSupport.Paths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs that overlap an input or each other are refused before anything is read; one writer per output and date. */
@LocalSpark.Session(master = "local[2]")
class PublishSafetyIT {
    @TempDir
    static Path tmp;
    private SparkSession spark;
    private final Fixture iris = Fixture.load("iris_relu_multiclass");

    private JobConfig config(String name, Path input, Path output, Path quarantine, Path summary) {
        return new JobConfig(name, DAY_1, JobTestSupport.modelFile(iris, tmp).toString(),
                JobTestSupport.csvInput(iris, input), new JobConfig.OutputConfig(output.toString(), JobConfig.Format.PARQUET),
                quarantine.toString(), 0.01, JobConfig.SummaryConfig.atPath(summary.toString()), List.of(), List.of());
    }

    private Path landing(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.copy(iris.data(), file);
        return file;
    }

    @Test
    void anOutputHoldingTheInputIsRefusedAndTheInputKept() throws Exception {
        Path out = tmp.resolve("o1");
        Path input = landing(out.resolve("run_date=" + DAY_1).resolve("landing.csv"));
        JobConfig c = config("overlap1", input, out, tmp.resolve("q1"), tmp.resolve("s1"));
        JobConfigException e = assertThrows(JobConfigException.class, () -> new ScoringJob(c, spark).withConsole(QUIET).run());
        assertTrue(e.getMessage().startsWith("output.path (file:" + out + ") contains input.paths (file:" + input + ")"), e.getMessage());
        assertTrue(Files.exists(input), "the input is still there");
        assertFalse(Files.exists(out.resolve(Publisher.STAGING)), "nothing was staged");
    }

    @Test
    void anOutputEqualToTheInputFolderIsRefused() throws Exception {
        Path folder = tmp.resolve("landing2");
        landing(folder.resolve("part.csv"));
        JobConfig c = config("overlap2", folder, folder, tmp.resolve("q2"), tmp.resolve("s2"));
        JobConfigException e = assertThrows(JobConfigException.class, () -> new ScoringJob(c, spark).withConsole(QUIET).validate());
        assertTrue(e.getMessage().contains("is the same as input.paths"), e.getMessage());
    }

    @Test
    void aSummaryInsideThePredictionsIsRefused() throws Exception {
        Path input = landing(tmp.resolve("in3/iris.csv"));
        Path out = tmp.resolve("o3");
        JobConfig c = config("overlap3", input, out, tmp.resolve("q3"), out.resolve("summary"));
        JobConfigException e = assertThrows(JobConfigException.class, () -> new ScoringJob(c, spark).withConsole(QUIET).run());
        assertEquals("output.path (file:" + out + ") contains summary.path (file:" + out.resolve("summary") + "): outputs must"
                + " not hold, or lie inside, an input or one another", e.getMessage());
    }

    @Test
    void aRunStopsAtOnceWhileAnotherHoldsTheDateAndWaitsWhenAskedTo() throws Exception {
        Path input = landing(tmp.resolve("in4/iris.csv"));
        Paths out = new Paths(tmp.resolve("o4"));
        JobConfig c = JobTestSupport.config("locked", DAY_1, JobTestSupport.modelFile(iris, tmp),
                JobTestSupport.csvInput(iris, input), out, 0.05);
        org.apache.hadoop.fs.Path lockPath = RunLock.lockPath(new org.apache.hadoop.fs.Path(out.predictions().toString()),
                "run_date=" + DAY_1);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try (RunLock held = RunLock.acquire(conf, lockPath, "holder-run", "locked", Duration.ofMinutes(2), Duration.ZERO)) {
            LockHeldException e = assertThrows(LockHeldException.class, () -> new ScoringJob(c, spark).withConsole(QUIET).run());
            assertTrue(e.getMessage().startsWith("run holder-run of job locked on "), e.getMessage());
            assertFalse(Files.exists(out.predictions().resolve("run_date=" + DAY_1)), "nothing was published");
        }
        // With a wait, the run takes the lock once its holder lets go.
        JobConfig waiting = new JobConfig(c.jobName(), c.runDate(), c.modelPath(), c.input(), c.output(), c.quarantinePath(),
                c.maxQuarantineFraction(), c.summary(), c.metrics(), c.segmentColumns(), c.metricThresholds(), c.topK(),
                c.modelTask(), c.modelOutputs(), new JobConfig.LockConfig(60, 120), c.formats(), c.precision(),
                c.monitoring());
        RunLock held = RunLock.acquire(conf, lockPath, "holder-run", "locked", Duration.ofMinutes(2), Duration.ZERO);
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            held.close();
        });
        release.start();
        RunSummary s = new ScoringJob(waiting, spark).withConsole(QUIET).run();
        release.join();
        assertEquals(150, s.rowsScored() + s.rowsQuarantined());
        assertFalse(Files.exists(Path.of(lockPath.toString())), "the lock is released");
    }

    /** Two runs of one date at once: one publishes, the other stops with LockHeldException, and the result is the winner's. */
    @Test
    void twoConcurrentRunsOfOneDate() throws Exception {
        Path input = landing(tmp.resolve("in5/iris.csv"));
        Paths out = new Paths(tmp.resolve("o5"));
        JobConfig c = JobTestSupport.config("race", DAY_1, JobTestSupport.modelFile(iris, tmp),
                JobTestSupport.csvInput(iris, input), out, 0.05);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RunSummary>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(pool.submit(() -> {
                go.await();
                return new ScoringJob(c, spark).withConsole(QUIET).run();
            }));
        }
        go.countDown();
        List<RunSummary> won = new ArrayList<>();
        int locked = 0;
        for (Future<RunSummary> f : runs) {
            try {
                won.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof LockHeldException, String.valueOf(e.getCause()));
                locked++;
            }
        }
        pool.shutdown();
        assertEquals(1, won.size());
        assertEquals(1, locked);
        List<Row> summary = spark.read().parquet(out.summary().toString()).collectAsList();
        assertEquals(1, summary.size());
        assertEquals(won.get(0).runId(), summary.get(0).getAs("run_id"));
        assertEquals(won.get(0).runId(), Files.readString(out.predictions().resolve("run_date=" + DAY_1)
                .resolve(Publisher.RUN_ID_FILE)));
        assertEquals(won.get(0).rowsScored(), spark.read().parquet(out.predictions().toString()).count());
    }
}
