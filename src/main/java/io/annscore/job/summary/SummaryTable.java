package io.annscore.job.summary;

import io.annscore.metrics.Metric;
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
 * model_name, model_version, model_sha256, task, rows_read, rows_scored, rows_quarantined,
 * rows_unlabeled, one column per metric (null where undefined or not of the task), spark_app_id,
 * spark_version, {@code segment} (null on the run's row, {@code col=value, ...} on a segment's) and
 * one string column per segment column. A segment's rows_read is its rows scored plus quarantined.
 *
 * <p>At a path it is Parquet partitioned by {@code job_name} and {@code run_date} (folders
 * {@code job_name=…/run_date=…}, so the files hold the other columns); in the catalog it is a
 * table partitioned the same way.
 */
public final class SummaryTable {
    /** One column per metric, in {@link Metric}'s order, whether or not the run's task has it. */
    public static final List<String> METRIC_COLUMNS = java.util.Arrays.stream(Metric.values()).map(Metric::id).toList();

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
                .add("model_name", DataTypes.StringType, true)
                .add("model_version", DataTypes.StringType, true)
                .add("model_sha256", DataTypes.StringType, false)
                .add("task", DataTypes.StringType, false)
                .add("rows_read", DataTypes.LongType, false)
                .add("rows_scored", DataTypes.LongType, false)
                .add("rows_quarantined", DataTypes.LongType, false)
                .add("rows_unlabeled", DataTypes.LongType, false);
        for (String m : METRIC_COLUMNS) {
            s = s.add(m, DataTypes.DoubleType, true);
        }
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
                run.metrics(), null, segmentColumns.isEmpty() ? List.of() : nulls(segmentColumns.size())));
        for (RunSummary.Segment s : run.segments()) {
            rows.add(row(run, summaryDate, s.rowsScored() + s.rowsQuarantined(), s.rowsScored(), s.rowsQuarantined(),
                    s.rowsUnlabeled(), s.metrics(), s.description(), s.values()));
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
                           long unlabeled, Map<String, Double> metrics, String segment, List<String> segmentValues) {
        List<Object> v = new ArrayList<>();
        v.add(run.jobName());
        v.add(Date.valueOf(date));
        v.add(run.runId());
        v.add(Timestamp.from(run.startTime()));
        v.add(Timestamp.from(run.endTime()));
        v.add(run.durationSeconds());
        v.add(run.inputPaths().toArray(new String[0]));
        v.add(run.modelName());
        v.add(run.modelVersion());
        v.add(run.modelSha256());
        v.add(run.task().id());
        v.add(read);
        v.add(scored);
        v.add(quarantined);
        v.add(unlabeled);
        for (String m : METRIC_COLUMNS) {
            Double value = metrics.get(m);
            v.add(value == null || value.isNaN() ? null : value);
        }
        v.add(run.sparkAppId());
        v.add(run.sparkVersion());
        v.add(segment);
        v.addAll(segmentValues);
        return RowFactory.create(v.toArray());
    }

    /**
     * The rows as a text table, one line per column and one column per row (a summary row is too
     * wide to read across a terminal).
     */
    public static String format(List<Row> rows, StructType schema) {
        List<String[]> lines = new ArrayList<>();
        int nameWidth = 0;
        int[] widths = new int[rows.size()];
        for (int c = 0; c < schema.size(); c++) {
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

    /** Refuses an existing catalog table that is not partitioned by (job_name, run_date) or has other columns. */
    public static void checkCatalogTable(SparkSession spark, String table, List<String> segmentColumns) {
        if (!spark.catalog().tableExists(table)) {
            return;
        }
        List<String> partitions = new ArrayList<>();
        Set<String> columns = new HashSet<>();
        List<org.apache.spark.sql.catalog.Column> tableColumns;
        try {
            tableColumns = spark.catalog().listColumns(table).collectAsList();
        } catch (AnalysisException e) {
            throw new IllegalArgumentException("cannot read the columns of the summary table " + table + ": " + e.getMessage(), e);
        }
        for (org.apache.spark.sql.catalog.Column c : tableColumns) {
            columns.add(c.name());
            if (c.isPartition()) {
                partitions.add(c.name());
            }
        }
        if (!partitions.equals(List.of("job_name", "run_date"))) {
            throw new IllegalArgumentException("the summary table " + table + " must be partitioned by (job_name, run_date),"
                    + " found " + partitions);
        }
        Set<String> expected = new HashSet<>(List.of(schema(segmentColumns).fieldNames()));
        if (!columns.equals(expected)) {
            throw new IllegalArgumentException("the summary table " + table + " has columns " + columns
                    + ", this job writes " + expected);
        }
    }

    /**
     * Writes the summary rows to a catalog table, creating it on the first run; {@code replaceDate}
     * replaces the run's (job_name, run_date) partition and no other.
     */
    public static void writeToCatalog(SparkSession spark, String table, Dataset<Row> summary, boolean replaceDate) {
        if (!spark.catalog().tableExists(table)) {
            summary.write().format("parquet").partitionBy("job_name", "run_date").saveAsTable(table);
            return;
        }
        String[] columns = spark.table(table).columns();
        Column[] ordered = new Column[columns.length];
        for (int i = 0; i < columns.length; i++) {
            ordered[i] = functions.col("`" + columns[i].replace("`", "``") + "`");
        }
        // insertInto ignores the writer's partitionOverwriteMode option: set the session's for this insert only
        // (under the default, static, an overwrite would empty every partition of the table).
        String key = "spark.sql.sources.partitionOverwriteMode";
        String previous = spark.conf().get(key, "static");
        spark.conf().set(key, "dynamic");
        try {
            summary.select(ordered).write().mode(replaceDate ? SaveMode.Overwrite : SaveMode.Append).insertInto(table);
        } finally {
            spark.conf().set(key, previous);
        }
    }
}
