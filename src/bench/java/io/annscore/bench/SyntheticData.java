package io.annscore.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Synthetic input tables: {@code rows} rows of an {@code id} (long), the features {@code f0..}
 * (doubles drawn from a standard normal distribution) and a {@code label} (the class index as a
 * double, uniform over the classes), as Parquet and, with the same values, as CSV with a header.
 *
 * <p>The values depend only on the seed and the shape: Spark's {@code rand}/{@code randn} with a
 * seed are deterministic for a fixed number of partitions, and the partition count follows from
 * the row count. Files hold at most 32 MB and there are at least two (one per core of
 * {@code local[2]}): then from a few hundred thousand rows on, every size is read as files of
 * about the same size by two or more tasks at once, so that the memory a run needs compares by
 * rows rather than by how big one file is (a Parquet reader holds a row group of a file in memory).
 * Row groups are Parquet's default size (128 MiB, so one per file) unless the benchmark is given
 * another ({@code --row-group}).
 */
public final class SyntheticData {
    private static final long MAX_FILE_BYTES = 32L << 20;
    private static final int MIN_FILES = 2;

    private SyntheticData() {
    }

    /** Where the Parquet copy of a table lives under {@code dataRoot}. */
    public static Path parquetPath(Path dataRoot, int features, int classes, long rows) {
        return tableDir(dataRoot, features, classes, rows).resolve("parquet");
    }

    /** Where the CSV copy of a table lives under {@code dataRoot}. */
    public static Path csvPath(Path dataRoot, int features, int classes, long rows) {
        return tableDir(dataRoot, features, classes, rows).resolve("csv");
    }

    private static Path tableDir(Path dataRoot, int features, int classes, long rows) {
        return dataRoot.resolve("f" + features + "-c" + classes + "-r" + rows);
    }

    /**
     * Writes the table unless an identical one (same shape and seed, fully written) is there.
     *
     * @return true when it wrote the table, false when it reused the existing one
     */
    public static boolean generate(SparkSession spark, Path dataRoot, int features, int classes, long rows,
                                   long seed, boolean withCsv, String rowGroupBytes) throws IOException {
        Path dir = tableDir(dataRoot, features, classes, rows);
        Path marker = dir.resolve("_GENERATED");
        long bytesPerRow = 8L * (features + 2);
        int files = (int) Math.max(MIN_FILES, Math.min(10_000, (rows * bytesPerRow + MAX_FILE_BYTES - 1) / MAX_FILE_BYTES));
        String description = "features=" + features + " classes=" + classes + " rows=" + rows + " seed=" + seed
                + " files=" + files + (rowGroupBytes == null ? "" : " rowGroupBytes=" + rowGroupBytes) + " csv=" + withCsv + "\n";
        if (Files.exists(marker) && Files.readString(marker).equals(description)) {
            return false;
        }
        Files.deleteIfExists(marker);

        List<Column> columns = new ArrayList<>();
        columns.add(col("id"));
        for (int i = 0; i < features; i++) {
            columns.add(randn(seed * 1_000_003L + i).as("f" + i));
        }
        columns.add(floor(rand(seed * 1_000_003L - 1).multiply(classes)).cast("double").as("label"));
        Dataset<Row> table = spark.range(0, rows, 1, files).select(columns.toArray(new Column[0]));
        org.apache.spark.sql.DataFrameWriter<Row> writer = table.write().mode(SaveMode.Overwrite);
        if (rowGroupBytes != null) {
            writer = writer.option("parquet.block.size", rowGroupBytes);
        }
        writer.parquet(parquetPath(dataRoot, features, classes, rows).toString());

        if (withCsv) {
            // Copied from the Parquet files, so both hold exactly the same values (Spark prints
            // doubles in their shortest exact form).
            spark.read().parquet(parquetPath(dataRoot, features, classes, rows).toString())
                    .write().mode(SaveMode.Overwrite).option("header", "true")
                    .csv(csvPath(dataRoot, features, classes, rows).toString());
        }
        Files.writeString(marker, description, StandardCharsets.UTF_8);
        return true;
    }
}
