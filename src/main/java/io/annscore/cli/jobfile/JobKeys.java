package io.annscore.cli.jobfile;

import java.util.List;
import java.util.Set;

/** The keys a job file may set, grouped; anything else is an error. */
final class JobKeys {
    private JobKeys() {
    }

    static final String JOB_NAME = "job.name";
    static final String RUN_DATE = "run-date";
    static final String MODEL_PATH = "model.path";
    static final String MODEL_TASK = "model.task";
    static final String MODEL_OUTPUTS = "model.outputs";
    static final String INPUT_PATHS = "input.paths";
    static final String INPUT_FORMAT = "input.format";
    static final String CSV_HEADER = "input.csv.header";
    static final String CSV_DELIMITER = "input.csv.delimiter";
    static final String CSV_QUOTE = "input.csv.quote";
    static final String FEATURES = "input.features";
    static final String FEATURE_COLUMN = "input.feature-column";
    static final String COLUMN_MAPPING = "input.column-mapping";
    static final String LABELS = "input.labels";
    static final String PASS_THROUGH = "input.pass-through";
    static final String OUTPUT_PATH = "output.path";
    static final String OUTPUT_FORMAT = "output.format";
    static final String QUARANTINE_PATH = "quarantine.path";
    static final String MAX_QUARANTINE_FRACTION = "quarantine.max-fraction";
    static final String SUMMARY_PATH = "summary.path";
    static final String SUMMARY_TABLE = "summary.table";
    static final String METRICS = "metrics";
    static final String SEGMENTS = "segments";

    /** Every key, in the order of the documentation. */
    static final List<String> ALL = List.of(JOB_NAME, RUN_DATE, MODEL_PATH, MODEL_TASK, MODEL_OUTPUTS, INPUT_PATHS, INPUT_FORMAT, CSV_HEADER,
            CSV_DELIMITER, CSV_QUOTE, FEATURES, FEATURE_COLUMN, COLUMN_MAPPING, LABELS, PASS_THROUGH, OUTPUT_PATH,
            OUTPUT_FORMAT, QUARANTINE_PATH, MAX_QUARANTINE_FRACTION, SUMMARY_PATH, SUMMARY_TABLE, METRICS, SEGMENTS);

    /** The groups: keys whose value is an object of further keys. */
    static final Set<String> GROUPS = Set.of("job", "model", "input", "input.csv", "output", "quarantine", "summary");

    /** Keys whose value is an open map (any key inside is allowed). */
    static final Set<String> MAPS = Set.of(COLUMN_MAPPING);

    /** The keys holding paths, into which the run date is filled. */
    static final List<String> PATHS = List.of(MODEL_PATH, INPUT_PATHS, OUTPUT_PATH, QUARANTINE_PATH, SUMMARY_PATH);
}
