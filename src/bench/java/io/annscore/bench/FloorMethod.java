package io.annscore.bench;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * (a) The same-columns floor: read the table and write the columns annscore writes by default, with
 * no network.
 *
 * <p>annscore writes {@code id}, {@code probability_0 … probability_{k−1}}, {@code predicted_class}
 * and {@code loss} for this softmax network. Here the first {@code classes} features become the
 * probability columns, the label {@code predicted_class}, and the sum of every feature
 * {@code loss}: so every feature column is read (Parquet leaves unselected columns unread), and the
 * output has the same shape and the same incompressible doubles as a real one (a constant column
 * would compress to almost nothing and understate the cost of writing).
 */
public final class FloorMethod implements BenchMethod {
    public static final String ID = "floor";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Map<String, String> run(SparkSession spark, RunSpec spec) {
        LeanFloorMethod.allowWideCodegen(spark, spec);
        List<Column> out = new ArrayList<>();
        out.add(col("id"));
        for (int k = 0; k < spec.classes(); k++) {
            out.add(col("f" + k).as("probability_" + k));
        }
        out.add(col("label").cast("int").as("predicted_class"));
        out.add(LeanFloorMethod.sumOfFeatures(spec.features()).as("loss"));
        spark.read().parquet(spec.input().toString()).select(out.toArray(new Column[0]))
                .write().mode(SaveMode.Overwrite).parquet(spec.predictions().toString());
        return Map.of();
    }
}
