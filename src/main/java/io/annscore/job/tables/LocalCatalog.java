package io.annscore.job.tables;

import io.annscore.job.JobConfigException;
import java.io.File;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The catalog a job with a catalog table gets: Spark's Hive support, with the cluster's metastore
 * when there is one, or in local mode an embedded Derby metastore and a warehouse under
 * {@code catalog.local-path}. Spark's Hive support is optional on the class path (a provided
 * dependency): when it is absent the job stops before anything is read, saying what to add.
 */
public final class LocalCatalog {
    /** The Maven coordinates the messages name. */
    public static final String PACKAGE = "org.apache.spark:spark-hive_2.13:4.2.0";
    static final String HIVE_STATE = "org.apache.spark.sql.hive.HiveSessionStateBuilder";
    static final String CATALOG_IMPLEMENTATION = "spark.sql.catalogImplementation";
    static final String DERBY_URL = "spark.hadoop.javax.jdo.option.ConnectionURL";

    private LocalCatalog() {
    }

    /** Whether Spark's Hive support is on the driver's class path. */
    public static boolean hiveAvailable() {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class.forName(HIVE_STATE, false, loader != null ? loader : LocalCatalog.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Sets {@code builder} up for a job whose key {@code key} names a catalog table. A session whose
     * {@code spark.sql.catalogImplementation} is set explicitly keeps it (in-memory included). Else
     * Hive support is switched on; the metastore is the session's own (a cluster's, a
     * {@code hive-site.xml}, a given warehouse or metastore URL), or in local mode with none of those
     * an embedded Derby metastore at {@code <localPath>/metastore_db} and the warehouse
     * {@code <localPath>/warehouse}.
     *
     * @throws JobConfigException when Hive support is needed and is not on the class path
     */
    public static void configure(SparkConf conf, SparkSession.Builder builder, String localPath, String key) {
        String implementation = conf.get(CATALOG_IMPLEMENTATION, "");
        if (implementation.equals("in-memory")) {
            return;
        }
        if (!hiveAvailable()) {
            throw new JobConfigException(key + " names a catalog table, which needs Spark's Hive support, not on the"
                    + " class path: add --packages " + PACKAGE + " (or use a Spark built with Hive), or give --conf "
                    + CATALOG_IMPLEMENTATION + "=in-memory for a catalog that lives as long as the run");
        }
        builder.enableHiveSupport();
        String master = conf.get("spark.master", "local[*]");
        if (!master.startsWith("local") || ownMetastore(conf)) {
            return;
        }
        File root = new File(localPath).getAbsoluteFile();
        if (!root.isDirectory() && !root.mkdirs()) {
            throw new JobConfigException("key catalog.local-path: cannot create the folder " + root);
        }
        builder.config("spark.sql.warehouse.dir", new File(root, "warehouse").toURI().toString())
                .config(DERBY_URL, "jdbc:derby:;databaseName=" + new File(root, "metastore_db").getPath() + ";create=true");
        // Derby's log goes beside its database instead of the current folder.
        if (System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file", new File(root, "derby.log").getPath());
        }
    }

    /** Whether the session names a metastore or warehouse of its own (then nothing local is set up). */
    static boolean ownMetastore(SparkConf conf) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return conf.contains("spark.sql.warehouse.dir") || conf.contains(DERBY_URL)
                || conf.contains("spark.hadoop.hive.metastore.uris") || conf.contains("spark.sql.hive.metastore.jars")
                || (loader != null ? loader : LocalCatalog.class.getClassLoader()).getResource("hive-site.xml") != null;
    }
}
