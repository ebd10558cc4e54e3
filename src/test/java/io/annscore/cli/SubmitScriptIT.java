package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./submit.sh on the embedded Spark, as a new user runs it: exit codes and the line they read. */
class SubmitScriptIT {
    @TempDir
    Path tmp;

    @Test
    void nightlyRunWithoutInputForItsDateFailsWithAnInputError() throws Exception {
        // Given a dated layout with data for 2024-02-28 only
        Path day = Files.createDirectories(tmp.resolve("landing/2024/02/28"));
        Files.copy(SubmitScript.REPO.resolve("jobs/data/iris.csv"), day.resolve("iris.csv"));
        String input = tmp.resolve("landing").toString() + "/{run_date:yyyy/MM/dd}/*.csv";

        // When the run for 2024-02-29 starts
        SubmitScript.Result r = SubmitScript.run(null, tmp.resolve("nodata.log"), 5, "score", "--job", "jobs/demo.conf",
                "--run-date", "2024-02-29", "--input", input, "--output", tmp.resolve("out/predictions").toString(),
                "--quarantine", tmp.resolve("out/quarantine").toString(), "--summary", tmp.resolve("out/summary").toString());

        // Then it fails with exit code 4 and one line naming the date's path, and publishes nothing
        assertEquals(4, r.code(), r.output());
        List<String> errors = SubmitScript.errorLines(r.output());
        assertEquals(1, errors.size(), r.output());
        assertTrue(errors.get(0).startsWith("annscore: input error: "), errors.get(0));
        assertTrue(errors.get(0).contains("2024/02/29"), errors.get(0));
        assertTrue(Files.notExists(tmp.resolve("out/predictions")), "nothing published");
    }

    @Test
    void validateChecksTheDemoJobAndScoresNothing() throws Exception {
        Path out = tmp.resolve("v");
        SubmitScript.Result r = SubmitScript.run(null, tmp.resolve("validate.log"), 5, "validate", "--job",
                "jobs/demo.conf", "--output", out.resolve("predictions").toString(),
                "--quarantine", out.resolve("quarantine").toString(), "--summary", out.resolve("summary").toString());
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("valid: job demo for "), r.output());
        assertTrue(Files.notExists(out), "validate writes nothing");
    }

    @Test
    void recoverNeedsOnlyTheOutputsNotTheModel() throws Exception {
        Path out = tmp.resolve("r");
        SubmitScript.Result r = SubmitScript.run(null, tmp.resolve("recover.log"), 5, "recover", "--job",
                "jobs/demo.conf", "--model", tmp.resolve("deleted-model.json").toString(),
                "--output", out.resolve("predictions").toString());
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("nothing to recover under " + out.resolve("predictions")), r.output());
    }

    @Test
    void scriptUsageErrorsExitWithTwo() throws Exception {
        SubmitScript.Result r = SubmitScript.run(null, tmp.resolve("usage.log"), 5, "score", "--job", "jobs/demo.conf",
                "--set", "input.csv.delimitr=;");
        assertEquals(2, r.code(), r.output());
        assertEquals(List.of("annscore: configuration error: unknown key input.csv.delimitr (command line --set);"
                + " did you mean input.csv.delimiter?"), SubmitScript.errorLines(r.output()));
        SubmitScript.Result cluster = SubmitScript.run(null, tmp.resolve("master.log"), 5, "--master", "yarn", "score",
                "--job", "jobs/demo.conf");
        assertEquals(2, cluster.code(), cluster.output());
        assertTrue(cluster.output().startsWith("submit.sh: --master yarn needs Spark's spark-submit"), cluster.output());
    }

    private String[] demo(Path out, String... sparkOptions) {
        List<String> a = new java.util.ArrayList<>(List.of(sparkOptions));
        a.addAll(List.of("score", "--job", "jobs/demo.conf", "--run-date", "2024-05-31",
                "--output", out.resolve("predictions").toString(), "--quarantine", out.resolve("quarantine").toString(),
                "--summary", out.resolve("summary").toString()));
        return a.toArray(new String[0]);
    }

    @Test
    void aFailedTaskIsOneLineNamingItsPartitionAndFile() throws Exception {
        Path out = tmp.resolve("taskfail");
        SubmitScript.Result r = SubmitScript.run(null, tmp.resolve("taskfail.log"), 5,
                demo(out, "--master", "local[2]", "--conf", "spark.annscore.test.failFirstAttemptOfPartition=0"));
        assertEquals(1, r.code(), r.output());
        List<String> errors = SubmitScript.errorLines(r.output());
        assertEquals(1, errors.size(), r.output());
        assertTrue(errors.get(0).startsWith("annscore: failed: a task failed: partition 0 (file file:"), errors.get(0));
        assertTrue(errors.get(0).contains("jobs/data/iris.csv): IllegalStateException: injected failure"), errors.get(0));
        assertTrue(r.output().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace without --debug:\n" + r.output());
        assertTrue(Files.notExists(out.resolve("predictions/run_date=2024-05-31")), "nothing published");
    }

    @Test
    void sigtermStopsWithOneLineAndLeavesNothingBehind() throws Exception {
        Path out = tmp.resolve("sigterm");
        Path log = tmp.resolve("sigterm.log");
        // A run with enough rows (the iris flowers 4,000 times) to be stopped while it scores.
        List<String> iris = Files.readAllLines(SubmitScript.REPO.resolve("jobs/data/iris.csv"));
        Path big = tmp.resolve("big.csv");
        try (java.io.BufferedWriter w = Files.newBufferedWriter(big)) {
            w.write(iris.get(0));
            w.newLine();
            for (int k = 0; k < 4000; k++) {
                for (String line : iris.subList(1, iris.size())) {
                    w.write(line);
                    w.newLine();
                }
            }
        }
        List<String> args = new java.util.ArrayList<>(List.of(demo(out)));
        args.addAll(List.of("--input", big.toString()));
        Process p = SubmitScript.start(null, log, args.toArray(new String[0]));
        long deadline = System.currentTimeMillis() + 240_000;
        while (!Files.readString(log).contains("run ") || !Files.readString(log).contains(" scores ")) {
            assertTrue(System.currentTimeMillis() < deadline, "the run did not start:\n" + Files.readString(log));
            Thread.sleep(200);
        }
        Thread.sleep(1000);
        ProcessHandle jvm = p.descendants().filter(h -> h.info().command().orElse("").endsWith("java")).findFirst()
                .orElse(p.toHandle());
        jvm.destroy(); // SIGTERM
        assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), "still running after SIGTERM");
        String output = Files.readString(log);
        assertEquals(143, p.exitValue(), output);
        List<String> errors = SubmitScript.errorLines(output);
        assertEquals(1, errors.size(), output);
        assertTrue(errors.get(0).startsWith("annscore: stopped: "), errors.get(0));
        assertTrue(Files.notExists(out.resolve("predictions/_staging")), "staging removed");
        assertTrue(Files.notExists(out.resolve("predictions/_annscore/lock-run_date=2024-05-31")), "lock released");
        assertTrue(Files.notExists(out.resolve("predictions/run_date=2024-05-31")), "nothing published");
    }
}
