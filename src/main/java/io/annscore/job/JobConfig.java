package io.annscore.job;

import io.annscore.network.OutputValues;
import io.annscore.network.Precision;
import io.annscore.network.Task;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a scoring run needs, typed and checked. The CLI builds it from the job file layers;
 * tests build it directly. Paths are final (any {@code {run_date}} template already filled in).
 *
 * @param jobName names the run in the summary table and the log
 * @param runDate the date the run is for, or null; when set, predictions, quarantine and summary
 *     are partitioned by it and a re-run replaces exactly that date
 * @param modelPath the network: our model file, an ONNX file or an MLlib model directory
 * @param input where and how to read the rows
 * @param output where to write predictions
 * @param quarantinePath where rows that cannot be scored go (Parquet)
 * @param maxQuarantineFraction the run fails, publishing nothing, when more than this share of the
 *     rows read is quarantined
 * @param summary where the one-row-per-run summary goes
 * @param metrics metric ids to compute; empty for every metric of the network's task
 * @param segmentColumns columns to compute the metrics per segment of (besides overall)
 * @param metricThresholds binary networks: further decision thresholds to report precision, recall,
 *     F1, specificity and accuracy at (the summary's {@code thresholds} column)
 * @param topK the k of {@code top_k_accuracy} (multiclass)
 * @param modelTask the task declared for an imported model, or null to infer it (model.task)
 * @param modelOutputs what an imported model's last layer gives, or null to infer it (model.outputs)
 * @param lock how a run waits for, and holds, its output and date
 * @param formats the formats of the quarantine and the summary (the predictions' is {@code output.format})
 * @param precision the forward pass's arithmetic (model.precision)
 * @param monitoring progress, profiles, drift and the report
 */
public record JobConfig(
        String jobName,
        LocalDate runDate,
        String modelPath,
        InputConfig input,
        OutputConfig output,
        String quarantinePath,
        double maxQuarantineFraction,
        SummaryConfig summary,
        List<String> metrics,
        List<String> segmentColumns,
        List<Double> metricThresholds,
        int topK,
        Task modelTask,
        OutputValues modelOutputs,
        LockConfig lock,
        Formats formats,
        Precision precision,
        Monitoring monitoring) {

    /** What {@code job.name} may hold: it names a partition folder of the summary. */
    public static final java.util.regex.Pattern JOB_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** The default {@link #maxQuarantineFraction}: 1% of the rows read. */
    public static final double DEFAULT_MAX_QUARANTINE_FRACTION = 0.01;

    /** No extra thresholds, and the default k of top-k accuracy. */
    public JobConfig(String jobName, LocalDate runDate, String modelPath, InputConfig input, OutputConfig output,
                     String quarantinePath, double maxQuarantineFraction, SummaryConfig summary, List<String> metrics,
                     List<String> segmentColumns) {
        this(jobName, runDate, modelPath, input, output, quarantinePath, maxQuarantineFraction, summary, metrics,
                segmentColumns, List.of(), io.annscore.metrics.MetricStats.DEFAULT_TOP_K, null, null, LockConfig.DEFAULT,
                Formats.PARQUET, Precision.FLOAT64, Monitoring.DEFAULT);
    }

    /** The same job computing in {@code p}. */
    public JobConfig withPrecision(Precision p) {
        return new JobConfig(jobName, runDate, modelPath, input, output, quarantinePath, maxQuarantineFraction, summary,
                metrics, segmentColumns, metricThresholds, topK, modelTask, modelOutputs, lock, formats, p, monitoring);
    }

    /** This job with other formats for the predictions, the quarantine and the summary. */
    public JobConfig withFormats(Format predictions, Format quarantine, Format summaryFormat) {
        return new JobConfig(jobName, runDate, modelPath, input,
                new OutputConfig(output.path(), predictions, List.of(), null, output.catalog()), quarantinePath,
                maxQuarantineFraction, summary, metrics, segmentColumns, metricThresholds, topK, modelTask, modelOutputs,
                lock, new Formats(quarantine, summaryFormat), precision, monitoring);
    }

    /** Whether any output is a Delta table. */
    public boolean usesDelta() {
        return output.format() == Format.DELTA || formats.quarantine() == Format.DELTA || formats.summary() == Format.DELTA;
    }

    /** This job with other monitoring settings. */
    public JobConfig withMonitoring(Monitoring m) {
        return new JobConfig(jobName, runDate, modelPath, input, output, quarantinePath, maxQuarantineFraction, summary,
                metrics, segmentColumns, metricThresholds, topK, modelTask, modelOutputs, lock, formats, precision, m);
    }

    /** The profile table's folder: {@code profile.path}, else {@code <output.path>_profile}; null when profiles are off. */
    public String profilePath() {
        if (!monitoring.profile()) {
            return null;
        }
        return monitoring.profilePath() != null ? monitoring.profilePath() : output.path() + "_profile";
    }

    /** The reports' folder: {@code report.path}, else {@code <output.path>_report}; null when reports are off. */
    public String reportPath() {
        if (!monitoring.report()) {
            return null;
        }
        return monitoring.reportPath() != null ? monitoring.reportPath() : output.path() + "_report";
    }

    public JobConfig {
        Objects.requireNonNull(jobName, "jobName");
        if (!JOB_NAME.matcher(jobName).matches()) {
            throw new IllegalArgumentException(JobKeys.JOB_NAME + " may hold only letters, digits, '.', '_' and '-'"
                    + " (and starts with a letter or digit), found '" + jobName + "'");
        }
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(quarantinePath, "quarantinePath");
        Objects.requireNonNull(summary, "summary");
        metrics = List.copyOf(metrics);
        segmentColumns = List.copyOf(segmentColumns);
        metricThresholds = List.copyOf(metricThresholds);
        if (topK < 1) {
            throw new IllegalArgumentException("metric-top-k must be at least 1, found " + topK);
        }
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(formats, "formats");
        Objects.requireNonNull(precision, "model.precision");
        if (monitoring == null) {
            monitoring = Monitoring.DEFAULT;
        }
        if (!(maxQuarantineFraction >= 0 && maxQuarantineFraction <= 1)) {
            throw new IllegalArgumentException(JobKeys.MAX_QUARANTINE_FRACTION + " must lie in [0, 1], found " + maxQuarantineFraction);
        }
    }

    /**
     * @param waitSeconds how long a run waits for another run of the same output and date to finish
     * @param leaseSeconds how long a lock lives unless its holder renews it
     */
    public record LockConfig(int waitSeconds, int leaseSeconds) {
        public static final LockConfig DEFAULT = new LockConfig(0, 120);

        public LockConfig {
            if (waitSeconds < 0 || leaseSeconds < 1) {
                throw new IllegalArgumentException(JobKeys.LOCK_LEASE + " must be at least 1 and " + JobKeys.LOCK_WAIT
                        + " at least 0");
            }
        }
    }

    /**
     * What a run tells about itself besides the summary: its progress, the profiles of its
     * features and outputs, their drift from a reference, and the HTML report.
     *
     * @param progressSeconds seconds between progress lines on standard error (0: none)
     * @param profile whether profiles are computed and written ({@code profile.enabled})
     * @param profilePath the profile table's folder, or null for {@code <output.path>_profile}
     * @param bins the number of histogram bins per column when the bins come from quantiles
     * @param referenceRun the run date of this job whose profile is the drift reference, or null
     * @param referenceProfile a profile file ({@code ./submit.sh profile}) as the drift reference, or null
     * @param psiWarning PSI at or above which a column is flagged {@code warning}
     * @param psiAlarm PSI at or above which a column is flagged {@code alarm}
     * @param failOnAlarm whether an alarm fails the run (exit 7) after its outputs are published
     * @param report whether the HTML report is written
     * @param reportPath the reports' folder, or null for {@code <output.path>_report}
     * @param trendRuns how many earlier runs of the job the report's trends show
     */
    public record Monitoring(int progressSeconds, boolean profile, String profilePath, int bins, String referenceRun,
                             String referenceProfile, double psiWarning, double psiAlarm, boolean failOnAlarm,
                             boolean report, String reportPath, int trendRuns) {
        public static final Monitoring DEFAULT = new Monitoring(5, true, null, 10, null, null, 0.1, 0.25, false, true,
                null, 30);

        public Monitoring {
            if (progressSeconds < 0) {
                throw new IllegalArgumentException(JobKeys.PROGRESS_SECONDS + " must be at least 0, found " + progressSeconds);
            }
            if (bins < 2 || bins > 100) {
                throw new IllegalArgumentException(JobKeys.PROFILE_BINS + " must lie in [2, 100], found " + bins);
            }
            if (referenceRun != null && referenceProfile != null) {
                throw new IllegalArgumentException("give at most one of " + JobKeys.DRIFT_REFERENCE_RUN + " and "
                        + JobKeys.DRIFT_REFERENCE_PROFILE);
            }
            if (!(psiWarning > 0 && psiAlarm >= psiWarning)) {
                throw new IllegalArgumentException(JobKeys.DRIFT_PSI_ALARM + " must be at least " + JobKeys.DRIFT_PSI_WARNING
                        + ", which must be above 0; found " + psiWarning + " and " + psiAlarm);
            }
            if (!profile && (referenceRun != null || referenceProfile != null)) {
                throw new IllegalArgumentException("drift needs the profiles: " + JobKeys.PROFILE_ENABLED + " is false but "
                        + (referenceRun != null ? JobKeys.DRIFT_REFERENCE_RUN : JobKeys.DRIFT_REFERENCE_PROFILE) + " is set");
            }
            if (trendRuns < 1) {
                throw new IllegalArgumentException(JobKeys.REPORT_TREND_RUNS + " must be at least 1, found " + trendRuns);
            }
        }

        /** Whether drift is computed: a reference is named. */
        public boolean drift() {
            return referenceRun != null || referenceProfile != null;
        }
    }

    /** A storage format: csv and parquet for input; parquet, csv (predictions only) or delta for the outputs. */
    public enum Format { PARQUET, CSV, DELTA }

    /**
     * @param quarantine parquet or delta ({@code quarantine.format})
     * @param summary parquet or delta ({@code summary.format}); for a {@code summary.table} created on
     *     the first run, the table's format
     */
    public record Formats(Format quarantine, Format summary) {
        public static final Formats PARQUET = new Formats(Format.PARQUET, Format.PARQUET);

        public Formats {
            if (quarantine == Format.CSV || summary == Format.CSV) {
                throw new IllegalArgumentException(JobKeys.QUARANTINE_FORMAT + " and " + JobKeys.SUMMARY_FORMAT
                        + " are parquet or delta");
            }
            Objects.requireNonNull(quarantine, JobKeys.QUARANTINE_FORMAT);
            Objects.requireNonNull(summary, JobKeys.SUMMARY_FORMAT);
        }
    }

    /**
     * @param paths files, directories or globs
     * @param format parquet or csv
     * @param csvHeader whether CSV files start with a header row (checked against the features by name)
     * @param csvDelimiter the CSV field delimiter
     * @param csvQuote the CSV quote character
     * @param featureColumns the columns to take the features from, in the network's input order;
     *     empty to use the network's own feature names
     * @param columnMapping network feature name → input column name, for features whose column is
     *     named differently
     * @param featureVectorColumn one {@code array<double>} or MLlib vector column holding all
     *     features, or null
     * @param labelColumns the label column(s) (one per output for multi-output regression), or empty
     * @param passThroughColumns columns copied to the predictions and quarantine (ids, keys, dates)
     * @param weightColumn the column of row weights for the metrics, or null (every row weighs 1)
     * @param csvMultiLine whether a quoted CSV field may span lines (files are then read unsplit)
     * @param table a table of the session's catalog to read instead of {@code paths}, or null
     * @param where a SQL condition on the table's rows (the run date filled in), or null
     */
    public record InputConfig(
            List<String> paths,
            Format format,
            boolean csvHeader,
            String csvDelimiter,
            String csvQuote,
            List<String> featureColumns,
            Map<String, String> columnMapping,
            String featureVectorColumn,
            List<String> labelColumns,
            List<String> passThroughColumns,
            String weightColumn,
            boolean csvMultiLine,
            String table,
            String where) {

        /** Files or folders, not a table. */
        public InputConfig(List<String> paths, Format format, boolean csvHeader, String csvDelimiter, String csvQuote,
                           List<String> featureColumns, Map<String, String> columnMapping, String featureVectorColumn,
                           List<String> labelColumns, List<String> passThroughColumns, String weightColumn,
                           boolean csvMultiLine) {
            this(paths, format, csvHeader, csvDelimiter, csvQuote, featureColumns, columnMapping, featureVectorColumn,
                    labelColumns, passThroughColumns, weightColumn, csvMultiLine, null, null);
        }

        /** This input read from a catalog table, filtered by {@code where} (or null), instead of paths. */
        public InputConfig fromTable(String tableName, String condition) {
            return new InputConfig(List.of(), Format.PARQUET, csvHeader, csvDelimiter, csvQuote, featureColumns,
                    columnMapping, featureVectorColumn, labelColumns, passThroughColumns, weightColumn, false, tableName,
                    condition);
        }

        /** What the run read, for the summary's input_paths and the log: the paths, or the table and its condition. */
        public List<String> describe() {
            return table == null ? paths : List.of(where == null ? table : table + " WHERE " + where);
        }

        /** Without a weight column. */
        public InputConfig(List<String> paths, Format format, boolean csvHeader, String csvDelimiter, String csvQuote,
                           List<String> featureColumns, Map<String, String> columnMapping, String featureVectorColumn,
                           List<String> labelColumns, List<String> passThroughColumns) {
            this(paths, format, csvHeader, csvDelimiter, csvQuote, featureColumns, columnMapping, featureVectorColumn,
                    labelColumns, passThroughColumns, null);
        }

        /** Single-line CSV. */
        public InputConfig(List<String> paths, Format format, boolean csvHeader, String csvDelimiter, String csvQuote,
                           List<String> featureColumns, Map<String, String> columnMapping, String featureVectorColumn,
                           List<String> labelColumns, List<String> passThroughColumns, String weightColumn) {
            this(paths, format, csvHeader, csvDelimiter, csvQuote, featureColumns, columnMapping, featureVectorColumn,
                    labelColumns, passThroughColumns, weightColumn, false);
        }

        public InputConfig {
            paths = List.copyOf(paths);
            if (paths.isEmpty() && table == null) {
                throw new IllegalArgumentException("input.paths needs at least one path");
            }
            if (!paths.isEmpty() && table != null) {
                throw new IllegalArgumentException("give input.paths or input.table, not both");
            }
            if (where != null && table == null) {
                throw new IllegalArgumentException("input.where filters an input.table; give one");
            }
            Objects.requireNonNull(format, "format");
            featureColumns = List.copyOf(featureColumns);
            columnMapping = Map.copyOf(columnMapping);
            labelColumns = List.copyOf(labelColumns);
            passThroughColumns = List.copyOf(passThroughColumns);
        }

        /** Parquet input with the network's own feature names. */
        public static InputConfig parquet(List<String> paths, List<String> labels, List<String> passThrough) {
            return new InputConfig(paths, Format.PARQUET, true, ",", "\"", List.of(), Map.of(), null, labels, passThrough);
        }

        /** CSV input with a header row, comma-delimited, with the network's own feature names. */
        public static InputConfig csv(List<String> paths, List<String> labels, List<String> passThrough) {
            return new InputConfig(paths, Format.CSV, true, ",", "\"", List.of(), Map.of(), null, labels, passThrough);
        }
    }

    /**
     * How the prediction rows are laid out.
     *
     * <p>{@code ARRAYS}: one {@code array<double>} column per vector ({@code probability},
     * {@code outputs}), as MLlib writes vectors. {@code COLUMNS}: one double column per class or
     * output ({@code probability_0, probability_1, …}), as CSV output always is.
     */
    public enum Layout {
        ARRAYS, COLUMNS;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What {@code output.layout} is when not set: per-class columns (the cheaper to write; README "Outputs"). */
    public static final Layout DEFAULT_LAYOUT = Layout.COLUMNS;

    /**
     * @param path the predictions' folder
     * @param format parquet, or csv (whose layout is always {@code COLUMNS})
     * @param columns the columns to write ({@code output.columns}); empty for every one that applies
     * @param layout arrays or one column per class or output; null for the default (CSV: always columns)
     */
    public record OutputConfig(String path, Format format, List<OutputColumn> columns, Layout layout, Catalog catalog) {
        public OutputConfig {
            Objects.requireNonNull(path, "output.path");
            Objects.requireNonNull(format, "output.format");
            Objects.requireNonNull(catalog, "catalog");
            columns = List.copyOf(columns);
            if (catalog.predictions() != null && format == Format.CSV) {
                throw new IllegalArgumentException(JobKeys.OUTPUT_TABLE + " is a table in parquet or delta: "
                        + JobKeys.OUTPUT_FORMAT + " = csv cannot be a catalog table");
            }
            if (format == Format.CSV && layout == Layout.ARRAYS) {
                throw new IllegalArgumentException(JobKeys.OUTPUT_LAYOUT + " = arrays needs " + JobKeys.OUTPUT_FORMAT
                        + " = parquet: CSV has no arrays, so it always writes one column per class or output");
            }
        }

        /** Every column that applies, in the default layout. */
        public OutputConfig(String path, Format format) {
            this(path, format, List.of(), null);
        }

        /** No catalog tables. */
        public OutputConfig(String path, Format format, List<OutputColumn> columns, Layout layout) {
            this(path, format, columns, layout, Catalog.NONE);
        }

        /** The same output committed to the catalog tables of {@code c}. */
        public OutputConfig withCatalog(Catalog c) {
            return new OutputConfig(path, format, columns, layout, c);
        }

        /** The layout the run writes: CSV's is always columns. */
        public Layout effectiveLayout() {
            return format == Format.CSV ? Layout.COLUMNS : layout != null ? layout : DEFAULT_LAYOUT;
        }

        /** Whether the vectors are written as one column per element. */
        public boolean flat() {
            return effectiveLayout() == Layout.COLUMNS;
        }
    }

    /**
     * The tables of the session's catalog the predictions and the quarantine are committed to
     * ({@code output.table}, {@code quarantine.table}; null: their folders), and where local mode
     * keeps its embedded catalog ({@code catalog.local-path}).
     */
    public record Catalog(String predictions, String quarantine, String localPath) {
        public static final Catalog NONE = new Catalog(null, null, "annscore-catalog");

        public Catalog {
            Objects.requireNonNull(localPath, JobKeys.CATALOG_LOCAL_PATH);
            if (predictions != null && predictions.equalsIgnoreCase(quarantine)) {
                throw new IllegalArgumentException("keys " + JobKeys.OUTPUT_TABLE + " and " + JobKeys.QUARANTINE_TABLE
                        + " name the same table " + predictions + "; each needs its own");
            }
        }
    }

    /** Whether the job reads or writes a table of the session's catalog (which then needs a metastore). */
    public boolean usesCatalog() {
        return input.table() != null || summary.table() != null || output.catalog().predictions() != null
                || output.catalog().quarantine() != null;
    }

    /** Either a path (Parquet, partitioned by job name and run date) or a table in the session's catalog. */
    public record SummaryConfig(String path, String table) {
        public SummaryConfig {
            if ((path == null) == (table == null)) {
                throw new IllegalArgumentException("give exactly one of summary.path and summary.table");
            }
        }

        public static SummaryConfig atPath(String path) {
            return new SummaryConfig(path, null);
        }
    }
}
