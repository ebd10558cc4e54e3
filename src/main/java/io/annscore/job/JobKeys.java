package io.annscore.job;

import java.util.List;
import java.util.Set;

/**
 * The names of the job keys, for code and messages that refer to them. The keys themselves, their
 * defaults and their documentation live in one place, {@code conf/annscore-defaults.conf}: the
 * loader takes the set of keys from that file ({@code JobFileLoader}), and {@code JobKeysTest}
 * checks that every name here, and every key a message, the README or docs name, is one of them.
 */
public final class JobKeys {
    private JobKeys() {
    }

    public static final String JOB_NAME = "job.name";
    public static final String RUN_DATE = "run-date";
    public static final String MODEL_PATH = "model.path";
    public static final String MODEL_TASK = "model.task";
    public static final String MODEL_OUTPUTS = "model.outputs";
    public static final String MODEL_PRECISION = "model.precision";
    public static final String INPUT_PATHS = "input.paths";
    public static final String INPUT_FORMAT = "input.format";
    public static final String INPUT_TABLE = "input.table";
    public static final String INPUT_WHERE = "input.where";
    public static final String CSV_HEADER = "input.csv.header";
    public static final String CSV_DELIMITER = "input.csv.delimiter";
    public static final String CSV_QUOTE = "input.csv.quote";
    public static final String CSV_MULTI_LINE = "input.csv.multi-line";
    public static final String FEATURES = "input.features";
    public static final String FEATURE_COLUMN = "input.feature-column";
    public static final String COLUMN_MAPPING = "input.column-mapping";
    public static final String LABELS = "input.labels";
    public static final String PASS_THROUGH = "input.pass-through";
    public static final String WEIGHT = "input.weight";
    public static final String OUTPUT_PATH = "output.path";
    public static final String OUTPUT_FORMAT = "output.format";
    public static final String OUTPUT_COLUMNS = "output.columns";
    public static final String OUTPUT_LAYOUT = "output.layout";
    public static final String OUTPUT_TABLE = "output.table";
    public static final String QUARANTINE_PATH = "quarantine.path";
    public static final String QUARANTINE_FORMAT = "quarantine.format";
    public static final String QUARANTINE_TABLE = "quarantine.table";
    public static final String MAX_QUARANTINE_FRACTION = "quarantine.max-fraction";
    public static final String SUMMARY_PATH = "summary.path";
    public static final String SUMMARY_TABLE = "summary.table";
    public static final String SUMMARY_FORMAT = "summary.format";
    public static final String METRICS = "metrics";
    public static final String METRIC_THRESHOLDS = "metric-thresholds";
    public static final String METRIC_TOP_K = "metric-top-k";
    public static final String SEGMENTS = "segments";
    public static final String LOCK_WAIT = "lock.wait-seconds";
    public static final String LOCK_LEASE = "lock.lease-seconds";
    public static final String PROGRESS_SECONDS = "progress.interval-seconds";
    public static final String PROFILE_ENABLED = "profile.enabled";
    public static final String PROFILE_PATH = "profile.path";
    public static final String PROFILE_BINS = "profile.bins";
    public static final String DRIFT_REFERENCE_RUN = "drift.reference-run";
    public static final String DRIFT_REFERENCE_PROFILE = "drift.reference-profile";
    public static final String DRIFT_PSI_WARNING = "drift.psi-warning";
    public static final String DRIFT_PSI_ALARM = "drift.psi-alarm";
    public static final String DRIFT_FAIL_ON_ALARM = "drift.fail-on-alarm";
    public static final String REPORT_ENABLED = "report.enabled";
    public static final String REPORT_PATH = "report.path";
    public static final String REPORT_TREND_RUNS = "report.trend-runs";
    public static final String CATALOG_LOCAL_PATH = "catalog.local-path";



    /** Keys whose value is an open map (any key inside is allowed). */
    public static final Set<String> MAPS = Set.of(COLUMN_MAPPING);

    /** The keys holding paths, into which the run date is filled. */
    public static final List<String> PATHS = List.of(MODEL_PATH, INPUT_PATHS, OUTPUT_PATH, QUARANTINE_PATH, SUMMARY_PATH,
            PROFILE_PATH, DRIFT_REFERENCE_PROFILE, REPORT_PATH);
}
