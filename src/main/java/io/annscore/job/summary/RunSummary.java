package io.annscore.job.summary;

import io.annscore.network.Precision;
import io.annscore.network.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What a scoring run did: the counts, the cost metrics overall and per segment, and where it wrote.
 * The same values as the run's summary-table rows.
 *
 * @param runDate the job's run date, or null
 * @param inputFingerprint what the run read: {@link io.annscore.job.plan.InputFingerprint#value()}
 * @param rowsRead rows in the input, counted on their own (= rowsScored + rowsQuarantined)
 * @param rowsUnlabeled scored rows left out of the metrics because their label is missing or invalid
 *     (every scored row when the job has no label column)
 * @param quarantinedByReason reason code → rows, for the reasons that occurred
 * @param metrics metric id → value, for the metrics computed (the task's, or the job's list), and
 *     {@code <id>_error_bound} → bound for those with an error bound; NaN where undefined (no labelled
 *     rows, a zero denominator); null values never occur
 * @param precision the forward pass's arithmetic
 * @param segments one entry per segment value, sorted by value (empty without segment columns)
 * @param predictionsPath the folder the predictions were published to (the run-date partition)
 * @param quarantinePath the folder the quarantine was published to
 * @param summaryLocation the summary's folder or table name
 * @param details the weight counts, per-class values, confusion matrix and threshold report
 * @param chartData the report's chart data as JSON ({@link ChartData}), or null
 * @param drift the largest PSI and the columns past the thresholds ({@link Profiles.DriftSummary#NONE} without a reference)
 */
public record RunSummary(
        String jobName,
        LocalDate runDate,
        String runId,
        Instant startTime,
        Instant endTime,
        List<String> inputPaths,
        String inputFingerprint,
        String modelName,
        String modelVersion,
        String modelSha256,
        Task task,
        Precision precision,
        long rowsRead,
        long rowsScored,
        long rowsQuarantined,
        long rowsUnlabeled,
        Map<String, Long> quarantinedByReason,
        Map<String, Double> metrics,
        List<Segment> segments,
        String predictionsPath,
        String quarantinePath,
        String summaryLocation,
        String sparkAppId,
        String sparkVersion,
        MetricDetails details,
        Profiles.DriftSummary drift,
        String chartData) {

    /** Without drift. */
    public RunSummary(String jobName, LocalDate runDate, String runId, Instant startTime, Instant endTime,
                      List<String> inputPaths, String inputFingerprint, String modelName, String modelVersion,
                      String modelSha256, Task task, Precision precision,
                      long rowsRead, long rowsScored, long rowsQuarantined, long rowsUnlabeled,
                      Map<String, Long> quarantinedByReason, Map<String, Double> metrics, List<Segment> segments,
                      String predictionsPath, String quarantinePath, String summaryLocation, String sparkAppId,
                      String sparkVersion, MetricDetails details) {
        this(jobName, runDate, runId, startTime, endTime, inputPaths, inputFingerprint, modelName, modelVersion, modelSha256,
                task, precision, rowsRead,
                rowsScored, rowsQuarantined, rowsUnlabeled, quarantinedByReason, metrics, segments, predictionsPath,
                quarantinePath, summaryLocation, sparkAppId, sparkVersion, details, Profiles.DriftSummary.NONE, null);
    }

    public RunSummary {
        if (drift == null) {
            drift = Profiles.DriftSummary.NONE;
        }
        inputPaths = List.copyOf(inputPaths);
        quarantinedByReason = Map.copyOf(quarantinedByReason);
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        segments = List.copyOf(segments);
    }

    public double durationSeconds() {
        return Duration.between(startTime, endTime).toNanos() / 1e9;
    }

    /**
     * The counts and metrics of the rows of one segment.
     *
     * @param description {@code column=value} pairs joined by {@code ", "}
     * @param values segment column → value (null when the row had none)
     */
    public record Segment(String description, List<String> columns, List<String> values, long rowsScored,
                          long rowsQuarantined, long rowsUnlabeled, Map<String, Double> metrics,
                          MetricDetails details) {
        public Segment {
            columns = List.copyOf(columns);
            values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
            metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        }
    }
}
