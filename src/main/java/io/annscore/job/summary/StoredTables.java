package io.annscore.job.summary;

import io.annscore.job.JobConfigException;
import io.annscore.job.tables.DeltaTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Arrays;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reading a job's rows back from the tables annscore writes (the summary and the profile table),
 * through each table's own format, in one place: a catalog table through the catalog; a folder
 * that holds a Delta table ({@code _delta_log}) through Delta, which reads only the files of its
 * current version; else the Parquet folders {@code <path>/job_name=J[/run_date=D]}. Reading a Delta
 * table's folder as plain Parquet would read the files of every version it ever had: rows
 * duplicated, replaced runs back.
 */
public final class StoredTables {
    private StoredTables() {
    }

    /**
     * The rows of {@code jobName} (of {@code date} only, when not null) in the table at {@code path}
     * or the catalog table {@code table} (one of them null), with its {@code job_name} and
     * {@code run_date} columns; null when the table, or the job's part of it, does not exist.
     *
     * @param what the table, for messages ({@code summary}, {@code profile table})
     * @throws JobConfigException when the folder is a Delta table and this session cannot read Delta
     */
    public static Dataset<Row> jobRows(SparkSession spark, String path, String table, String jobName, LocalDate date,
                                       String what) {
        return jobRows(spark, path, table, jobName, date, what, null);
    }

    /**
     * As {@link #jobRows(SparkSession, String, String, String, LocalDate, String)}; Parquet folders
     * are read with {@code schema} when it is given (the columns a file lacks read as null), which
     * spares the Spark job that would otherwise merge the schemas of all the files' footers.
     */
    static Dataset<Row> jobRows(SparkSession spark, String path, String table, String jobName, LocalDate date,
                                String what, org.apache.spark.sql.types.StructType schema) {
        Column job = functions.col("job_name").equalTo(jobName);
        Column rows = date == null ? job : job.and(functions.col("run_date").equalTo(java.sql.Date.valueOf(date)));
        if (table != null) {
            return spark.catalog().tableExists(table) ? spark.table(table).where(rows) : null;
        }
        if (DeltaTables.exists(spark, path)) {
            try {
                DeltaTables.require(spark, io.annscore.job.JobKeys.SUMMARY_FORMAT);
            } catch (JobConfigException e) {
                throw new JobConfigException("the " + what + " " + path + " is a Delta table, and reading it needs what"
                        + " writing it does: " + e.getMessage());
            }
            return spark.read().format("delta").load(path).where(rows);
        }
        Path folder = new Path(path, "job_name=" + jobName);
        if (date != null) {
            folder = new Path(folder, "run_date=" + date);
        }
        if (!hasDataFiles(spark, folder)) {
            return null;
        }
        org.apache.spark.sql.DataFrameReader reader = spark.read().option("basePath", path);
        reader = schema != null ? reader.schema(schema) : reader.option("mergeSchema", "true");
        return reader.parquet(folder.toString()).where(rows);
    }

    /**
     * {@code query} of the rows {@link #jobRows} gives, or {@code absent} when there are none. The
     * Parquet folders of other dates may be replaced while they are read (a backfill publishing
     * dates side by side): a file listed and then moved away fails the read, which is then made
     * again from a fresh listing, up to 5 times. Delta and catalog tables read a snapshot.
     */
    public static <T> T query(SparkSession spark, String path, String table, String jobName, LocalDate date, String what,
                              java.util.function.Function<Dataset<Row>, T> query, T absent) {
        return query(spark, path, table, jobName, date, what, null, query, absent);
    }

    /** As {@link #query(SparkSession, String, String, String, LocalDate, String, java.util.function.Function, Object)}, Parquet read with {@code schema}. */
    static <T> T query(SparkSession spark, String path, String table, String jobName, LocalDate date, String what,
                       org.apache.spark.sql.types.StructType schema, java.util.function.Function<Dataset<Row>, T> query,
                       T absent) {
        for (int attempt = 1; ; attempt++) {
            Dataset<Row> rows = jobRows(spark, path, table, jobName, date, what, schema);
            if (rows == null) {
                return absent;
            }
            try {
                return query.apply(rows);
            } catch (Exception e) { // Spark throws SparkException (checked) from Java without declaring it
                if (attempt == 5 || !vanishedFile(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Whether {@code e} says that a file listed for the read was gone when it was read. */
    private static boolean vanishedFile(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.FileNotFoundException
                    || String.valueOf(t.getMessage()).contains("FILE_NOT_EXIST")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The earliest date of the job in the Parquet folders at {@code path}, from the listing of its
     * {@code run_date=…} folders that hold data (no Spark job); null when there is none. Not for a
     * Delta table, whose folders do not say which dates its current version holds.
     */
    static LocalDate earliestFolderDate(SparkSession spark, String path, String jobName) {
        Path job = new Path(path, "job_name=" + jobName);
        try {
            FileSystem fs = job.getFileSystem(spark.sparkContext().hadoopConfiguration());
            java.util.TreeMap<LocalDate, Path> dated = new java.util.TreeMap<>();
            if (fs.exists(job)) {
                for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(job)) {
                    String name = s.getPath().getName();
                    if (!s.isDirectory() || !name.startsWith("run_date=")) {
                        continue;
                    }
                    try {
                        dated.put(LocalDate.parse(name.substring("run_date=".length())), s.getPath());
                    } catch (java.time.format.DateTimeParseException notADate) {
                        // not a folder annscore wrote; readers skip it too
                    }
                }
            }
            // oldest first, so that only the folders up to the first that holds data are listed
            for (java.util.Map.Entry<LocalDate, Path> d : dated.entrySet()) {
                if (hasDataFiles(spark, d.getValue())) {
                    return d.getKey();
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the folder " + job + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code folder} exists and holds an entry readers see (a file, or a partition folder). */
    private static boolean hasDataFiles(SparkSession spark, Path folder) {
        try {
            FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(folder)) {
                return false;
            }
            return Arrays.stream(fs.listStatus(folder)).anyMatch(s -> {
                String n = s.getPath().getName();
                return !n.startsWith("_") && !n.startsWith(".");
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
