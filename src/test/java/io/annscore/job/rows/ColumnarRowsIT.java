package io.annscore.job.rows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-place read of Parquet column batches gives, row for row, what Spark's own rows give (the
 * row path), partition columns, nulls and the input file included; and it is used only for plans
 * it understands.
 */
@LocalSpark.Session(master = "local[2]")
class ColumnarRowsIT {
    @TempDir
    static Path tmp;
    private SparkSession spark;
    private Path table;

    @BeforeAll
    void writeTable() {
        StructType schema = new StructType()
                .add("id", DataTypes.LongType)
                .add("a", DataTypes.DoubleType)
                .add("b", DataTypes.IntegerType)
                .add("s", DataTypes.StringType)
                .add("v", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("day", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            rows.add(RowFactory.create((long) i, i % 7 == 0 ? null : i * 0.25, i % 11 == 0 ? null : -i,
                    i % 13 == 0 ? null : "s" + i, i % 17 == 0 ? null : List.of(i * 0.5, -i * 0.5), i % 2));
        }
        table = tmp.resolve("table");
        // Two partition folders (day=0, day=1), several files each, batches smaller than a file.
        spark.createDataFrame(rows, schema).repartition(3).write().partitionBy("day").parquet(table.toString());
        spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", "1000");
    }

    @Test
    void aProjectionOfAParquetScanIsReadFromItsBatchesAndGivesSparksRows() {
        // Given the job's kind of projection: aliases of file and partition columns, and the input file
        Dataset<Row> projected = spark.read().parquet(table.toString()).select(
                col("s").as("_p0"), col("id").as("_p1"), col("a").as("_f0"), col("b").as("_f1"),
                col("day").as("_l1"), col("a").as("_l2"), input_file_name().as("_file"), col("v").as("_v"));

        // When it is read in place and as Spark's rows
        assertNotNull(ColumnarRows.of(plan(projected)), "the columnar path applies to this plan");
        List<String> inPlace = SparkInternals.toInternalRddWide(spark, projected).toJavaRDD()
                .map(ColumnarRowsIT::describe).collect();
        List<String> sparks = SparkInternals.toInternalRdd(projected).toJavaRDD().map(ColumnarRowsIT::describe).collect();

        // Then every row reads the same, in the same order
        assertEquals(5000, inPlace.size());
        assertEquals(sparks, inPlace);
        assertTrue(inPlace.get(0).contains("day="), "the input file is named: " + inPlace.get(0));
    }

    @Test
    void otherPlansAreLeftToSpark() {
        Dataset<Row> parquet = spark.read().parquet(table.toString());
        assertNull(ColumnarRows.of(plan(parquet.select(col("b").cast("double").as("_f0")))), "a cast");
        assertNull(ColumnarRows.of(plan(parquet.filter(col("b").gt(0)).select(col("a")))), "a filter");
        spark.read().parquet(table.toString()).select("id", "a").write().option("header", true).csv(tmp.resolve("csv").toString());
        Dataset<Row> csv = spark.read().option("header", true).schema("id long, a double").csv(tmp.resolve("csv").toString());
        assertNull(ColumnarRows.of(plan(csv.select(col("a").as("_f0")))), "a CSV scan");
    }

    private static SparkPlan plan(Dataset<Row> frame) {
        return ((org.apache.spark.sql.classic.Dataset<Row>) frame).queryExecution().executedPlan();
    }

    /** Every field through its typed getter, as the job reads them. */
    private static String describe(InternalRow r) {
        StringBuilder b = new StringBuilder();
        b.append(r.isNullAt(0) ? "null" : r.getUTF8String(0).toString()).append('|');
        b.append(r.getLong(1)).append('|');
        b.append(r.isNullAt(2) ? "null" : Double.toString(r.getDouble(2))).append('|');
        b.append(r.isNullAt(3) ? "null" : Integer.toString(r.getInt(3))).append('|');
        b.append(r.getInt(4)).append('|');
        b.append(r.isNullAt(5) ? "null" : Double.toString(r.getDouble(5))).append('|');
        b.append(r.getUTF8String(6)).append('|');
        b.append(r.isNullAt(7) ? "null" : r.getArray(7).numElements() + ":" + r.getArray(7).getDouble(1));
        return b.toString();
    }
}
