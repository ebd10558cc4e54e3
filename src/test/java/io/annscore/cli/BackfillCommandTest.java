package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The backfill's command line, exit-code rule and table, without Spark. */
class BackfillCommandTest {
    private static BackfillCommand parse(String... args) {
        CommandLine cl = new CommandLine(new BackfillCommand());
        cl.parseArgs(args);
        return cl.getCommand();
    }

    private static String usageError(String... args) {
        return assertThrows(ParameterException.class, () -> parse(args).dates()).getMessage();
    }

    @Test
    void aRangeIsEveryDayFromTheFirstToTheLastIncluded() {
        // Given a range across the end of February in a leap year
        List<LocalDate> dates = parse("--from", "2024-02-27", "--to", "2024-03-01").dates();
        // Then it holds the four days, 29 February included
        assertEquals(List.of(LocalDate.of(2024, 2, 27), LocalDate.of(2024, 2, 28), LocalDate.of(2024, 2, 29),
                LocalDate.of(2024, 3, 1)), dates);
        assertEquals(List.of(LocalDate.of(2024, 5, 31)), parse("--from", "2024-05-31", "--to", "2024-05-31").dates());
    }

    @Test
    void aListIsScoredInDateOrderEachDateOnce() {
        assertEquals(List.of(LocalDate.of(2024, 5, 1), LocalDate.of(2024, 5, 3), LocalDate.of(2024, 5, 9)),
                parse("--dates", "2024-05-09,2024-05-01", "--dates", "2024-05-03,2024-05-01").dates());
    }

    @Test
    void wrongDatesAndMixedFormsAreUsageErrorsNamingTheFlag() {
        assertEquals("--to 2024-05-01 is before --from 2024-05-02", usageError("--from", "2024-05-02", "--to", "2024-05-01"));
        assertEquals("--from: expected a date YYYY-MM-DD, found '2024-02-30'", usageError("--from", "2024-02-30", "--to", "2024-03-01"));
        assertEquals("--dates: expected a date YYYY-MM-DD, found '24-05-01'", usageError("--dates", "24-05-01"));
        assertEquals("give either --from/--to or --dates, not both", usageError("--from", "2024-05-01", "--to", "2024-05-02",
                "--dates", "2024-05-03"));
        assertEquals("backfill needs --from and --to, or --dates", usageError("--from", "2024-05-01"));
        assertEquals("backfill takes --from/--to or --dates, not --run-date", usageError("--run-date", "2024-05-01",
                "--dates", "2024-05-03"));
        assertEquals("--parallel must lie in 1..32, found 0", usageError("--dates", "2024-05-03", "--parallel", "0"));
        assertTrue(usageError("--from", "2000-01-01", "--to", "2204-01-01").endsWith("spans more than 3660 dates"));
    }

    @Test
    void theExitCodeIsTheWorstOfTheDatesOnesThatNeedAPersonFirst() {
        assertEquals(ExitCode.OK, ExitCode.worst(List.of()));
        assertEquals(ExitCode.OK, ExitCode.worst(List.of(ExitCode.OK, ExitCode.OK)));
        // What may go away by itself (no input yet, a held lock) ranks below bad data, which ranks below a bad model
        assertEquals(ExitCode.INPUT, ExitCode.worst(List.of(ExitCode.OK, ExitCode.LOCKED, ExitCode.INPUT)));
        assertEquals(ExitCode.QUARANTINE_LIMIT, ExitCode.worst(List.of(ExitCode.INPUT, ExitCode.QUARANTINE_LIMIT, ExitCode.LOCKED)));
        assertEquals(ExitCode.MODEL, ExitCode.worst(List.of(ExitCode.QUARANTINE_LIMIT, ExitCode.MODEL)));
        assertEquals(ExitCode.USAGE, ExitCode.worst(List.of(ExitCode.MODEL, ExitCode.USAGE)));
        assertEquals(ExitCode.FAILURE, ExitCode.worst(List.of(ExitCode.USAGE, ExitCode.FAILURE, ExitCode.INPUT)));
    }

    @Test
    void theTableHasOneRowPerDateAndTheCounts() {
        LocalDate d = LocalDate.of(2024, 5, 1);
        List<BackfillCommand.DateRow> rows = List.of(
                new BackfillCommand.DateRow(d, BackfillCommand.Result.PUBLISHED, ExitCode.OK, 150, 2.04, "150 scored"),
                new BackfillCommand.DateRow(d.plusDays(1), BackfillCommand.Result.SKIPPED, ExitCode.OK, -1, 0.3, "same"),
                new BackfillCommand.DateRow(d.plusDays(2), BackfillCommand.Result.FAILED, ExitCode.INPUT, -1, 0.2, "input error: x"),
                new BackfillCommand.DateRow(d.plusDays(3), BackfillCommand.Result.NOT_RUN, null, -1, 0, "not run"));
        assertEquals(String.join("\n",
                "run_date    result     exit   rows_read   seconds  detail",
                "2024-05-01  published     0         150       2.0  150 scored",
                "2024-05-02  skipped       0           -       0.3  same",
                "2024-05-03  failed        4           -       0.2  input error: x",
                "2024-05-04  not run       -           -       0.0  not run",
                "backfill: 4 dates: 1 published, 1 skipped, 1 failed, 1 not run; exit code 4", ""),
                BackfillCommand.table(rows).replace(System.lineSeparator(), "\n"));
    }
}
