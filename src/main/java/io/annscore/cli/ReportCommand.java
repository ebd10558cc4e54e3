package io.annscore.cli;

import io.annscore.job.InputException;
import io.annscore.job.summary.HtmlReport;
import io.annscore.job.summary.Profiles;
import io.annscore.job.summary.Reports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code report}: rebuilds a run's HTML report from the summary table and the profile table. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Rebuilds the HTML report of a run from the summary table and the profile table, the same",
                "page a run writes beside its summary. Reads no input and scores nothing."})
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--summary", paramLabel = "PATH", description = "The summary folder (summary.path).")
    String summary;

    @Option(names = "--summary-table", paramLabel = "TABLE", description = "Or the summary table (summary.table).")
    String summaryTable;

    @Option(names = "--job-name", required = true, paramLabel = "NAME", description = "The job (job.name).")
    String jobName;

    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "The run (default: the job's latest).")
    LocalDate runDate;

    @Option(names = "--profile", paramLabel = "PATH", description = "The profile table (profile.path; default: the summary folder's name with _profile for _summary).")
    String profile;

    @Option(names = "--trend-runs", paramLabel = "N", defaultValue = "30", description = "Runs in the metric trends (default 30).")
    int trendRuns;

    @Option(names = "--out", paramLabel = "FILE", description = "The file to write (default <job>-<date>.html here).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if ((summary == null) == (summaryTable == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --summary or --summary-table (one of them)");
        }
        boolean shared = SparkSession.getDefaultSession().isDefined(); // a caller's session (tests) stays up
        // A summary table is in the catalog the runs wrote it to: in local mode the default catalog.local-path.
        SparkSession spark = summaryTable != null ? SparkRun.startWithCatalog("report " + jobName, "--summary-table")
                : SparkRun.start("report " + jobName);
        try {
            List<Map<String, Object>> runs = Reports.runs(spark, summary, summaryTable, jobName);
            if (runs.isEmpty()) {
                throw new InputException("the summary " + (summary != null ? summary : summaryTable) + " holds no run of job " + jobName);
            }
            Map<String, Object> run = null;
            List<Map<String, Object>> history = new ArrayList<>();
            for (Map<String, Object> r : runs) {
                LocalDate d = ((Date) r.get("run_date")).toLocalDate();
                if (runDate == null || !d.isAfter(runDate)) {
                    history.add(r);
                    if (runDate == null || d.equals(runDate)) {
                        run = r;
                    }
                }
            }
            if (run == null) {
                throw new InputException("the summary holds no run of job " + jobName + " on " + runDate);
            }
            LocalDate date = ((Date) run.get("run_date")).toLocalDate();
            if (history.size() > trendRuns) {
                history = new ArrayList<>(history.subList(history.size() - trendRuns, history.size()));
            }
            String profilePath = profile != null ? profile
                    : summary != null && summary.replaceAll("/+$", "").endsWith("_summary")
                    ? summary.replaceAll("/+$", "").replaceAll("_summary$", "_profile") : null;
            List<Profiles.Entry> entries = new ArrayList<>();
            Map<String, Profiles.Entry> reference = null;
            if (profilePath != null) {
                Map<String, Profiles.Entry> stored = Profiles.readRun(spark, profilePath, jobName, date);
                if (stored != null) {
                    entries.addAll(stored.values());
                    reference = reference(spark, profilePath, entries);
                }
            }
            String html = HtmlReport.render(run, Reports.segments(spark, summary, summaryTable, jobName, date), history,
                    entries, reference);
            Path file = out != null ? out : Path.of(jobName + "-" + date + ".html");
            Files.writeString(file, html, StandardCharsets.UTF_8);
            spec.commandLine().getOut().println("report of job " + jobName + " on " + date + " written to " + file);
            spec.commandLine().getOut().flush();
            return ExitCode.OK.code();
        } finally {
            if (!shared) {
                spark.stop();
            }
        }
    }

    /** The run's drift reference, as its profile rows name it ({@code run yyyy-MM-dd} or {@code profile PATH}). */
    private Map<String, Profiles.Entry> reference(SparkSession spark, String profilePath, List<Profiles.Entry> entries)
            throws IOException {
        String name = entries.isEmpty() ? null : entries.get(0).reference();
        if (name == null) {
            return null;
        }
        if (name.startsWith("run ")) {
            return Profiles.readRun(spark, profilePath, jobName, LocalDate.parse(name.substring(4)));
        }
        if (name.startsWith("profile ")) {
            return Profiles.readFile(spark.sparkContext().hadoopConfiguration(), name.substring(8));
        }
        return null;
    }
}
