package io.annscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.annscore.testing.HeadlessBrowser;
import io.annscore.testing.JobTestSupport;
import io.annscore.testing.JobTestSupport.Fixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of report (binary, multiclass with quarantined rows and segments, regression, drift)
 * opened in a real headless Chromium ({@link HeadlessBrowser}): no console error, no request but
 * the page itself, every chart present with data; screenshots in target/report-screenshots/. And
 * {@code ./submit.sh report} rebuilds the same page from the tables. Skipped, saying so, when no
 * Chromium is installed (Debian: apt-get install chromium; .ci/run installs it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportBrowserIT {
    private static final LocalDate D1 = LocalDate.of(2024, 6, 1);
    private static final LocalDate D2 = LocalDate.of(2024, 6, 2);
    private static final Path SHOTS = Path.of("target", "report-screenshots");

    @TempDir
    static Path tmp;
    private SparkSession spark;
    private HeadlessBrowser browser;
    private String chromium;

    @BeforeAll
    void start() throws Exception {
        String chromium = HeadlessBrowser.binary();
        Assumptions.assumeTrue(chromium != null, "SKIPPED: no chromium on the PATH (apt-get install chromium); the"
                + " report pages are not checked in a browser");
        this.chromium = chromium;
        spark = JobTestSupport.session("local[2]", tmp.resolve("warehouse"));
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (spark != null) {
            JobTestSupport.stop(spark);
        }
    }

    private JobConfig config(String job, LocalDate date, Fixture f, Path data, List<String> labels, List<String> segments,
                             JobConfig.Monitoring m) {
        Path out = tmp.resolve(job);
        return new JobConfig(job, date, JobTestSupport.modelFile(f, tmp).toString(),
                JobConfig.InputConfig.csv(List.of(data.toString()), labels, List.of("id")),
                new JobConfig.OutputConfig(out.resolve("predictions").toString(), JobConfig.Format.PARQUET),
                out.resolve("quarantine").toString(), 1.0, JobConfig.SummaryConfig.atPath(out.resolve("summary").toString()),
                List.of(), segments).withMonitoring(m);
    }

    private static JobConfig.Monitoring monitoring(String referenceRun) {
        return new JobConfig.Monitoring(0, true, null, 10, referenceRun, null, 0.1, 0.25, false, true, null, 30);
    }

    private static Path report(String job, LocalDate date) {
        return tmp.resolve(job).resolve("predictions_report").resolve("job_name=" + job).resolve("run_date=" + date)
                .resolve("report.html");
    }

    /**
     * Opens the page in a fresh browser (started here, after the Spark runs: a browser left idle
     * through them was found closed once on this loaded machine); checks errors and requests;
     * returns chart id → points drawn; saves a screenshot.
     */
    private Map<String, Integer> check(Path page, String shot) throws Exception {
        if (browser != null) {
            browser.close();
        }
        browser = new HeadlessBrowser(chromium);
        browser.open(page);
        assertEquals(List.of(), browser.errors, "console errors of " + shot);
        assertEquals(List.of(page.toUri().toString()), browser.requests.stream().map(u -> u.replace("file:///", "file:/"))
                .map(u -> Path.of(java.net.URI.create(u)).toUri().toString()).toList(), "requests of " + shot);
        JsonNode charts = browser.evaluate("[...document.querySelectorAll('figure.chart')].map(f => [f.dataset.chart,"
                + " +f.dataset.points, f.querySelectorAll('svg path, svg rect, svg circle').length])");
        Map<String, Integer> out = new HashMap<>();
        for (JsonNode c : charts) {
            String id = c.get(0).asText();
            int points = c.get(1).asInt();
            out.merge(id, points, Integer::sum);
            if (points > 0) {
                assertTrue(c.get(2).asInt() > 0, id + " declares data but draws nothing");
            }
        }
        browser.screenshot(SHOTS.resolve(shot + ".png"), 1.0, null);
        return out;
    }

    private static void hasData(Map<String, Integer> charts, String... ids) {
        for (String id : ids) {
            assertTrue(charts.getOrDefault(id, 0) > 0, "chart " + id + " with data, found " + charts);
        }
    }

    @Test
    void binary() throws Exception {
        Fixture f = Fixture.load("breast_cancer_logistic_binary");
        new ScoringJob(config("binary", D1, f, f.data(), f.labels(), List.of(), monitoring(null)), spark)
                .withConsole(JobTestSupport.QUIET).run();
        new ScoringJob(config("binary", D2, f, f.data(), f.labels(), List.of(), monitoring(null)), spark)
                .withConsole(JobTestSupport.QUIET).run();
        Map<String, Integer> charts = check(report("binary", D2), "binary");
        hasData(charts, "scores", "calibration", "roc", "pr", "confusion", "trend-rows_scored", "trend-roc_auc", "histogram");
        assertEquals(2, charts.get("trend-roc_auc"), "two runs in the trend");
        assertEquals(0, charts.get("quarantine"), "nothing quarantined");
    }

    @Test
    void multiclassWithQuarantineAndSegments() throws Exception {
        Fixture f = Fixture.load("iris_dirty_rows");
        new ScoringJob(config("multiclass", D1, f, f.data(), f.labels(), List.of("label"), monitoring(null)), spark)
                .withConsole(JobTestSupport.QUIET).run();
        Map<String, Integer> charts = check(report("multiclass", D1), "multiclass");
        hasData(charts, "scores", "calibration", "confusion", "quarantine", "histogram");
        assertEquals(9, charts.get("confusion"), "3 × 3 cells");
        int segments = browser.evaluate("document.querySelectorAll('table.segments tr').length - 1").asInt();
        assertTrue(segments >= 3, "one row per label value, found " + segments);
    }

    @Test
    void regression() throws Exception {
        Fixture f = Fixture.load("diabetes_tanh_regression");
        new ScoringJob(config("regression", D1, f, f.data(), f.labels(), List.of(), monitoring(null)), spark)
                .withConsole(JobTestSupport.QUIET).run();
        Map<String, Integer> charts = check(report("regression", D1), "regression");
        hasData(charts, "predicted-vs-actual", "residuals", "trend-rmse", "histogram");
    }

    @Test
    void driftAndItsRebuild() throws Exception {
        Fixture iris = Fixture.load("iris_relu_multiclass");
        Path day1 = copy("day1.csv");
        Path day2 = copy("day2.csv");
        new ScoringJob(config("drift", D1, iris, day1, List.of(), List.of(), monitoring(null)), spark)
                .withConsole(JobTestSupport.QUIET).run();
        new ScoringJob(config("drift", D2, iris, day2, List.of(), List.of(), monitoring(D1.toString())), spark)
                .withConsole(JobTestSupport.QUIET).run();
        Map<String, Integer> charts = check(report("drift", D2), "drift");
        assertEquals(7 * 20, charts.get("histogram-pair"), "7 columns, the two histograms of 10 bins each");
        assertEquals("petal_length_cm", browser.evaluate(
                "document.querySelector('table.drift tr:nth-child(2) td').textContent").asText(), "sorted by PSI");
        assertEquals("alarm", browser.evaluate("document.querySelector('table.drift tr:nth-child(2)').className").asText());
        browser.screenshot(Path.of("target", "report-screenshots", "drift-top.png"), 0.5, 1100);

        // ./submit.sh report rebuilds the page from the tables
        Path rebuilt = tmp.resolve("rebuilt.html");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = io.annscore.cli.Main.run(new PrintWriter(out), new PrintWriter(err), "report", "--summary",
                tmp.resolve("drift").resolve("summary").toString(), "--profile",
                tmp.resolve("drift").resolve("predictions_profile").toString(), "--job-name", "drift", "--run-date",
                D2.toString(), "--out", rebuilt.toString());
        assertEquals(0, code, err.toString());
        assertEquals(Files.readString(report("drift", D2)), Files.readString(rebuilt), "the rebuilt report is the run's");
    }

    private static Path copy(String name) throws Exception {
        Path to = tmp.resolve("landing").resolve(name);
        Files.createDirectories(to.getParent());
        try (var in = ReportBrowserIT.class.getResourceAsStream("/drift/" + name)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }
}
