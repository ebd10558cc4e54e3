package io.annscore.job.tables;

import io.annscore.job.JobConfigException;
import io.annscore.job.commit.Journal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Tables of the session's catalog (Hive metastore tables in Parquet or any file format, or Delta
 * tables) as outputs: checked before anything is read, created on the first run with the schema
 * and partitioning annscore writes, and committed to as steps of the run's journal. A commit
 * replaces only the run's partition: a dynamic partition overwrite ({@code INSERT OVERWRITE} with
 * {@code spark.sql.sources.partitionOverwriteMode=dynamic}, never the static mode that empties every
 * other partition), or for a Delta table one {@code replaceWhere} commit with the run id as its
 * user metadata. Replaying a commit gives the same table: an overwrite of the same partition with
 * the same staged rows; a commit that adds rows (an undated summary) is skipped when the table
 * already holds the run's id.
 */
public final class CatalogTables {
    /** The journal's kind of a commit to a catalog table in a file format (Parquet). */
    public static final String KIND = "catalog";
    /** The journal's kind of a commit to a Delta table of the catalog. */
    public static final String DELTA_KIND = "catalog-delta";

    private static final String OVERWRITE_MODE = "spark.sql.sources.partitionOverwriteMode";

    private CatalogTables() {
    }

    public static boolean exists(SparkSession spark, String table) {
        return spark.catalog().tableExists(table);
    }

    /** The table's provider in lower case ({@code parquet}, {@code hive}, {@code delta}, …); only for an existing table. */
    public static String provider(SparkSession spark, String table) {
        for (Row r : spark.sql("DESCRIBE TABLE EXTENDED " + table).collectAsList()) {
            if ("Provider".equals(r.getString(0))) {
                return r.getString(1).trim().toLowerCase(Locale.ROOT);
            }
        }
        return "hive";
    }

    /** The journal kind of a commit to {@code table}: an existing table's provider decides, else {@code createDelta}. */
    public static String kind(SparkSession spark, String table, boolean createDelta) {
        if (exists(spark, table)) {
            return provider(spark, table).equals("delta") ? DELTA_KIND : KIND;
        }
        return createDelta ? DELTA_KIND : KIND;
    }

    /**
     * Refuses, before anything is read, an existing table that is not partitioned by
     * {@code partitions} (in that order) or whose columns are not those of {@code expected} (the
     * partition columns included), naming the column. A missing table passes: the first commit
     * creates it.
     *
     * @param key the key naming the table, for the message
     */
    public static void check(SparkSession spark, String table, String key, StructType expected, List<String> partitions) {
        if (!exists(spark, table)) {
            return;
        }
        List<org.apache.spark.sql.catalog.Column> columns;
        try {
            columns = spark.catalog().listColumns(table).collectAsList();
        } catch (AnalysisException e) {
            throw new JobConfigException("cannot read the columns of the table " + table + " (" + key + "): " + e.getMessage());
        }
        List<String> have = new ArrayList<>();
        List<StructField> fields = new ArrayList<>();
        for (org.apache.spark.sql.catalog.Column c : columns) {
            if (c.isPartition()) {
                have.add(c.name().toLowerCase(Locale.ROOT));
            }
        }
        String name = "the table " + table + " (" + key + ")";
        if (!have.equals(partitions)) {
            throw new JobConfigException(name + " is partitioned by " + (have.isEmpty() ? "nothing" : have)
                    + ", this job writes it partitioned by " + partitions + "; write to a new table");
        }
        for (StructField f : spark.table(table).schema().fields()) {
            fields.add(f);
        }
        TableSchemas.check(name, expected, new StructType(fields.toArray(StructField[]::new)));
    }

    /**
     * Performs one journal commit to a catalog table: creates the table when it is missing, skips a
     * commit the table already holds, and replaces the commit's partition (or adds to it).
     */
    public static void commit(SparkSession spark, Journal.Commit c, String runId) {
        StructType staged = TableCommits.stagedSchema(c);
        boolean delta = c.kind().equals(DELTA_KIND);
        String table = c.target();
        boolean exists = exists(spark, table);
        if (exists && alreadyCommitted(spark, c, runId, delta)) {
            return;
        }
        Dataset<Row> rows = TableCommits.rows(spark, c, staged);
        if (!exists) {
            // Created empty first (a Delta table's version 0), so that the run's rows are one commit of their own.
            spark.sql("CREATE TABLE IF NOT EXISTS " + table + " (" + ddl(nullable(rows.schema())) + ") USING "
                    + (delta ? "delta" : "parquet") + " PARTITIONED BY (" + String.join(", ", quoted(c.partition().keySet())) + ")");
        }
        if (delta) {
            TableCommits.withEmptyCommits(spark, () -> {
                // Through the table's own (DataSource V2) writer, which leaves the metastore's entry as it is.
                var writer = rows.writeTo(table).option("userMetadata", runId);
                try {
                    if (c.replace()) {
                        // overwrite by a condition: Delta's replaceWhere, one atomic commit replacing the
                        // run's partition and no other rows
                        writer.overwrite(functions.expr(TableCommits.predicate(c.partition())));
                    } else {
                        writer.append();
                    }
                } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
                    throw new IllegalStateException("the table " + table + " went away while run " + runId
                            + " committed to it", e);
                }
            });
            return;
        }
        String[] order = spark.table(table).columns();
        Column[] ordered = new Column[order.length];
        for (int i = 0; i < order.length; i++) {
            ordered[i] = functions.col("`" + order[i].replace("`", "``") + "`");
        }
        if (c.replace() && rows.isEmpty()) {
            // A dynamic overwrite with no rows replaces nothing: the run's partition goes by itself.
            spark.sql("ALTER TABLE " + table + " DROP IF EXISTS PARTITION (" + partitionSpec(c.partition()) + ")");
            return;
        }
        String previous = spark.conf().get(OVERWRITE_MODE, "static");
        spark.conf().set(OVERWRITE_MODE, "dynamic");
        try {
            rows.select(ordered).write().mode(c.replace() ? SaveMode.Overwrite : SaveMode.Append).insertInto(table);
        } finally {
            spark.conf().set(OVERWRITE_MODE, previous);
        }
    }

    /**
     * Whether the table already holds this commit: for a Delta table a version of the run in its
     * history; for a table with a {@code run_id} column (the summary), a row of the run in the
     * commit's partition. Other tables are replaced again, which gives the same rows.
     */
    private static boolean alreadyCommitted(SparkSession spark, Journal.Commit c, String runId, boolean delta) {
        if (delta) {
            return spark.sql("DESCRIBE HISTORY " + c.target()).where(functions.col("userMetadata").equalTo(runId))
                    .limit(1).count() > 0;
        }
        Dataset<Row> t = spark.table(c.target());
        if (!List.of(t.columns()).contains("run_id")) {
            return false;
        }
        if (!c.partition().isEmpty()) {
            t = t.where(TableCommits.predicate(c.partition()));
        }
        return !t.where(functions.col("run_id").equalTo(runId)).limit(1).isEmpty();
    }

    /** {@code run_date = '2024-05-31', job_name = 'x'}, as ALTER TABLE's partition spec takes it. */
    static String partitionSpec(Map<String, String> partition) {
        List<String> terms = new ArrayList<>();
        partition.forEach((k, v) -> terms.add("`" + k + "` = '" + v + "'"));
        return String.join(", ", terms);
    }

    private static List<String> quoted(Iterable<String> names) {
        List<String> out = new ArrayList<>();
        names.forEach(n -> out.add("`" + n.replace("`", "``") + "`"));
        return out;
    }

    private static StructType nullable(StructType schema) {
        StructField[] fields = schema.fields().clone();
        for (int i = 0; i < fields.length; i++) {
            fields[i] = DataTypes.createStructField(fields[i].name(), fields[i].dataType(), true);
        }
        return new StructType(fields);
    }

    private static String ddl(StructType schema) {
        return schema.toDDL();
    }
}
