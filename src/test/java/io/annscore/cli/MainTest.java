package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.importers.ModelLoadException;
import io.annscore.job.InputException;
import io.annscore.job.QuarantineLimitException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages of the command line, for failures found before Spark starts. */
class MainTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    /** The error output is exactly one line starting with the given text. */
    private void assertOneLine(String start) {
        assertTrue(err.startsWith(start), "expected a line starting with [" + start + "], got [" + err + "]");
        assertEquals(1, err.lines().count(), "one line expected, got:\n" + err);
    }

    private Path model() throws Exception {
        Path m = dir.resolve("m.json");
        Files.writeString(m, "{}");
        return m;
    }

    @Test
    void unknownFlagIsAUsageErrorWithASuggestion() {
        assertEquals(2, run("score", "--inptu", "x.csv"));
        assertOneLine("annscore: usage error: Unknown options: '--inptu', 'x.csv'; did you mean --input or --input-format?");
        assertTrue(err.contains("(see submit.sh score --help)"), err);
    }

    @Test
    void unknownCommandAndNoCommandAreUsageErrors() {
        assertEquals(2, run("scroe"));
        assertOneLine("annscore: usage error: Unmatched argument at index 0: 'scroe'; did you mean score");
        assertEquals(2, run());
        assertTrue(err.contains("Usage: ./submit.sh [spark options] <command> [options]"), err);
    }

    @Test
    void missingOptionValueIsAUsageError() {
        assertEquals(2, run("score", "--model"));
        assertOneLine("annscore: usage error: Missing required parameter for option '--model'");
    }

    @Test
    void unknownKeyInAJobFileIsAConfigurationError() throws Exception {
        Path job = dir.resolve("j.conf");
        Files.writeString(job, "model.path = m.json\ninput.paths = [a.csv]\noutput.path = o\nouput.format = csv\n");
        assertEquals(2, run("score", "--job", job.toString()));
        assertOneLine("annscore: configuration error: unknown key ouput.format (" + job + ": 4); did you mean output.format?");
    }

    @Test
    void unknownKeyBySetIsAConfigurationError() throws Exception {
        assertEquals(2, run("validate", "--model", model().toString(), "--input", "a.csv", "--output", "o",
                "--set", "input.csv.delimeter=;"));
        assertOneLine("annscore: configuration error: unknown key input.csv.delimeter (command line --set);"
                + " did you mean input.csv.delimiter?");
    }

    @Test
    void malformedRunDateIsAConfigurationError() throws Exception {
        assertEquals(2, run("score", "--model", model().toString(), "--input", "a.csv", "--output", "o",
                "--run-date", "2024-5-1"));
        assertOneLine("annscore: configuration error: key run-date: expected a date yyyy-MM-dd with a 4-digit year,"
                + " found '202…' (8 characters) (command line --run-date)");
    }

    @Test
    void aRunDateBeyondYear9999IsAConfigurationError() throws Exception {
        assertEquals(2, run("score", "--model", model().toString(), "--input", "a.csv", "--output", "o",
                "--run-date", "+10000-01-01"));
        assertOneLine("annscore: configuration error: key run-date: expected a date yyyy-MM-dd with a 4-digit year,"
                + " found '+10…' (12 characters) (command line --run-date)");
    }

    @Test
    void wrongFormatIsAConfigurationError() throws Exception {
        assertEquals(2, run("score", "--model", model().toString(), "--input", "a.xls", "--input-format", "xls",
                "--output", "o"));
        assertOneLine("annscore: configuration error: key input.format: expected csv or parquet, found 'xls'");
    }

    @Test
    void missingModelFileIsAModelError() {
        Path missing = dir.resolve("nope/model.json");
        assertEquals(3, run("score", "--model", missing.toString(), "--input", "a.csv", "--output", "o"));
        assertOneLine("annscore: model error: model.path " + missing + ": no such file or directory");
        assertEquals(3, run("validate", "--model", "file:" + missing, "--input", "a.csv", "--output", "o"));
        assertEquals(3, run("inspect", missing.toString()));
        assertOneLine("annscore: model error: model " + missing + ": no such file or directory");
    }

    @Test
    void stackTraceOnlyWithDebug() {
        Path missing = dir.resolve("model.json");
        assertEquals(3, run("score", "--debug", "--model", missing.toString(), "--input", "a.csv", "--output", "o"));
        assertTrue(err.lines().count() > 3, err);
        assertTrue(err.contains("at io.annscore.cli."), err);
        assertEquals(3, run("score", "--model", missing.toString(), "--input", "a.csv", "--output", "o"));
        assertFalse(err.contains("\tat "), err);
    }

    @Test
    void helpExitsZero() {
        assertEquals(0, run("score", "--help"));
        assertTrue(out.contains("--max-quarantine-fraction=F"), out);
        assertEquals(0, run("--help"));
        assertTrue(out.contains("inspect"), out);
    }

    @Test
    void exceptionKindsMapToExitCodesThroughWrappers() {
        // Spark wraps driver-side exceptions; the first known kind in the cause chain decides.
        RuntimeException wrappedInput = new RuntimeException("Job aborted", new InputException("no input for 2024-05-01"));
        assertEquals(ExitCode.INPUT, ExitCode.classify(wrappedInput).code());
        assertEquals(ExitCode.QUARANTINE_LIMIT,
                ExitCode.classify(new IllegalStateException(new QuarantineLimitException(100, 7, 0.05))).code());
        assertEquals(ExitCode.FAILURE, ExitCode.classify(new IllegalStateException("disk full")).code());
        assertEquals(ExitCode.MODEL, ExitCode.classify(new ModelNotFoundException("gone")).code());
        assertEquals(ExitCode.MODEL, ExitCode.classify(new io.annscore.importers.ModelLoadException("bad model",
                new io.annscore.model.ModelFormatException("layer 1: expected 16 inputs, found 15"))).code());
        assertEquals(ExitCode.MODEL, ExitCode.classify(new RuntimeException(
                new io.annscore.importers.ImportException("node 3: unsupported op Conv"))).code());
    }

    @Test
    void reportPrintsTheKnownKindsMessageOnOneLine() {
        StringWriter e = new StringWriter();
        int code = Main.report(new PrintWriter(e), new RuntimeException("wrapper",
                new InputException("input.paths matched no file for run date 2024-05-01:\n  data/2024/05/01/*.csv")),
                false, null);
        assertEquals(4, code);
        assertEquals("annscore: input error: input.paths matched no file for run date 2024-05-01: data/2024/05/01/*.csv",
                e.toString().strip());

        StringWriter f = new StringWriter();
        assertEquals(5, Main.report(new PrintWriter(f), new QuarantineLimitException(200, 10, 0.01), false, null));
        assertEquals("annscore: quarantine limit exceeded: 10 of 200 rows read were quarantined (0.0500), more than"
                + " quarantine.max-fraction = 0.01; nothing was published", f.toString().strip());

        StringWriter g = new StringWriter();
        assertEquals(1, Main.report(new PrintWriter(g), new RuntimeException("outer",
                new java.io.IOException("disk full\nmore details")), false, null));
        assertEquals("annscore: failed: IOException: disk full (run with --debug for the stack trace)", g.toString().strip());
    }
}
