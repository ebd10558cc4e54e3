package io.annscore.cli;

import io.annscore.job.JobConfig;
import io.annscore.job.ScoringJob;
import io.annscore.job.plan.InputFingerprint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code backfill}: scores a range or list of dates in one Spark application, one after another
 * (or {@code --parallel N} at a time). Each date is its own run, exactly as {@code score
 * --run-date D} would make it: its own templated paths, checks, lock, recovery, journal and
 * summary row ({@link ScoringJob#runUnlessDone}). A date whose summary shows a published run with
 * the same model and input is skipped unless {@code --force}. One date's failure does not stop the
 * others unless {@code --fail-fast}; a date another run holds is tried again once at the end. The
 * command prints a table with one row per date and exits with the worst of their codes
 * ({@link ExitCode#worst}).
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Scores a range of dates (--from/--to) or a list (--dates) in one Spark application, each date",
                "validated, scored and committed as `score --run-date` would. Dates already published with the same",
                "model and input are skipped (unless --force); a killed backfill started again resumes.",
                "Prints one row per date and exits with the worst of the dates' exit codes."})
final class BackfillCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillCommand.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);
    /** More dates than this in one backfill is taken for a typo in a year (ten years of days). */
    static final int MAX_DATES = 3660;
    static final int MAX_PARALLEL = 32;

    @Mixin
    JobOptions job;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "The first date (with --to).")
    String from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "The last date, included (with --from).")
    String to;

    @Option(names = "--dates", paramLabel = "D1,D2,...", split = ",",
            description = "The dates to score, instead of --from/--to (repeatable; scored in date order, each once).")
    List<String> dateList;

    @Option(names = "--force", description = "Score every date again, also those published with the same model and input.")
    boolean force;

    @Option(names = "--fail-fast", description = "Stop at the first date that fails; the dates after it are not run.")
    boolean failFast;

    @Option(names = "--dry-run", description = "List each date, its resolved inputs, whether they were found and what"
            + " would be done (score, skip, replace); read only, write nothing.")
    boolean dryRun;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "Run up to N dates at a time in the one application (default 1: one at a time).")
    int parallel;

    @Spec
    CommandSpec spec;

    /** What became of one date. */
    enum Result {
        PUBLISHED("published"), SKIPPED("skipped"), FAILED("failed"), NOT_RUN("not run");

        final String word;

        Result(String word) {
            this.word = word;
        }
    }

    /**
     * One row of the final table.
     *
     * @param rows the rows read (published dates), else -1
     * @param detail one line: what was published or replaced, why the date was skipped, or the error
     */
    record DateRow(LocalDate date, Result result, ExitCode code, long rows, double seconds, String detail) {
    }

    @Override
    public Integer call() {
        List<LocalDate> dates = dates();
        // A configuration error common to every date stops the backfill here, before Spark starts (exit 2).
        JobConfig first = job.loadForDate(dates.get(0), source());
        LOG.info("backfill of job {}, {} dates from {} to {}; effective configuration of the first:\n{}",
                first.jobName(), dates.size(), dates.get(0), dates.get(dates.size() - 1),
                io.annscore.cli.jobfile.JobFileLoader.describe(first));
        SparkSession spark = SparkRun.start(first);
        try {
            return execute(spark, dates, spec.commandLine().getOut(), spec.commandLine().getErr());
        } finally {
            spark.stop();
        }
    }

    private String source() {
        return dateList != null ? "--dates" : "--from/--to";
    }

    private boolean debug() {
        return spec.root().userObject() instanceof Main m && m.debug;
    }

    /** The dates, checked: --from/--to or --dates, in date order, each once. */
    List<LocalDate> dates() {
        if (job.runDate != null) {
            throw usage("backfill takes --from/--to or --dates, not --run-date");
        }
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw usage("--parallel must lie in 1.." + MAX_PARALLEL + ", found " + parallel);
        }
        TreeSet<LocalDate> dates = new TreeSet<>();
        if (dateList != null) {
            if (from != null || to != null) {
                throw usage("give either --from/--to or --dates, not both");
            }
            for (String d : dateList) {
                dates.add(parse("--dates", d));
            }
        } else {
            if (from == null || to == null) {
                throw usage("backfill needs --from and --to, or --dates");
            }
            LocalDate a = parse("--from", from);
            LocalDate b = parse("--to", to);
            if (b.isBefore(a)) {
                throw usage("--to " + to + " is before --from " + from);
            }
            if (a.plusDays(MAX_DATES).isBefore(b)) {
                throw usage("--from " + from + " --to " + to + " spans more than " + MAX_DATES + " dates");
            }
            for (LocalDate d = a; !d.isAfter(b); d = d.plusDays(1)) {
                dates.add(d);
            }
        }
        if (dates.isEmpty()) {
            throw usage("--dates names no date");
        }
        if (dates.size() > MAX_DATES) {
            throw usage("more than " + MAX_DATES + " dates");
        }
        return List.copyOf(dates);
    }

    private LocalDate parse(String flag, String text) {
        try {
            return LocalDate.parse(text.strip(), DATE);
        } catch (DateTimeParseException e) {
            throw usage(flag + ": expected a date YYYY-MM-DD, found '" + text + "'");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Runs (or with --dry-run, plans) every date on {@code spark}; prints the table to {@code out}. */
    int execute(SparkSession spark, List<LocalDate> dates, PrintWriter out, PrintWriter err) {
        if (dryRun) {
            return dryRun(spark, dates, out, err);
        }
        Progress progress = new Progress(dates.size(), parallel);
        DateRow[] rows = new DateRow[dates.size()];
        AtomicBoolean failed = new AtomicBoolean();
        runAll(spark, dates, rows, failed, progress, err, false);
        // A date another run held: the others ran meanwhile; try it once more, waiting for the holder's
        // lease (a killed backfill's own lock on the date it was scoring runs out within one lease).
        List<Integer> locked = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].result() == Result.FAILED && rows[i].code() == ExitCode.LOCKED && !(failFast && failed.get())) {
                locked.add(i);
            }
        }
        for (int i : locked) {
            LOG.info("backfill: {}: trying again the date another run held", dates.get(i));
            failed.set(false);
            progress.again();
            rows[i] = runDate(spark, dates.get(i), progress, err, true);
        }
        out.print(table(List.of(rows)));
        out.flush();
        return worst(List.of(rows)).code();
    }

    private void runAll(SparkSession spark, List<LocalDate> dates, DateRow[] rows, AtomicBoolean failed,
                        Progress progress, PrintWriter err, boolean retry) {
        if (parallel == 1) {
            for (int i = 0; i < dates.size(); i++) {
                rows[i] = failFast && failed.get() ? notRun(dates.get(i)) : runDate(spark, dates.get(i), progress, err, retry);
                if (rows[i].result() == Result.FAILED) {
                    failed.set(true);
                }
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "annscore-backfill");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<DateRow>> futures = new ArrayList<>();
            for (LocalDate date : dates) {
                futures.add(pool.submit(() -> {
                    if (failFast && failed.get()) {
                        return notRun(date);
                    }
                    // Each date its own session (one SparkContext): a run's SQL settings stay its own.
                    DateRow row = runDate(spark.newSession(), date, progress, err, retry);
                    if (row.result() == Result.FAILED) {
                        failed.set(true);
                    }
                    return row;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    rows[i] = futures.get(i).get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the dates", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static DateRow notRun(LocalDate date) {
        return new DateRow(date, Result.NOT_RUN, null, -1, 0, "not run (--fail-fast, after a failed date)");
    }

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** One date, as {@code score --run-date} would run it; every failure becomes the date's row. */
    private DateRow runDate(SparkSession spark, LocalDate date, Progress progress, PrintWriter err, boolean retry) {
        long t0 = System.nanoTime();
        progress.starting(date);
        DateRow row;
        try {
            JobConfig config = job.loadForDate(date, source());
            ModelPaths.requireExistsUnderDefaultFs("model.path", config.modelPath());
            if (retry) {
                config = withLockWait(config, Math.max(config.lock().waitSeconds(), config.lock().leaseSeconds()));
            }
            ScoringJob.DateOutcome o = new ScoringJob(config, spark).withConsole(QUIET).runUnlessDone(force);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (o.action() == ScoringJob.Action.SKIP) {
                row = new DateRow(date, Result.SKIPPED, ExitCode.OK, -1, seconds, o.why());
            } else {
                var s = o.summary();
                String what = s.rowsScored() + " scored, " + s.rowsQuarantined() + " quarantined, run " + s.runId();
                row = new DateRow(date, Result.PUBLISHED, ExitCode.OK, s.rowsRead(), seconds,
                        what + (o.action() == ScoringJob.Action.REPLACE ? "; replaced: " + o.why() : ""));
            }
        } catch (RuntimeException e) {
            if (Main.stopping()) {
                throw e; // SIGTERM or SIGINT: the backfill stops, as a score would
            }
            ExitCode code = ExitCode.classify(e).code();
            String line = Main.describe(e, debug());
            synchronized (err) {
                err.println("annscore: " + date + ": " + line);
                if (debug()) {
                    e.printStackTrace(err);
                }
                err.flush();
            }
            row = new DateRow(date, Result.FAILED, code, -1, (System.nanoTime() - t0) / 1e9, line);
        }
        progress.finished(row);
        return row;
    }

    /** The same job, waiting up to {@code waitSeconds} for its date's lock. */
    static JobConfig withLockWait(JobConfig c, int waitSeconds) {
        return new JobConfig(c.jobName(), c.runDate(), c.modelPath(), c.input(), c.output(), c.quarantinePath(),
                c.maxQuarantineFraction(), c.summary(), c.metrics(), c.segmentColumns(), c.metricThresholds(), c.topK(),
                c.modelTask(), c.modelOutputs(), new JobConfig.LockConfig(waitSeconds, c.lock().leaseSeconds()), c.formats(),
                c.precision(), c.monitoring());
    }

    static ExitCode worst(List<DateRow> rows) {
        List<ExitCode> codes = new ArrayList<>();
        for (DateRow r : rows) {
            if (r.code() != null) {
                codes.add(r.code());
            }
        }
        return ExitCode.worst(codes);
    }

    /** The final table: one row per date, then a line of counts and the exit code. */
    static String table(List<DateRow> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-10s  %-9s  %4s  %10s  %8s  %s%n", "run_date", "result", "exit", "rows_read",
                "seconds", "detail"));
        int[] counts = new int[Result.values().length];
        for (DateRow r : rows) {
            counts[r.result().ordinal()]++;
            b.append(String.format(Locale.ROOT, "%-10s  %-9s  %4s  %10s  %8.1f  %s%n", r.date(), r.result().word,
                    r.code() == null ? "-" : String.valueOf(r.code().code()), r.rows() < 0 ? "-" : String.valueOf(r.rows()),
                    r.seconds(), r.detail()));
        }
        b.append(String.format(Locale.ROOT, "backfill: %d dates: %d published, %d skipped, %d failed, %d not run; exit code %d%n",
                rows.size(), counts[0], counts[1], counts[2], counts[3], worst(rows).code()));
        return b.toString();
    }

    /** --dry-run: one line per date; the exit code is the worst of the failures the dates would meet. */
    private int dryRun(SparkSession spark, List<LocalDate> dates, PrintWriter out, PrintWriter err) {
        out.println(String.format(Locale.ROOT, "%-10s  %-8s  %-30s  %s", "run_date", "action", "input", "paths; why"));
        List<ExitCode> codes = new ArrayList<>();
        for (LocalDate date : dates) {
            String action;
            String input;
            String paths = "?";
            String why;
            try {
                JobConfig config = job.loadForDate(date, source());
                paths = String.join(", ", config.input().paths());
                try {
                    ModelPaths.requireExistsUnderDefaultFs("model.path", config.modelPath());
                    ScoringJob.DateOutcome o = new ScoringJob(config, spark).dryRun(force);
                    InputFingerprint fp = o.fingerprint();
                    action = o.action().name().toLowerCase(Locale.ROOT);
                    input = "found: " + fp.files() + (fp.files() == 1 ? " file, " : " files, ") + fp.bytes() + " bytes";
                    why = o.why();
                } catch (RuntimeException e) {
                    ExitCode code = ExitCode.classify(e).code();
                    codes.add(code);
                    action = "fail " + code.code();
                    int matched = matches(spark.sparkContext().hadoopConfiguration(), config.input().paths());
                    input = matched == 0 ? "not found" : "found: " + matched + (matched == 1 ? " file or folder" : " files or folders");
                    why = Main.describe(e, debug());
                }
            } catch (RuntimeException e) {
                ExitCode code = ExitCode.classify(e).code();
                codes.add(code);
                action = "fail " + code.code();
                input = "?";
                why = Main.describe(e, debug());
            }
            out.println(String.format(Locale.ROOT, "%-10s  %-8s  %-30s  %s; %s", date, action, input, paths, why));
        }
        ExitCode worst = ExitCode.worst(codes);
        out.println("backfill --dry-run: " + dates.size() + " dates; nothing was read beyond listings, schemas and"
                + " summaries, and nothing was written; exit code " + worst.code());
        out.flush();
        return worst.code();
    }

    /** How many files or folders the paths (globs) match, for the dry run's "found". */
    private static int matches(Configuration conf, List<String> paths) {
        int n = 0;
        for (String p : paths) {
            try {
                Path path = new Path(p);
                FileStatus[] found = path.getFileSystem(conf).globStatus(path);
                n += found == null ? 0 : found.length;
            } catch (IOException | IllegalArgumentException e) {
                // Counted as not found; the date's line says why it would fail.
            }
        }
        return n;
    }

    /**
     * The progress lines (INFO, standard error): when a date starts, the dates done of the total, the
     * rows per second so far (rows read by the dates published by this backfill, over its wall
     * time) and the time left (the dates not done, times the mean wall time of the dates scored so
     * far, divided by --parallel); when it ends, what became of it.
     */
    static final class Progress {
        private final int total;
        private final int parallel;
        private final long started = System.nanoTime();
        private int done;
        private int scored;
        private double scoredSeconds;
        private long rows;

        Progress(int total, int parallel) {
            this.total = total;
            this.parallel = parallel;
        }

        /** A date is tried once more: it is not done after all. */
        synchronized void again() {
            done--;
        }

        synchronized void starting(LocalDate date) {
            LOG.info("backfill: scoring {} ({} of {} dates done, {}, {})", date, done, total, rate(), left());
        }

        synchronized void finished(DateRow row) {
            done = Math.min(total, done + 1);
            if (row.result() == Result.PUBLISHED) {
                rows += row.rows();
            }
            if (row.result() != Result.SKIPPED) {
                scored++;
                scoredSeconds += row.seconds();
            }
            LOG.info("backfill: {} {} in {} s ({} of {} dates done, {}, {})", row.date(), row.result().word,
                    String.format(Locale.ROOT, "%.1f", row.seconds()), done, total, rate(), left());
        }

        private String rate() {
            double seconds = (System.nanoTime() - started) / 1e9;
            return rows == 0 ? "no rows scored yet" : String.format(Locale.ROOT, "%,.0f rows/s", rows / seconds);
        }

        private String left() {
            if (done == total) {
                return "nothing left";
            }
            if (scored == 0) {
                return "time left not known yet";
            }
            double s = (total - done) * (scoredSeconds / scored) / parallel;
            return s < 90 ? String.format(Locale.ROOT, "about %.0f s left", s)
                    : String.format(Locale.ROOT, "about %.0f min left", s / 60);
        }
    }
}
