package io.annscore.job.tables;

import io.annscore.job.JobConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Delta Lake tables at a path, through Spark's {@code delta} data source and Delta's SQL
 * ({@code DESCRIBE HISTORY}); no Delta class is linked, so the application needs Delta only when a
 * job asks for it.
 */
public final class DeltaTables {
    /** The Maven coordinates the README and the messages name (built for Spark 4.2). */
    public static final String PACKAGE = "io.delta:delta-spark_2.13:4.4.0";
    public static final String EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
    public static final String CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

    private DeltaTables() {
    }

    /** Whether Delta Lake's classes are on the driver's class path. */
    public static boolean available() {
        try {
            Class.forName(EXTENSION, false, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : DeltaTables.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Refuses, before anything is read, a job that asks for Delta when Delta Lake is absent or the
     * session is not set up for it; {@code key} names the key that asked.
     */
    public static void require(SparkSession spark, String key) {
        if (!available()) {
            throw new JobConfigException(key + " = delta needs Delta Lake, which is not on the class path: run"
                    + " ./submit.sh --delta ... (embedded Spark), or add --packages " + PACKAGE + " (spark-submit)");
        }
        String extensions = spark.conf().get("spark.sql.extensions", "");
        String catalog = spark.conf().get("spark.sql.catalog.spark_catalog", "");
        if (!extensions.contains(EXTENSION) || !catalog.equals(CATALOG)) {
            throw new JobConfigException(key + " = delta needs a session set up for Delta Lake: --conf"
                    + " spark.sql.extensions=" + EXTENSION + " --conf spark.sql.catalog.spark_catalog=" + CATALOG);
        }
    }

    /** Whether a Delta table is at {@code path} (its {@code _delta_log} folder exists). */
    public static boolean exists(SparkSession spark, String path) {
        Path log = new Path(path, "_delta_log");
        try {
            return log.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for a Delta table at " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses, before anything is read, an output folder that holds the other kind of table: for a
     * Delta output ({@code delta} true) a folder with visible entries (plain Parquet partitions or
     * files) but no {@code _delta_log}, which a Delta commit would write beside and never replace;
     * for a plain output, a folder that is a Delta table, whose files the renames would replace
     * under Delta's log. A missing folder, or one with only hidden entries (staging, locks), passes.
     *
     * @param key the key naming the folder, for the message
     */
    public static void checkFolderKind(org.apache.hadoop.conf.Configuration conf, String path, String key, boolean delta) {
        Path root = new Path(path);
        try {
            org.apache.hadoop.fs.FileSystem fs = root.getFileSystem(conf);
            if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
                return;
            }
            boolean log = fs.exists(new Path(root, "_delta_log"));
            if (delta && !log) {
                for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(root)) {
                    String name = s.getPath().getName();
                    if (!name.startsWith("_") && !name.startsWith(".")) {
                        throw new JobConfigException("key " + key + ": " + path + " holds plain files (" + name
                                + ") and no Delta table (no _delta_log); give a new or empty folder for the Delta table,"
                                + " or keep the format parquet");
                    }
                }
            } else if (!delta && log) {
                throw new JobConfigException("key " + key + ": " + path + " is a Delta table (it has a _delta_log);"
                        + " set the format to delta for it, or give another folder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look at " + path + " (" + key + "): " + e.getMessage(), e);
        }
    }

    /** The schema of the Delta table at {@code path} (its log only: no data is read), or null when there is none. */
    public static StructType schema(SparkSession spark, String path) {
        return exists(spark, path) ? spark.read().format("delta").load(path).schema() : null;
    }

    /** The SQL name of the table at {@code path}: {@code delta.`path`}. */
    static String sqlName(String path) {
        return "delta.`" + path.replace("`", "``") + "`";
    }

    /** Whether the table's history has a commit whose user metadata is {@code runId}. */
    public static boolean hasCommitOf(SparkSession spark, String path, String runId) {
        return spark.sql("DESCRIBE HISTORY " + sqlName(path)).where(functions.col("userMetadata").equalTo(runId))
                .limit(1).count() > 0;
    }
}
