package io.annscore.job.summary;

import io.annscore.job.JobConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
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
        List<Row> latest = StoredTables.query(spark, config.summary().path(), config.summary().table(), config.jobName(),
                date, "summary", rows -> {
                    boolean hasFingerprint = Arrays.asList(rows.columns()).contains("input_fingerprint");
                    return rows.where(functions.col("segment").isNull())
                            .select(functions.col("run_id"), functions.col("model_sha256"),
                                    hasFingerprint ? functions.col("input_fingerprint") : functions.lit(null).cast("string"),
                                    functions.col("end_time"))
                            .orderBy(functions.col("end_time").desc()).limit(1).collectAsList();
                }, List.of());
        if (latest.isEmpty()) {
            return null;
        }
        Row r = latest.get(0);
        return new PublishedRun(r.getString(0), r.getString(1), r.isNullAt(2) ? null : r.getString(2),
                r.getTimestamp(3).toInstant());
    }
}
