package io.annscore.job.tables;

import io.annscore.job.commit.Journal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Performs the table commits of a run's journal. A Delta commit replaces the run's partition with
 * one {@code replaceWhere} write: one new table version, atomic for every reader, whose commit
 * carries the run id as its user metadata ({@code userMetadata}; {@code DESCRIBE HISTORY} shows
 * it). A commit is done at most once per run: when the table's history already has a version of
 * this run (a journal replayed after a kill), it is skipped.
 */
public final class TableCommits implements Journal.TableCommitter {
    private final SparkSession spark;

    public TableCommits(SparkSession spark) {
        this.spark = spark;
    }

    @Override
    public void commit(Journal.Commit c, String runId) throws IOException {
        if (c.kind().equals(CatalogTables.KIND) || c.kind().equals(CatalogTables.DELTA_KIND)) {
            CatalogTables.commit(spark, c, runId);
            return;
        }
        if (!c.kind().equals("delta")) {
            throw new IOException("the journal holds a commit of an unknown kind '" + c.kind() + "' to " + c.target());
        }
        boolean exists = DeltaTables.exists(spark, c.target());
        if (exists && DeltaTables.hasCommitOf(spark, c.target(), runId)) {
            return;
        }
        DataFrameWriter<Row> writer = rows(spark, c, stagedSchema(c)).write().format("delta").option("userMetadata", runId);
        if (!c.partition().isEmpty()) {
            writer = writer.partitionBy(c.partition().keySet().toArray(new String[0]));
        }
        if (!exists || !c.replace()) {
            writer = writer.mode(SaveMode.Append);
        } else if (c.partition().isEmpty()) {
            writer = writer.mode(SaveMode.Overwrite);
        } else {
            // replaceWhere with the static mode: only the rows of the run's partition are replaced,
            // whatever the session's spark.sql.sources.partitionOverwriteMode says.
            writer = writer.mode(SaveMode.Overwrite).option("partitionOverwriteMode", "static")
                    .option("replaceWhere", predicate(c.partition()));
        }
        DataFrameWriter<Row> w = writer;
        withEmptyCommits(spark, () -> w.save(c.target()));
    }

    /**
     * Runs a Delta write that records a commit even when it adds and removes nothing: Delta skips
     * such a commit (an empty quarantine replacing an empty one) unless told otherwise, and every
     * run is to be one version of each table, with its id.
     */
    static void withEmptyCommits(SparkSession spark, Runnable write) {
        String previous = spark.conf().get(SKIP_EMPTY_COMMITS, null);
        spark.conf().set(SKIP_EMPTY_COMMITS, "false");
        try {
            write.run();
        } finally {
            if (previous == null) {
                spark.conf().unset(SKIP_EMPTY_COMMITS);
            } else {
                spark.conf().set(SKIP_EMPTY_COMMITS, previous);
            }
        }
    }

    private static final String SKIP_EMPTY_COMMITS = "spark.databricks.delta.skipRecordingEmptyCommits";

    /** The schema of a commit's staged files. */
    static StructType stagedSchema(Journal.Commit c) {
        return (StructType) DataType.fromJson(c.schema());
    }

    /** The staged rows with the partition's values as columns, in the table's column order. */
    static Dataset<Row> rows(SparkSession spark, Journal.Commit c, StructType schema) {
        Dataset<Row> staged = spark.read().schema(schema).parquet(c.staged().toString());
        for (Map.Entry<String, String> p : c.partition().entrySet()) {
            Column value = functions.lit(p.getValue());
            staged = staged.withColumn(p.getKey(), p.getKey().equals("run_date") ? value.cast("date") : value);
        }
        return staged;
    }

    /** {@code run_date = DATE'2024-05-31' AND job_name = 'x'}; the values are dates and job names ([A-Za-z0-9._-]). */
    static String predicate(Map<String, String> partition) {
        List<String> terms = new ArrayList<>();
        partition.forEach((k, v) -> terms.add("`" + k + "` = " + (k.equals("run_date") ? "DATE'" + v + "'" : "'" + v + "'")));
        return String.join(" AND ", terms);
    }
}
