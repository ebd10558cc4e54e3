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
}
