package io.annscore.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.slice;

import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * (a) The floor: read the table and write the same output columns, with no network.
 *
 * <p>Every feature column is read and touched: they are packed into one array per row, of which
 * the first {@code classes} values become {@code outputs} and {@code probability} (annscore writes
 * both for a multiclass network), the first feature {@code loss}. So the floor pays what any scorer must
 * pay to see its input (Parquet leaves unselected columns unread), and writes an output of the same
 * shape and the same incompressible doubles as a real one (a constant column would compress to
 * almost nothing and understate the cost of writing). {@code predicted_class} is the label.
 */
public final class FloorMethod implements BenchMethod {
    public static final String ID = "floor";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Map<String, String> run(SparkSession spark, RunSpec spec) {
        Dataset<Row> input = spark.read().parquet(spec.input().toString());
        Column[] features = new Column[spec.features()];
        for (int i = 0; i < features.length; i++) {
            features[i] = col("f" + i);
        }
        input.select(
                        col("id"),
                        col("label"),
                        slice(array(features), 1, spec.classes()).as("outputs"),
                        slice(array(features), 1, spec.classes()).as("probability"),
                        col("label").cast("int").as("predicted_class"),
                        col("f0").as("loss"))
                .write().mode(SaveMode.Overwrite).parquet(spec.predictions().toString());
        return Map.of();
    }
}
