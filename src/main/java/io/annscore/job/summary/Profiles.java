package io.annscore.job.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annscore.metrics.ColumnProfiles;
import io.annscore.metrics.Drift;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The profile table (one row per run and column: each feature, then each output) and the profile
 * file of {@code ./submit.sh profile}; the choice of a run's bins; drift from a reference.
 *
 * <p>A column is named by its feature name, or {@code output_<k>} for the network's k-th output,
 * and its {@code kind} is {@code feature} or {@code output}. The bins of a run, column by column,
 * come from the reference (the profile file or the named run) when it has the column; else from the
 * job's earliest profile in the table (so every run of a job has the bins of its first run); else
 * from the quantiles of this run's sample ({@link ColumnProfiles}).
 */
public final class Profiles {
    public static final String FORMAT = "annscore-profile";
    public static final int VERSION = 1;

    public static final StructType SCHEMA = new StructType()
            .add("job_name", DataTypes.StringType, false)
            .add("run_date", DataTypes.DateType, false)
            .add("run_id", DataTypes.StringType, false)
            .add("column", DataTypes.StringType, false)
            .add("kind", DataTypes.StringType, false)
            .add("position", DataTypes.IntegerType, false)
            .add("count", DataTypes.LongType, false)
            .add("missing", DataTypes.LongType, false)
            .add("mean", DataTypes.DoubleType, true)
            .add("std", DataTypes.DoubleType, true)
            .add("min", DataTypes.DoubleType, true)
            .add("max", DataTypes.DoubleType, true)
            .add("bin_edges", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("bin_counts", DataTypes.createArrayType(DataTypes.LongType, false), false)
            .add("bins_from", DataTypes.StringType, false)
            .add("reference", DataTypes.StringType, true)
            .add("psi", DataTypes.DoubleType, true)
            .add("ks", DataTypes.DoubleType, true)
            .add("drift", DataTypes.StringType, true);

    private Profiles() {
    }

    /**
     * One column's profile, as stored.
     *
     * @param binsFrom {@code reference}, {@code earlier-run} or {@code sample} (the counts are then the sample's)
     * @param psi null without a reference holding the column on the same bins
     * @param drift {@code ok}, {@code warning} or {@code alarm}; null without psi
     */
    public record Entry(String column, String kind, int position, long count, long missing, double mean, double std,
                        double min, double max, double[] edges, long[] counts, String binsFrom, String reference,
                        Double psi, Double ks, String drift) {
        public String key() {
            return kind + ":" + column;
        }
    }

    /** The column names: the features', then {@code output_0 …}. */
    public static List<String> columnNames(List<String> features, int outputs) {
        List<String> names = new ArrayList<>(features);
        for (int k = 0; k < outputs; k++) {
            names.add("output_" + k);
        }
        return names;
    }

    /** The reference and where each column's bins come from, chosen on the driver before the pass. */
    public record Plan(Map<String, Entry> reference, String referenceName, double[][] edges, String[] binsFrom) {
    }

    /**
     * Each column's bins: the reference's, else the earliest profile's, else null (the sample chooses).
     *
     * @param reference the reference's entries by {@link Entry#key()}, or null without one
     * @param earliest the job's earliest stored profile by key, or null
     */
    public static Plan plan(List<String> features, int outputs, Map<String, Entry> reference, String referenceName,
                            Map<String, Entry> earliest) {
        int n = features.size() + outputs;
        double[][] edges = new double[n][];
        String[] from = new String[n];
        List<String> names = columnNames(features, outputs);
        for (int c = 0; c < n; c++) {
            String key = (c < features.size() ? "feature:" : "output:") + names.get(c);
            Entry r = reference == null ? null : reference.get(key);
            Entry e = earliest == null ? null : earliest.get(key);
            if (r != null && r.edges().length > 0) {
                edges[c] = r.edges();
                from[c] = "reference";
            } else if (e != null && e.edges().length > 0) {
                edges[c] = e.edges();
                from[c] = "earlier-run";
            } else {
                from[c] = "sample";
            }
        }
        return new Plan(reference, referenceName, edges, from);
    }

    /** The run's profile entries, with PSI, KS and a level for each column the reference holds on the same bins. */
    public static List<Entry> entries(ColumnProfiles profile, List<String> features, int outputs, int bins, Plan plan,
                                      double warning, double alarm) {
        List<String> names = columnNames(features, outputs);
        List<Entry> out = new ArrayList<>();
        List<ColumnProfiles.Column> columns = profile.columns(bins);
        for (int c = 0; c < columns.size(); c++) {
            ColumnProfiles.Column col = columns.get(c);
            String kind = col.output() ? "output" : "feature";
            Entry ref = plan.reference() == null ? null : plan.reference().get(kind + ":" + names.get(c));
            Double psi = null;
            Double ks = null;
            String level = null;
            if (ref != null && Arrays.equals(ref.edges(), col.edges())) {
                double p = Drift.psi(ref.counts(), col.counts());
                if (!Double.isNaN(p)) {
                    psi = p;
                    ks = Drift.ks(ref.counts(), col.counts());
                    level = Drift.Level.of(p, warning, alarm).id();
                }
            }
            out.add(new Entry(names.get(c), kind, col.index(), col.count(), col.missing(), col.mean(), col.std(),
                    col.min(), col.max(), col.edges(), col.counts(), plan.binsFrom()[c],
                    plan.reference() == null ? null : plan.referenceName(), psi, ks, level));
        }
        return out;
    }

    /** The drift part of the summary: the largest PSI, its column, the columns past the alarm and the warning. */
    public record DriftSummary(String reference, Double maxPsi, String maxPsiColumn, List<String> alarms,
                               List<String> warnings) {
        public static final DriftSummary NONE = new DriftSummary(null, null, null, null, null);

        public static DriftSummary of(String reference, List<Entry> entries) {
            if (reference == null) {
                return NONE;
            }
            Double max = null;
            String at = null;
            List<String> alarms = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (Entry e : entries) {
                if (e.psi() == null) {
                    continue;
                }
                if (max == null || e.psi() > max) {
                    max = e.psi();
                    at = e.column();
                }
                if ("alarm".equals(e.drift())) {
                    alarms.add(e.column());
                } else if ("warning".equals(e.drift())) {
                    warnings.add(e.column());
                }
            }
            return new DriftSummary(reference, max, at, alarms, warnings);
        }
    }

    // ---- the table ----

    public static List<Row> rows(String jobName, LocalDate date, String runId, List<Entry> entries) {
        List<Row> rows = new ArrayList<>();
        for (Entry e : entries) {
            rows.add(RowFactory.create(jobName, Date.valueOf(date), runId, e.column(), e.kind(), e.position(), e.count(),
                    e.missing(), nan(e.mean()), nan(e.std()), nan(e.min()), nan(e.max()), boxed(e.edges()),
                    boxed(e.counts()), e.binsFrom(), e.reference(), e.psi(), e.ks(), e.drift()));
        }
        return rows;
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static Double[] boxed(double[] v) {
        return Arrays.stream(v).boxed().toArray(Double[]::new);
    }

    private static Long[] boxed(long[] v) {
        return Arrays.stream(v).boxed().toArray(Long[]::new);
    }

    /** The job's rows of the profile table (read through its format: {@link StoredTables}), queried; {@code absent} when none. */
    private static <T> T query(SparkSession spark, String path, String jobName, LocalDate date,
                               java.util.function.Function<Dataset<Row>, T> query, T absent) {
        // the table's schema is annscore's own: given, it spares a Spark job that merges the files' footers
        return StoredTables.query(spark, path, null, jobName, date, "profile table", SCHEMA, query, absent);
    }

    /** The stored profile of the job's run of {@code date}, by key; null when there is none. */
    public static Map<String, Entry> readRun(SparkSession spark, String path, String jobName, LocalDate date) {
        Map<String, Entry> m = query(spark, path, jobName, date, t -> byKey(t.collectAsList()), null);
        return m == null || m.isEmpty() ? null : m;
    }

    /**
     * The job's earliest stored profile by key (its first run's bins); null when there is none. In
     * Parquet folders the earliest date comes from their listing, so that one small read follows.
     */
    public static Map<String, Entry> readEarliest(SparkSession spark, String path, String jobName) {
        if (!io.annscore.job.tables.DeltaTables.exists(spark, path)) {
            LocalDate first = StoredTables.earliestFolderDate(spark, path, jobName);
            return first == null ? null : readRun(spark, path, jobName, first);
        }
        return query(spark, path, jobName, null, t -> {
            List<Row> first = t.select(functions.min("run_date")).collectAsList();
            if (first.isEmpty() || first.get(0).isNullAt(0)) {
                return null;
            }
            return byKey(t.where(functions.col("run_date").equalTo(first.get(0).getDate(0))).collectAsList());
        }, null);
    }

    /** All stored profiles of the job, by run date (oldest first). */
    public static Map<LocalDate, List<Entry>> readAll(SparkSession spark, String path, String jobName) {
        return query(spark, path, jobName, null, t -> {
            Map<LocalDate, List<Entry>> out = new java.util.TreeMap<>();
            for (Row r : t.collectAsList()) {
                out.computeIfAbsent(r.<Date>getAs("run_date").toLocalDate(), d -> new ArrayList<>()).add(entry(r));
            }
            return out;
        }, new java.util.TreeMap<>());
    }

    private static Map<String, Entry> byKey(List<Row> rows) {
        Map<String, Entry> m = new LinkedHashMap<>();
        rows.stream().map(Profiles::entry).sorted(java.util.Comparator.comparing(Entry::kind).reversed()
                .thenComparing(Entry::position)).forEach(e -> m.put(e.key(), e));
        return m;
    }

    private static Entry entry(Row r) {
        List<Double> edges = r.getList(r.fieldIndex("bin_edges"));
        List<Long> counts = r.getList(r.fieldIndex("bin_counts"));
        return new Entry(r.getAs("column"), r.getAs("kind"), r.<Integer>getAs("position"), r.<Long>getAs("count"),
                r.<Long>getAs("missing"), d(r, "mean"), d(r, "std"), d(r, "min"), d(r, "max"),
                edges.stream().mapToDouble(Double::doubleValue).toArray(),
                counts.stream().mapToLong(Long::longValue).toArray(), r.getAs("bins_from"), r.getAs("reference"),
                r.getAs("psi"), r.getAs("ks"), r.getAs("drift"));
    }

    private static double d(Row r, String name) {
        Object v = r.getAs(name);
        return v == null ? Double.NaN : (Double) v;
    }

    // ---- the file ----

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Writes a profile file: {@code {"format": "annscore-profile", "version": 1, "source": …,
     * "columns": [{"column", "kind", "position", "count", "missing", "mean", "std", "min", "max",
     * "bin_edges", "bin_counts"}, …]}} (NaN written as null).
     */
    public static void writeFile(Configuration conf, String path, String source, List<Entry> entries) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("source", source);
        ArrayNode cols = root.putArray("columns");
        for (Entry e : entries) {
            ObjectNode c = cols.addObject();
            c.put("column", e.column());
            c.put("kind", e.kind());
            c.put("position", e.position());
            c.put("count", e.count());
            c.put("missing", e.missing());
            putNumber(c, "mean", e.mean());
            putNumber(c, "std", e.std());
            putNumber(c, "min", e.min());
            putNumber(c, "max", e.max());
            ArrayNode edges = c.putArray("bin_edges");
            for (double v : e.edges()) {
                edges.add(v);
            }
            ArrayNode counts = c.putArray("bin_counts");
            for (long v : e.counts()) {
                counts.add(v);
            }
        }
        Path p = new Path(path);
        try (OutputStream out = p.getFileSystem(conf).create(p, true)) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(out, root);
        }
    }

    private static void putNumber(ObjectNode c, String name, double v) {
        if (Double.isFinite(v)) {
            c.put(name, v);
        } else {
            c.putNull(name);
        }
    }

    /** Reads a profile file by key; a file that is not one is refused with its path and what is wrong. */
    public static Map<String, Entry> readFile(Configuration conf, String path) throws IOException {
        Path p = new Path(path);
        JsonNode root;
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            root = JSON.readTree(in);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
            throw new IllegalArgumentException(path + " is not an annscore profile file (format " + FORMAT + ", version "
                    + VERSION + ")");
        }
        Map<String, Entry> m = new LinkedHashMap<>();
        for (JsonNode c : root.path("columns")) {
            double[] edges = new double[c.path("bin_edges").size()];
            for (int i = 0; i < edges.length; i++) {
                edges[i] = c.path("bin_edges").get(i).asDouble();
            }
            long[] counts = new long[c.path("bin_counts").size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = c.path("bin_counts").get(i).asLong();
            }
            if (counts.length != edges.length + 1) {
                throw new IllegalArgumentException(path + ": column " + c.path("column").asText() + " has " + counts.length
                        + " bin counts for " + edges.length + " edges");
            }
            Entry e = new Entry(c.path("column").asText(), c.path("kind").asText("feature"), c.path("position").asInt(),
                    c.path("count").asLong(), c.path("missing").asLong(), num(c, "mean"), num(c, "std"), num(c, "min"),
                    num(c, "max"), edges, counts, "file", null, null, null, null);
            m.put(e.key(), e);
        }
        return m;
    }

    private static double num(JsonNode c, String name) {
        JsonNode v = c.get(name);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }
}
