package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.job.commit.Journal;
import io.annscore.testing.LocalSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code backfill}: five dates, one without input and one over the quarantine limit, run in this
 * JVM's session (the first run, a re-run, a changed input seen by --dry-run, --force with
 * --parallel 2, --fail-fast); then a real {@code ./submit.sh backfill} killed with SIGKILL after
 * two dates and started again.
 */
@LocalSpark.Session(master = "local[2]")
class BackfillIT {
    private static final Pattern TABLE_ROW = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d)  (published|skipped|failed|not run)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(.*)$");

    @TempDir
    static Path tmp;
    private SparkSession spark;
    private List<String> iris;

    @BeforeAll
    void readIris() throws IOException {
        iris = Files.readAllLines(SubmitScript.REPO.resolve("jobs/data/iris.csv"));
    }

    private record Run(int code, String out, String err, Map<String, String[]> rows) {
        String result(String date) {
            return rows.get(date)[0];
        }

        String exit(String date) {
            return rows.get(date)[1];
        }

        String detail(String date) {
            return rows.get(date)[4];
        }
    }

    /** The final table's rows by date: result, exit, rows_read, seconds, detail. */
    private static Map<String, String[]> tableRows(String output) {
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            Matcher m = TABLE_ROW.matcher(line);
            if (m.matches()) {
                rows.put(m.group(1), new String[] {m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)});
            }
        }
        return rows;
    }

    private void writeIris(Path file, int rows, int brokenRows) throws IOException {
        Files.createDirectories(file.getParent());
        List<String> lines = new ArrayList<>(iris.subList(0, rows + 1));
        for (int i = 1; i <= brokenRows; i++) {
            String l = lines.get(i);
            lines.set(i, l.substring(0, l.lastIndexOf(',', l.lastIndexOf(',') - 1)) + ",n/a" + l.substring(l.lastIndexOf(',')));
        }
        Files.write(file, lines);
    }

    private static Path day(Path root, String date) {
        return root.resolve("landing").resolve(date.replace('-', '/')).resolve("part-0.csv");
    }

    private static List<String> jobArgs(Path root) {
        return List.of("--model", SubmitScript.REPO.resolve("jobs/models/iris.json").toString(),
                "--input", root.resolve("landing") + "/{run_date:yyyy/MM/dd}/*.csv", "--label", "label", "--id", "id",
                "--output", root.resolve("out/predictions").toString(), "--quarantine", root.resolve("out/quarantine").toString(),
                "--summary", root.resolve("out/summary").toString());
    }

    /** The backfill command in this JVM, on the test's session. */
    private Run backfill(Path root, String... more) {
        List<String> args = new ArrayList<>(jobArgs(root));
        args.addAll(List.of(more));
        CommandLine cl = new CommandLine(new BackfillCommand());
        cl.parseArgs(args.toArray(new String[0]));
        BackfillCommand cmd = cl.getCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = cmd.execute(spark, cmd.dates(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString(), tableRows(out.toString()));
    }

    /** run_date → run_id of the summary's run rows. */
    private Map<String, String> summaryRuns(Path root) {
        Map<String, String> runs = new TreeMap<>();
        if (Files.isDirectory(root.resolve("out/summary"))) {
            for (Row r : spark.read().parquet(root.resolve("out/summary").toString()).where("segment IS NULL")
                    .select("run_date", "run_id").collectAsList()) {
                runs.put(r.get(0).toString(), r.getString(1));
            }
        }
        return runs;
    }

    private long predictions(Path root, String date) {
        return spark.read().parquet(root.resolve("out/predictions").resolve("run_date=" + date).toString()).count();
    }

    /** Every file under {@code dir} with its size and modification time. */
    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> {
                try {
                    return p + " " + (Files.isDirectory(p) ? "dir" : Files.size(p)) + " " + Files.getLastModifiedTime(p).toMillis();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    /** The fingerprint of one local file, computed here from its description in README ("Summary"). */
    private static String fingerprintOf(Path file) throws Exception {
        String line = "file:" + file.toAbsolutePath() + "\t" + Files.size(file) + "\t" + Files.getLastModifiedTime(file).toMillis() + "\n";
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
        return "sha256:" + hex + ";files=1;bytes=" + Files.size(file);
    }

    @Test
    void fiveDatesWithAMissingInputAndAQuarantinedDateThenReRunsDryRunForceAndFailFast() throws Exception {
        // Given five dates: 06-03 has no input, 06-05 has 10 of 150 rows unreadable (6.7% > the 1% allowed)
        Path root = tmp.resolve("inprocess");
        for (String d : List.of("2024-06-01", "2024-06-02", "2024-06-04")) {
            writeIris(day(root, d), 150, 0);
        }
        writeIris(day(root, "2024-06-05"), 150, 10);

        // When the range is backfilled
        Run first = backfill(root, "--from", "2024-06-01", "--to", "2024-06-05");

        // Then the other dates are published, the two failed with their codes, and the exit code is the worse: 5
        assertEquals(5, first.code(), first.out() + first.err());
        assertEquals(List.of("2024-06-01", "2024-06-02", "2024-06-03", "2024-06-04", "2024-06-05"), List.copyOf(first.rows().keySet()));
        for (String d : List.of("2024-06-01", "2024-06-02", "2024-06-04")) {
            assertEquals("published", first.result(d), first.out());
            assertEquals("0", first.exit(d));
            assertEquals("150", first.rows().get(d)[2]);
            assertEquals(150, predictions(root, d));
        }
        assertEquals("failed", first.result("2024-06-03"));
        assertEquals("4", first.exit("2024-06-03"));
        assertTrue(first.detail("2024-06-03").startsWith("input error: ") && first.detail("2024-06-03").contains("2024/06/03"),
                first.detail("2024-06-03"));
        assertEquals("failed", first.result("2024-06-05"));
        assertEquals("5", first.exit("2024-06-05"));
        assertTrue(first.detail("2024-06-05").startsWith("quarantine limit exceeded: "), first.detail("2024-06-05"));
        assertTrue(first.err().contains("annscore: 2024-06-03: input error: "), first.err());
        assertTrue(first.err().contains("annscore: 2024-06-05: quarantine limit exceeded: "), first.err());
        assertTrue(first.out().contains("backfill: 5 dates: 3 published, 0 skipped, 2 failed, 0 not run; exit code 5"), first.out());
        for (String folder : List.of("predictions", "quarantine")) {
            for (String d : List.of("2024-06-03", "2024-06-05")) {
                assertFalse(Files.exists(root.resolve("out").resolve(folder).resolve("run_date=" + d)), folder + " " + d);
            }
        }
        Map<String, String> runs = summaryRuns(root);
        assertEquals(List.of("2024-06-01", "2024-06-02", "2024-06-04"), List.copyOf(runs.keySet()));
        Row day1 = spark.read().parquet(root.resolve("out/summary/job_name=annscore/run_date=2024-06-01").toString()).first();
        assertEquals(fingerprintOf(day(root, "2024-06-01")), day1.getAs("input_fingerprint"));

        // When it runs again: every done date is skipped, nothing of them is rewritten
        Run again = backfill(root, "--from", "2024-06-01", "--to", "2024-06-05");
        assertEquals(5, again.code(), again.out() + again.err());
        for (String d : runs.keySet()) {
            assertEquals("skipped", again.result(d), again.out());
            assertTrue(again.detail(d).contains(runs.get(d)) && again.detail(d).endsWith("with the same model and input"),
                    again.detail(d));
        }
        assertEquals(runs, summaryRuns(root));

        // When 06-02's input is landed again (100 rows): --dry-run says what would be done, and writes nothing
        writeIris(day(root, "2024-06-02"), 100, 0);
        List<String> before = tree(root);
        Run dry = backfill(root, "--from", "2024-06-01", "--to", "2024-06-05", "--dry-run");
        assertEquals(before, tree(root), "--dry-run wrote nothing");
        assertEquals(4, dry.code(), dry.out());
        Map<String, String> actions = new TreeMap<>();
        for (String line : dry.out().split("\\R")) {
            if (line.matches("^2024-06-0\\d  .*")) {
                actions.put(line.substring(0, 10), line.substring(12, 20).strip());
            }
        }
        assertEquals(Map.of("2024-06-01", "skip", "2024-06-02", "replace", "2024-06-03", "fail 4", "2024-06-04", "skip",
                "2024-06-05", "score"), actions, dry.out());
        assertTrue(dry.out().lines().anyMatch(l -> l.startsWith("2024-06-03") && l.contains("not found")), dry.out());
        assertTrue(dry.out().lines().anyMatch(l -> l.startsWith("2024-06-02") && l.contains("found: 1 file, ")
                && l.contains("the input changed since run " + runs.get("2024-06-02"))), dry.out());

        // When --force (two dates at a time): the done dates are all replaced, 06-02 with its new input
        Run forced = backfill(root, "--from", "2024-06-01", "--to", "2024-06-05", "--force", "--parallel", "2");
        assertEquals(5, forced.code(), forced.out() + forced.err());
        Map<String, String> replaced = summaryRuns(root);
        for (String d : runs.keySet()) {
            assertEquals("published", forced.result(d), forced.out());
            assertTrue(forced.detail(d).contains("replaced: "), forced.detail(d));
            assertNotEquals(runs.get(d), replaced.get(d), d);
            assertTrue(forced.detail(d).contains(replaced.get(d)), forced.detail(d));
        }
        assertEquals(100, predictions(root, "2024-06-02"));
        assertEquals(150, predictions(root, "2024-06-01"));

        // When --fail-fast meets the missing date first: the dates after it are not run
        Run fast = backfill(root, "--dates", "2024-06-03,2024-06-04", "--fail-fast", "--force");
        assertEquals(4, fast.code(), fast.out());
        assertEquals("failed", fast.result("2024-06-03"));
        assertEquals("not run", fast.result("2024-06-04"));
        assertEquals("-", fast.exit("2024-06-04"));
        assertEquals(replaced, summaryRuns(root));
    }

    @Test
    void aBackfillKilledAfterTwoDatesResumesAtTheThird() throws Exception {
        // Given five dates of input
        Path root = tmp.resolve("kill");
        List<String> dates = List.of("2024-07-01", "2024-07-02", "2024-07-03", "2024-07-04", "2024-07-05");
        for (String d : dates) {
            writeIris(day(root, d), 150, 0);
        }
        List<String> args = new ArrayList<>(List.of("--master", "local[1]", "backfill"));
        args.addAll(jobArgs(root));
        args.addAll(List.of("--from", "2024-07-01", "--to", "2024-07-05", "--set", "lock.lease-seconds=3"));

        // When ./submit.sh backfill is killed with SIGKILL as soon as it starts the third date
        Path log = tmp.resolve("backfill-killed.log");
        Process p = SubmitScript.start(null, log, args.toArray(new String[0]));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        try {
            while (!Files.readString(log).contains("backfill: scoring 2024-07-03")) {
                assertTrue(p.isAlive(), "the backfill ended before the third date:\n" + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "no third date in 5 minutes:\n" + Files.readString(log));
                Thread.sleep(20);
            }
        } finally {
            SubmitScript.kill(p);
        }
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(137, p.exitValue(), Files.readString(log));
        Map<String, String> afterKill = summaryRuns(root);
        assertEquals(List.of("2024-07-01", "2024-07-02"), List.copyOf(afterKill.keySet()), Files.readString(log));

        // Then started again, it skips the two done dates and scores the third onwards
        SubmitScript.Result resumed = SubmitScript.run(null, tmp.resolve("backfill-resumed.log"), 5, args.toArray(new String[0]));
        assertEquals(0, resumed.code(), resumed.output());
        Map<String, String[]> rows = tableRows(resumed.output());
        assertEquals(dates, List.copyOf(rows.keySet()), resumed.output());
        assertEquals("skipped", rows.get("2024-07-01")[0]);
        assertEquals("skipped", rows.get("2024-07-02")[0]);
        for (String d : dates.subList(2, 5)) {
            assertEquals("published", rows.get(d)[0], resumed.output());
        }
        Map<String, String> runs = summaryRuns(root);
        assertEquals(dates, List.copyOf(runs.keySet()));
        assertEquals(afterKill.get("2024-07-01"), runs.get("2024-07-01"));
        assertEquals(afterKill.get("2024-07-02"), runs.get("2024-07-02"));
        assertEquals(750, spark.read().parquet(root.resolve("out/predictions").toString()).count());
        try (Stream<Path> left = Files.list(root.resolve("out/predictions"))) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().equals(Journal.FOLDER)
                    && f.resolve("journal-run_date=2024-07-03").toFile().exists()));
        }
    }
}
