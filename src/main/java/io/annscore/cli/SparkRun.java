package io.annscore.cli;

import io.annscore.job.JobConfig;
import io.annscore.job.ScoringJob;
import io.annscore.job.ValidationReport;
import io.annscore.job.summary.RunSummary;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Starts Spark and hands the configuration to the job. Nothing else: the scoring, the checks of the
 * input and the summary are the job's.
 */
final class SparkRun {
    private SparkRun() {
    }

    /** Runs the job; it prints the summary table. */
    static RunSummary score(JobConfig config) {
        SparkSession spark = start(config);
        try {
            return new ScoringJob(config, spark).run();
        } finally {
            spark.stop();
        }
    }

    /** Finishes what killed runs of the job left; returns one line per journal found. */
    static java.util.List<String> recover(JobConfig config) {
        SparkSession spark = start(config);
        try {
            return new ScoringJob(config, spark).recover();
        } finally {
            spark.stop();
        }
    }

    /** Checks the network, the configuration, the input schema and a sample of rows; scores nothing. */
    static ValidationReport validate(JobConfig config) {
        SparkSession spark = start(config);
        try {
            return new ScoringJob(config, spark).validate();
        } finally {
            spark.stop();
        }
    }

    /**
     * The session: spark-submit's settings, or in the embedded mode the {@code spark.*} system
     * properties submit.sh sets; local[*] when nothing names a master (run from an IDE).
     */
    static SparkSession start(JobConfig config) {
        return start(config.jobName(), config.usesDelta(), catalogKey(config), config.output().catalog().localPath());
    }

    /** The session of a command that is not a run of a job (profile, report). */
    static SparkSession start(String name) {
        return start(name, false, null, null);
    }

    /**
     * The session of a command that is not a run but reads a catalog table (report --summary-table):
     * the catalog a run gets, with the default {@code catalog.local-path} in local mode.
     */
    static SparkSession startWithCatalog(String name, String option) {
        return start(name, false, option, JobConfig.Catalog.NONE.localPath());
    }

    /** The first key of the job that names a catalog table, or null. */
    private static String catalogKey(JobConfig config) {
        if (config.input().table() != null) {
            return io.annscore.job.JobKeys.INPUT_TABLE;
        } else if (config.output().catalog().predictions() != null) {
            return io.annscore.job.JobKeys.OUTPUT_TABLE;
        } else if (config.output().catalog().quarantine() != null) {
            return io.annscore.job.JobKeys.QUARANTINE_TABLE;
        } else if (config.summary().table() != null) {
            return io.annscore.job.JobKeys.SUMMARY_TABLE;
        }
        return null;
    }

    /**
     * The session of a run named {@code name} ({@code annscore <name>} unless spark-submit names it);
     * with {@code catalogKey} (the key naming a catalog table), a catalog that outlives the run.
     */
    private static SparkSession start(String jobName, boolean delta, String catalogKey, String localCatalog) {
        SparkConf conf = new SparkConf();
        SparkSession.Builder builder = SparkSession.builder();
        if (!conf.contains("spark.master")) {
            builder.master("local[*]");
        }
        if (catalogKey != null) {
            io.annscore.job.tables.LocalCatalog.configure(conf, builder, localCatalog, catalogKey);
        }
        // A job that asks for Delta gets a session set up for it, when Delta Lake is on the class path
        // and nothing else was configured (otherwise the job says what is missing, before reading).
        if (delta && io.annscore.job.tables.DeltaTables.available()
                && !conf.contains("spark.sql.extensions") && !conf.contains("spark.sql.catalog.spark_catalog")) {
            builder.config("spark.sql.extensions", io.annscore.job.tables.DeltaTables.EXTENSION)
                    .config("spark.sql.catalog.spark_catalog", io.annscore.job.tables.DeltaTables.CATALOG);
        }
        String name = conf.get("spark.app.name", "");
        if (name.isEmpty() || name.equals(Main.class.getName())) {
            builder.appName("annscore " + jobName);
        }
        return builder.getOrCreate();
    }
}
