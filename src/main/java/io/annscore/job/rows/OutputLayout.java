package io.annscore.job.rows;

import io.annscore.network.Task;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The two kinds of rows the scoring pass writes, each in exactly the schema of its published files.
 *
 * <p>A prediction row: the pass-through columns; {@code outputs} (array&lt;double&gt;); the task's
 * columns — regression with one output: {@code prediction}; binary: {@code probability} (positive
 * class), {@code predicted_class}; multiclass: {@code probability} (array), {@code predicted_class},
 * and {@code predicted_label} when the network names its classes; with labels: {@code loss}. For
 * CSV output ({@code flatten}) each array is written as one double column per output:
 * {@code outputs_0..}, {@code probability_0..}.
 *
 * <p>A quarantine row: the pass-through columns, {@code reason}, {@code detail},
 * {@code raw_record}, {@code input_file}.
 *
 * <p>The indices below are positions in the prediction row (for an array: of its column, or of its
 * first column when flattened), and {@link #reason} in the quarantine row.
 */
public final class OutputLayout implements Serializable {
    final boolean flatten;
    final int passThrough;
    final int outputs;
    final int prediction;       // regression (1 output) / binary probability / multiclass probability array
    final int predictedClass;   // classifiers, else -1
    final int predictedLabel;   // multiclass with class names, else -1
    final int loss;             // with labels, else -1
    final int reason;           // in the quarantine row: reason, detail, raw_record, input_file follow
    private final StructType predictionSchema;
    private final StructType quarantineSchema;

    public OutputLayout(RowSpec spec) {
        this(spec, false);
    }

    public OutputLayout(RowSpec spec, boolean flatten) {
        this.flatten = flatten;
        Task task = spec.task();
        int outputSize = spec.outputSize();
        StructType s = new StructType();
        for (int i = 0; i < spec.passThroughCount(); i++) {
            s = s.add(spec.passThroughNames().get(i), spec.passThroughTypes().get(i), true);
        }
        passThrough = 0;
        StructType pass = s;
        outputs = s.size();
        s = addArray(s, "outputs", outputSize, flatten);
        int pred = -1;
        int cls = -1;
        int lbl = -1;
        switch (task) {
            case REGRESSION -> {
                if (outputSize == 1) {
                    pred = s.size();
                    s = s.add("prediction", DataTypes.DoubleType, true);
                }
            }
            case BINARY -> {
                pred = s.size();
                s = s.add("probability", DataTypes.DoubleType, true);
                cls = s.size();
                s = s.add("predicted_class", DataTypes.IntegerType, true);
            }
            case MULTICLASS -> {
                pred = s.size();
                s = addArray(s, "probability", outputSize, flatten);
                cls = s.size();
                s = s.add("predicted_class", DataTypes.IntegerType, true);
                if (!spec.classNames().isEmpty()) {
                    lbl = s.size();
                    s = s.add("predicted_label", DataTypes.StringType, true);
                }
            }
        }
        prediction = pred;
        predictedClass = cls;
        predictedLabel = lbl;
        if (spec.labelCount() > 0) {
            loss = s.size();
            s = s.add("loss", DataTypes.DoubleType, true);
        } else {
            loss = -1;
        }
        predictionSchema = s;
        reason = pass.size();
        quarantineSchema = pass.add("reason", DataTypes.StringType, true)
                .add("detail", DataTypes.StringType, true)
                .add("raw_record", DataTypes.StringType, true)
                .add("input_file", DataTypes.StringType, true);
    }

    private static StructType addArray(StructType s, String name, int size, boolean flatten) {
        if (!flatten) {
            return s.add(name, DataTypes.createArrayType(DataTypes.DoubleType, false), true);
        }
        for (int i = 0; i < size; i++) {
            s = s.add(name + "_" + i, DataTypes.DoubleType, true);
        }
        return s;
    }

    /**
     * Parquet writer settings for the prediction files: no dictionary encoding for the columns of
     * doubles the network computes ({@code outputs}, {@code probability}, {@code prediction},
     * {@code loss}). Such values are nearly all distinct, so a dictionary never pays: Parquet
     * builds one per column chunk until it outgrows its page and falls back to plain encoding,
     * which cost about 8% of the job's CPU time on the 128-feature benchmark for the same file. The
     * pass-through and class columns keep Parquet's default. Arrays are named both as Spark writes
     * them ({@code name.list.element}) and in its legacy layout ({@code name.bag.array}).
     */
    public Map<String, String> parquetOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = outputs; i < predictionSchema.size(); i++) {
            StructField f = predictionSchema.fields()[i];
            String key = "parquet.enable.dictionary#" + f.name();
            if (f.dataType() instanceof DoubleType) {
                options.put(key, "false");
            } else if (f.dataType() instanceof ArrayType) {
                options.put(key + ".list.element", "false");
                options.put(key + ".bag.array", "false");
            }
        }
        return options;
    }

    /** The schema of the prediction files. */
    public StructType predictionSchema() {
        return predictionSchema;
    }

    /** The schema of the quarantine files. */
    public StructType quarantineSchema() {
        return quarantineSchema;
    }
}
