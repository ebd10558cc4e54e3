package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.job.commit.Journal;
import io.annscore.job.commit.Publisher;
import io.annscore.job.commit.Recovery;
import io.annscore.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real kills of real runs: {@code ./submit.sh score} in a child JVM, killed with SIGKILL at a
 * random moment, or halted (as a kill -9 would: no hook, no finally) right after a step of
 * publishing. After each kill, the date's predictions are all old or all new (or, between the two
 * renames of the predictions, absent with the journal there to finish them), and nothing under
 * staging is visible; once recovered, the predictions, the quarantine and the summary are of one
 * run, and the summary counts the rows that are there. The number of kills is
 * {@code -Dannscore.torture.runs} (a few in CI; 20 or more in the bench profile).
 */
@LocalSpark.Session(master = "local[1]")
class PublishKillIT {
    private static final String DAY = "2024-05-31";
    private static final String[] HALT_STEPS = {"journal", "move-1", "move-2", "move-4", "staged", "committed", "move-5"};

    @TempDir
    static Path tmp;
    private SparkSession spark;

    private Path out(String name) {
        return tmp.resolve("out").resolve(name);
    }

    /** The run's command line; {@code sparkOptions} go before the command, as submit.sh takes them. */
    private List<String> scoreArgs(Path input, String... sparkOptions) {
        List<String> a = new ArrayList<>(List.of(sparkOptions));
        a.addAll(List.of("score", "--model", "jobs/models/iris.json", "--input", input.toString(),
                "--label", "label", "--id", "id", "--run-date", DAY, "--output", out("predictions").toString(),
                "--quarantine", out("quarantine").toString(), "--summary", out("summary").toString(),
                "--max-quarantine-fraction", "1", "--set", "lock.lease-seconds=2"));
        return a;
    }

    @Test
    void killedRunsLoseNothingAndTheNextRunFinishesThem() throws Exception {
        int runs = Integer.getInteger("annscore.torture.runs", 3);
        List<String> lines = Files.readAllLines(SubmitScript.REPO.resolve("jobs/data/iris.csv"));
        Path v150 = tmp.resolve("v150.csv");
        Path v100 = tmp.resolve("v100.csv");
        Files.write(v150, lines);
        Files.write(v100, lines.subList(0, 101));
        SubmitScript.Result first = SubmitScript.run(null, tmp.resolve("first.log"), 5, scoreArgs(v150).toArray(new String[0]));
        assertEquals(0, first.code(), first.output());
        long current = 150;
        Random random = new Random(20261201L);
        for (int i = 0; i < runs; i++) {
            long next = current == 150 ? 100 : 150;
            Path input = next == 150 ? v150 : v100;
            Path log = tmp.resolve("kill-" + i + ".log");
            String how;
            Process p;
            if (i % 2 == 0) {
                String step = HALT_STEPS[(i / 2) % HALT_STEPS.length];
                how = "halted after " + step;
                p = SubmitScript.start(null, log, scoreArgs(input, "--conf", "spark.annscore.test.haltAt=" + step)
                        .toArray(new String[0]));
                assertTrue(p.waitFor(5, TimeUnit.MINUTES), how);
                assertEquals(137, p.exitValue(), how + ": " + Files.readString(log));
            } else {
                long after = 3000 + random.nextInt(20_000);
                how = "killed after " + after + " ms";
                p = SubmitScript.start(null, log, scoreArgs(input).toArray(new String[0]));
                if (p.waitFor(after, TimeUnit.MILLISECONDS)) {
                    how += " (it had finished)";
                }
                SubmitScript.kill(p);
                p.waitFor(1, TimeUnit.MINUTES);
            }
            long seen = checkAfterKill(how, current, next);
            // A journal means the run had committed: recovery must finish it. Without one, what is there stays.
            boolean committed = Files.exists(out("predictions").resolve(Journal.FOLDER).resolve("journal-run_date=" + DAY));
            Thread.sleep(2500); // the killed run's lease runs out
            Configuration conf = spark.sparkContext().hadoopConfiguration();
            Recovery.recoverAll(conf, new org.apache.hadoop.fs.Path(out("predictions").toString()), "test-" + i, "test",
                    Duration.ofSeconds(2), Duration.ofSeconds(10));
            current = checkWhole(how, committed ? next : seen);
        }
        // A run halted before its journal leaves staging; the next run of the job and date removes it,
        // and nothing of another job, or of the older naming (a run id alone).
        Process halted = SubmitScript.start(null, tmp.resolve("halt-staged.log"),
                scoreArgs(v100, "--conf", "spark.annscore.test.haltAt=staged").toArray(new String[0]));
        assertTrue(halted.waitFor(5, TimeUnit.MINUTES));
        assertEquals(137, halted.exitValue(), Files.readString(tmp.resolve("halt-staged.log")));
        assertTrue(stagingFolders().stream().anyMatch(f -> f.getFileName().toString().startsWith("annscore~" + DAY + "~")),
                "the halted run left its staging: " + stagingFolders());
        Path otherJob = Files.createDirectories(out("quarantine").resolve(Publisher.STAGING)
                .resolve("other~" + DAY + "~00000000~r1").resolve("quarantine"));
        Path olderForm = Files.createDirectories(out("summary").resolve(Publisher.STAGING)
                .resolve("3f2a9c1e-0000-4000-8000-000000000001").resolve("summary"));
        Thread.sleep(2500); // the halted run's lease runs out
        SubmitScript.Result last = SubmitScript.run(null, tmp.resolve("last.log"), 5, scoreArgs(v150).toArray(new String[0]));
        assertEquals(0, last.code(), last.output());
        assertEquals(150, checkWhole("a last run", 150));
        assertEquals(List.of(otherJob.getParent(), olderForm.getParent()), stagingFolders(),
                "only the other job's and the older form's staging remain");
    }

    /** Every run folder under a {@code _staging} folder of any output, sorted. */
    private List<Path> stagingFolders() throws Exception {
        try (java.util.stream.Stream<Path> all = Files.walk(tmp.resolve("out"))) {
            return all.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals(Publisher.STAGING))
                    .sorted().toList();
        }
    }

    /** Returns the date's predictions' row count after the kill, 0 when absent (between two renames). */
    private long checkAfterKill(String how, long old, long next) throws Exception {
        Path date = out("predictions").resolve("run_date=" + DAY);
        if (!Files.isDirectory(date)) {
            assertTrue(Files.exists(out("predictions").resolve(Journal.FOLDER).resolve("journal-run_date=" + DAY)),
                    how + ": no predictions and no journal to finish them");
            return 0;
        }
        long rows = spark.read().parquet(out("predictions").toString()).count();
        assertTrue(rows == old || rows == next, how + ": " + rows + " predictions, neither the old " + old + " nor the new " + next);
        assertEquals(rows, spark.read().parquet(date.toString()).count(), how + ": staged rows are visible");
        return rows;
    }

    /** The date is of one run: predictions, quarantine and summary agree. Returns the rows scored. */
    private long checkWhole(String how, long expected) throws Exception {
        Path date = out("predictions").resolve("run_date=" + DAY);
        String runId = Files.readString(date.resolve(Publisher.RUN_ID_FILE));
        List<Row> summary = spark.read().parquet(out("summary").toString()).collectAsList();
        assertEquals(1, summary.size(), how);
        assertEquals(runId, summary.get(0).getAs("run_id"), how + ": the summary is of another run than the predictions");
        long rows = spark.read().parquet(out("predictions").toString()).count();
        assertEquals((long) summary.get(0).<Long>getAs("rows_scored"), rows, how);
        assertEquals(expected, rows, how);
        assertTrue(Files.notExists(out("predictions").resolve(Journal.FOLDER).resolve("journal-run_date=" + DAY)), how);
        assertTrue(Files.isDirectory(out("quarantine").resolve("run_date=" + DAY)), how);
        return rows;
    }
}
