package io.annscore.job.summary;

import io.annscore.metrics.Metric;
import io.annscore.metrics.MetricStats;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The summary table: one row per run, plus one per segment when the job names segment columns.
 * Columns: job_name, run_date, run_id, start_time, end_time, duration_seconds, input_paths,
 * input_fingerprint,
 * model_name, model_version, model_sha256, task, rows_read, rows_scored, rows_quarantined,
 * rows_unlabeled, rows_bad_weight, weight_sum, one column per {@link Metric} in its order, each
 * followed by its {@code <id>_error_bound} column where it has one (null where undefined, not
 * computed or not of the task), top_k, classes (array of per-class structs), confusion_matrix
 * (array of rows, one per true class), thresholds (array of structs), spark_app_id, spark_version,
 * {@code segment} (null on the run's row, {@code col=value, ...} on a segment's) and one string
 * column per segment column. A segment's rows_read is its rows scored plus quarantined.
 *
 * <p>At a path it is Parquet partitioned by {@code job_name} and {@code run_date} (folders
 * {@code job_name=…/run_date=…}, so the files hold the other columns); in the catalog it is a
 * table partitioned the same way.
 */
public final class SummaryTable {
    /** One column per metric, in {@link Metric} order, each followed by its error bound's column. */
    public static final List<String> METRIC_COLUMNS = metricColumns();

    static final StructType CLASS_TYPE = new StructType()
            .add("class_index", DataTypes.IntegerType, false)
            .add("class_name", DataTypes.StringType, true)
            .add("support", DataTypes.DoubleType, false)
            .add("predicted", DataTypes.DoubleType, false)
            .add("precision", DataTypes.DoubleType, true)
            .add("recall", DataTypes.DoubleType, true)
            .add("f1", DataTypes.DoubleType, true);

    static final StructType THRESHOLD_TYPE = new StructType()
            .add("threshold", DataTypes.DoubleType, false)
            .add("precision", DataTypes.DoubleType, true)
            .add("recall", DataTypes.DoubleType, true)
            .add("f1", DataTypes.DoubleType, true)
            .add("specificity", DataTypes.DoubleType, true)
            .add("accuracy", DataTypes.DoubleType, true);

    private static List<String> metricColumns() {
        List<String> columns = new ArrayList<>();
        for (Metric m : Metric.values()) {
            columns.add(m.id());
            if (m.hasErrorBound()) {
                columns.add(m.errorBoundId());
            }
        }
        return List.copyOf(columns);
    }

    private SummaryTable() {
    }

    public static StructType schema(List<String> segmentColumns) {
        StructType s = new StructType()
                .add("job_name", DataTypes.StringType, false)
                .add("run_date", DataTypes.DateType, true)
                .add("run_id", DataTypes.StringType, false)
                .add("start_time", DataTypes.TimestampType, false)
                .add("end_time", DataTypes.TimestampType, false)
                .add("duration_seconds", DataTypes.DoubleType, false)
                .add("input_paths", DataTypes.createArrayType(DataTypes.StringType, false), false)
                .add("input_fingerprint", DataTypes.StringType, true)
                .add("model_name", DataTypes.StringType, true)
                .add("model_version", DataTypes.StringType, true)
                .add("model_sha256", DataTypes.StringType, false)
                .add("task", DataTypes.StringType, false)
                .add("model_precision", DataTypes.StringType, false)
                .add("rows_read", DataTypes.LongType, false)
                .add("rows_scored", DataTypes.LongType, false)
                .add("rows_quarantined", DataTypes.LongType, false)
                .add("rows_unlabeled", DataTypes.LongType, false)
                .add("rows_bad_weight", DataTypes.LongType, false)
                .add("weight_sum", DataTypes.DoubleType, false);
        for (String m : METRIC_COLUMNS) {
            s = s.add(m, DataTypes.DoubleType, true);
        }
        s = s.add("top_k", DataTypes.IntegerType, true)
             .add("classes", DataTypes.createArrayType(CLASS_TYPE, false), true)
             .add("confusion_matrix", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false), false), true)
             .add("thresholds", DataTypes.createArrayType(THRESHOLD_TYPE, false), true)
             .add("quarantine_reasons", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false), true)
             .add("drift_reference", DataTypes.StringType, true)
             .add("max_psi", DataTypes.DoubleType, true)
             .add("max_psi_column", DataTypes.StringType, true)
             .add("drift_alarms", DataTypes.createArrayType(DataTypes.StringType, false), true)
             .add("drift_warnings", DataTypes.createArrayType(DataTypes.StringType, false), true)
             .add("chart_data", DataTypes.StringType, true);
        s = s.add("spark_app_id", DataTypes.StringType, true)
             .add("spark_version", DataTypes.StringType, true)
             .add("segment", DataTypes.StringType, true);
        for (String c : segmentColumns) {
            s = s.add(c, DataTypes.StringType, true);
        }
        return s;
    }

    /**
     * The run's rows: first the run's, then one per segment. {@code summaryDate} is the run date, or
     * for a job without one the day the run started (UTC).
     */
    public static List<Row> rows(RunSummary run, List<String> segmentColumns, java.time.LocalDate summaryDate) {
        List<Row> rows = new ArrayList<>();
        rows.add(row(run, summaryDate, run.rowsRead(), run.rowsScored(), run.rowsQuarantined(), run.rowsUnlabeled(),
                run.metrics(), run.details(), null, segmentColumns.isEmpty() ? List.of() : nulls(segmentColumns.size()),
                true));
        for (RunSummary.Segment s : run.segments()) {
            rows.add(row(run, summaryDate, s.rowsScored() + s.rowsQuarantined(), s.rowsScored(), s.rowsQuarantined(),
                    s.rowsUnlabeled(), s.metrics(), s.details(), s.description(), s.values(), false));
        }
        return rows;
    }

    private static List<String> nulls(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(null);
        }
        return l;
    }

    private static Row row(RunSummary run, java.time.LocalDate date, long read, long scored, long quarantined,
                           long unlabeled, Map<String, Double> metrics, MetricDetails details, String segment,
                           List<String> segmentValues, boolean runRow) {
        List<Object> v = new ArrayList<>();
        v.add(run.jobName());
        v.add(Date.valueOf(date));
        v.add(run.runId());
        v.add(Timestamp.from(run.startTime()));
        v.add(Timestamp.from(run.endTime()));
        v.add(run.durationSeconds());
        v.add(run.inputPaths().toArray(new String[0]));
        v.add(run.inputFingerprint());
        v.add(run.modelName());
        v.add(run.modelVersion());
        v.add(run.modelSha256());
        v.add(run.task().id());
        v.add(run.precision().id());
        v.add(read);
        v.add(scored);
        v.add(quarantined);
        v.add(unlabeled);
        v.add(details.rowsBadWeight());
        v.add(details.weightSum());
        for (String m : METRIC_COLUMNS) {
            v.add(orNull(metrics.get(m)));
        }
        v.add(details.topK());
        MetricStats.ClassReport report = details.classes();
        if (report == null) {
            v.add(null);
            v.add(null);
        } else {
            List<Row> classes = new ArrayList<>();
            for (MetricStats.ClassMetrics c : report.classes()) {
                String name = c.index() < details.classNames().size() ? details.classNames().get(c.index()) : null;
                classes.add(RowFactory.create(c.index(), name, c.support(), c.predicted(), orNull(c.precision()),
                        orNull(c.recall()), orNull(c.f1())));
            }
            v.add(classes);
            List<List<Double>> matrix = new ArrayList<>();
            for (double[] line : report.confusion()) {
                List<Double> cells = new ArrayList<>();
                for (double cell : line) {
                    cells.add(cell);
                }
                matrix.add(cells);
            }
            v.add(matrix);
        }
        if (details.thresholds() == null) {
            v.add(null);
        } else {
            List<Row> thresholds = new ArrayList<>();
            for (MetricStats.ThresholdMetrics t : details.thresholds()) {
                thresholds.add(RowFactory.create(t.threshold(), orNull(t.precision()), orNull(t.recall()), orNull(t.f1()),
                        orNull(t.specificity()), orNull(t.accuracy())));
            }
            v.add(thresholds);
        }
        if (runRow) {
            v.add(scala.jdk.javaapi.CollectionConverters.asScala(new java.util.TreeMap<>(run.quarantinedByReason())));
            Profiles.DriftSummary d = run.drift();
            v.add(d.reference());
            v.add(d.maxPsi());
            v.add(d.maxPsiColumn());
            v.add(d.alarms() == null ? null : d.alarms().toArray(new String[0]));
            v.add(d.warnings() == null ? null : d.warnings().toArray(new String[0]));
            v.add(run.chartData());
        } else {
            for (int i = 0; i < 7; i++) {
                v.add(null);
            }
        }
        v.add(run.sparkAppId());
        v.add(run.sparkVersion());
        v.add(segment);
        v.addAll(segmentValues);
        return RowFactory.create(v.toArray());
    }

    private static Double orNull(Double value) {
        return value == null || value.isNaN() ? null : value;
    }

    /**
     * The rows as a text table, one line per column and one column per row (a summary row is too
     * wide to read across a terminal), showing only the metrics the run computed; then, for a
     * classifier, the run's per-class values and confusion matrix, and a binary network's threshold
     * report. The table written keeps every column.
     */
    public static String format(RunSummary run, List<Row> rows, StructType schema) {
        java.util.Set<String> hidden = new java.util.HashSet<>(METRIC_COLUMNS);
        hidden.removeAll(run.metrics().keySet());
        hidden.addAll(List.of("classes", "confusion_matrix", "thresholds", "chart_data"));
        if (run.drift().reference() == null) {
            hidden.addAll(List.of("drift_reference", "max_psi", "max_psi_column", "drift_alarms", "drift_warnings"));
        }
        if (run.details().topK() == null) {
            hidden.add("top_k");
        }
        if (run.details().rowsBadWeight() == 0) {
            hidden.add("rows_bad_weight");
        }
        StringBuilder out = new StringBuilder(format(rows, schema, hidden));
        MetricStats.ClassReport report = run.details().classes();
        if (report != null && run.rowsScored() > run.rowsUnlabeled()) {
            out.append(classTable(report, run.details().classNames()));
        }
        List<MetricStats.ThresholdMetrics> thresholds = run.details().thresholds();
        if (thresholds != null && !thresholds.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%n%-10s %-10s %-10s %-10s %-11s %-10s%n", "threshold", "precision",
                    "recall", "f1", "specificity", "accuracy"));
            for (MetricStats.ThresholdMetrics t : thresholds) {
                out.append(String.format(Locale.ROOT, "%-10s %-10s %-10s %-10s %-11s %-10s%n", number(t.threshold()),
                        number(t.precision()), number(t.recall()), number(t.f1()), number(t.specificity()),
                        number(t.accuracy())));
            }
        }
        return out.toString();
    }

    /** Per class: support, predicted, precision, recall, F1, then the confusion matrix row of the class. */
    private static String classTable(MetricStats.ClassReport report, List<String> classNames) {
        int k = report.classes().size();
        List<String> names = new ArrayList<>();
        int nameWidth = "class".length();
        for (int c = 0; c < k; c++) {
            boolean named = c < classNames.size() && !classNames.get(c).equals(String.valueOf(c));
            String n = c + (named ? " " + classNames.get(c) : "");
            names.add(n);
            nameWidth = Math.max(nameWidth, n.length());
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%-" + nameWidth + "s  %-10s %-10s %-10s %-10s %-10s | predicted as:",
                "class", "support", "predicted", "precision", "recall", "f1"));
        for (int c = 0; c < k; c++) {
            out.append(' ').append(String.format(Locale.ROOT, "%8d", c));
        }
        out.append('\n');
        for (int c = 0; c < k; c++) {
            MetricStats.ClassMetrics m = report.classes().get(c);
            out.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-10s %-10s %-10s %-10s %-10s |              ",
                    names.get(c), number(m.support()), number(m.predicted()), number(m.precision()), number(m.recall()),
                    number(m.f1())));
            for (double cell : report.confusion()[c]) {
                out.append(' ').append(String.format(Locale.ROOT, "%8s", number(cell)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String number(double d) {
        if (Double.isNaN(d)) {
            return "null";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.6f", d);
    }

    static String format(List<Row> rows, StructType schema, java.util.Set<String> hidden) {
        List<String[]> lines = new ArrayList<>();
        int nameWidth = 0;
        int[] widths = new int[rows.size()];
        for (int c = 0; c < schema.size(); c++) {
            if (hidden.contains(schema.fields()[c].name())) {
                continue;
            }
            String[] line = new String[rows.size() + 1];
            line[0] = schema.fields()[c].name();
            nameWidth = Math.max(nameWidth, line[0].length());
            for (int r = 0; r < rows.size(); r++) {
                line[r + 1] = text(rows.get(r).get(c));
                widths[r] = Math.max(widths[r], line[r + 1].length());
            }
            lines.add(line);
        }
        StringBuilder out = new StringBuilder();
        String rule = rule(nameWidth, widths);
        out.append(rule);
        for (String[] line : lines) {
            out.append("| ").append(pad(line[0], nameWidth));
            for (int r = 0; r < widths.length; r++) {
                out.append(" | ").append(pad(line[r + 1], widths[r]));
            }
            out.append(" |\n");
        }
        out.append(rule);
        return out.toString();
    }

    private static String rule(int nameWidth, int[] widths) {
        StringBuilder b = new StringBuilder("+").append("-".repeat(nameWidth + 2));
        for (int w : widths) {
            b.append('+').append("-".repeat(w + 2));
        }
        return b.append("+\n").toString();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static String text(Object o) {
        if (o == null) {
            return "null";
        } else if (o instanceof Double d) {
            return String.format(Locale.ROOT, "%.10g", d);
        } else if (o instanceof String[] a) {
            return String.join(", ", a);
        } else if (o instanceof scala.collection.Seq<?> seq) {
            return seq.mkString(", ");
        }
        return String.valueOf(o);
    }
}
