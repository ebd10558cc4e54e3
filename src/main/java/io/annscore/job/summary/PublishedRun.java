package io.annscore.job.summary;

import io.annscore.job.JobConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The run a date's summary shows as published: what a backfill compares a date's model and input
 * with before it scores the date again. Read from the date's partition of the summary
 * ({@code <summary.path>/job_name=J/run_date=D}, or the catalog table's rows of that job and date;
 * the latest run's row when there are several), the run's own row only (not its segments).
 *
 * @param inputFingerprint null for a run written before the summary had the column
 */
public record PublishedRun(String runId, String modelSha256, String inputFingerprint, Instant endTime) {

    /** The published run of {@code config}'s job for {@code date}, or null when its summary has none. */
    public static PublishedRun find(SparkSession spark, JobConfig config, LocalDate date) {
        Dataset<Row> rows;
        if (config.summary().table() != null) {
            if (!spark.catalog().tableExists(config.summary().table())) {
                return null;
            }
            rows = spark.table(config.summary().table())
                    .where(functions.col("job_name").equalTo(config.jobName())
                            .and(functions.col("run_date").equalTo(java.sql.Date.valueOf(date))));
        } else {
            Path folder = new Path(new Path(config.summary().path(), "job_name=" + config.jobName()), "run_date=" + date);
            if (!hasDataFiles(spark.sparkContext().hadoopConfiguration(), folder)) {
                return null;
            }
            rows = spark.read().parquet(folder.toString());
        }
        boolean hasFingerprint = Arrays.asList(rows.columns()).contains("input_fingerprint");
        List<Row> latest = rows.where(functions.col("segment").isNull())
                .select(functions.col("run_id"), functions.col("model_sha256"),
                        hasFingerprint ? functions.col("input_fingerprint") : functions.lit(null).cast("string"),
                        functions.col("end_time"))
                .orderBy(functions.col("end_time").desc()).limit(1).collectAsList();
        if (latest.isEmpty()) {
            return null;
        }
        Row r = latest.get(0);
        return new PublishedRun(r.getString(0), r.getString(1), r.isNullAt(2) ? null : r.getString(2),
                r.getTimestamp(3).toInstant());
    }

    private static boolean hasDataFiles(Configuration conf, Path folder) {
        try {
            FileSystem fs = folder.getFileSystem(conf);
            if (!fs.exists(folder)) {
                return false;
            }
            return Arrays.stream(fs.listStatus(folder)).anyMatch(s -> {
                String n = s.getPath().getName();
                return !n.startsWith("_") && !n.startsWith(".");
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the summary folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
