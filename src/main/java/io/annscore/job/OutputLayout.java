package io.annscore.job;

import io.annscore.network.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The row the scoring pass emits for every input row, scored or quarantined, and how the
 * predictions and the quarantine outputs are cut from it.
 *
 * <p>Columns, in order: {@code _kind} (0 scored, 1 quarantined); the pass-through columns;
 * {@code outputs} (array&lt;double&gt;); the task's columns — regression with one output:
 * {@code prediction}; binary: {@code probability} (positive class), {@code predicted_class};
 * multiclass: {@code probability} (array), {@code predicted_class}, and {@code predicted_label}
 * when the network names its classes; with labels: {@code loss} and {@code _labels} (the parsed
 * labels, null when missing or invalid, for the metrics); the segment values {@code _s0..} as
 * strings; and for quarantined rows {@code reason}, {@code detail}, {@code raw_record},
 * {@code input_file}.
 */
final class OutputLayout implements Serializable {
    static final int SCORED = 0;
    static final int QUARANTINED = 1;

    final int passThrough;
    final int outputs;
    final int prediction;       // regression (1 output) / binary probability / multiclass probability array
    final int predictedClass;   // classifiers, else -1
    final int predictedLabel;   // multiclass with class names, else -1
    final int loss;             // with labels, else -1
    final int labels;           // with labels, else -1
    final int segments;
    final int reason;
    final int width;
    private final StructType schema;
    private final Task task;
    private final int outputSize;
    private final List<String> passThroughNames;
    private final int segmentCount;

    OutputLayout(ScoringSpec spec) {
        this.task = spec.task();
        this.outputSize = spec.outputSize();
        this.passThroughNames = spec.passThroughNames();
        this.segmentCount = spec.segmentCount();
        StructType s = new StructType().add("_kind", DataTypes.IntegerType, false);
        for (int i = 0; i < spec.passThroughCount(); i++) {
            s = s.add(spec.passThroughNames().get(i), spec.passThroughTypes().get(i), true);
        }
        passThrough = 1;
        outputs = s.size();
        s = s.add("outputs", DataTypes.createArrayType(DataTypes.DoubleType, false), true);
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
                s = s.add("probability", DataTypes.createArrayType(DataTypes.DoubleType, false), true);
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
            labels = s.size();
            s = s.add("_labels", DataTypes.createArrayType(DataTypes.DoubleType, false), true);
        } else {
            loss = -1;
            labels = -1;
        }
        segments = s.size();
        for (int i = 0; i < spec.segmentCount(); i++) {
            s = s.add("_s" + i, DataTypes.StringType, true);
        }
        reason = s.size();
        s = s.add("reason", DataTypes.StringType, true)
             .add("detail", DataTypes.StringType, true)
             .add("raw_record", DataTypes.StringType, true)
             .add("input_file", DataTypes.StringType, true);
        width = s.size();
        schema = s;
    }

    StructType schema() {
        return schema;
    }

    private List<Column> passThroughColumns() {
        List<Column> cols = new ArrayList<>();
        for (String name : passThroughNames) {
            cols.add(InputPlan.column(name));
        }
        return cols;
    }

    /** The predictions' columns; for CSV the arrays are flattened into {@code outputs_0..}, {@code probability_0..}. */
    Column[] predictionColumns(boolean flatten) {
        List<Column> cols = passThroughColumns();
        addArray(cols, "outputs", flatten);
        switch (task) {
            case REGRESSION -> {
                if (prediction >= 0) {
                    cols.add(functions.col("prediction"));
                }
            }
            case BINARY -> {
                cols.add(functions.col("probability"));
                cols.add(functions.col("predicted_class"));
            }
            case MULTICLASS -> {
                addArray(cols, "probability", flatten);
                cols.add(functions.col("predicted_class"));
                if (predictedLabel >= 0) {
                    cols.add(functions.col("predicted_label"));
                }
            }
        }
        if (loss >= 0) {
            cols.add(functions.col("loss"));
        }
        return cols.toArray(new Column[0]);
    }

    private void addArray(List<Column> cols, String name, boolean flatten) {
        if (!flatten) {
            cols.add(functions.col(name));
            return;
        }
        for (int i = 0; i < outputSize; i++) {
            cols.add(functions.col(name).getItem(i).as(name + "_" + i));
        }
    }

    /** The quarantine's columns: the pass-through columns, reason, detail, raw_record, input_file. */
    Column[] quarantineColumns() {
        List<Column> cols = passThroughColumns();
        for (String c : List.of("reason", "detail", "raw_record", "input_file")) {
            cols.add(functions.col(c));
        }
        return cols.toArray(new Column[0]);
    }

    /** The columns the metrics aggregation reads: _kind, outputs, _labels (or null), reason, segments. */
    Column[] aggregationColumns() {
        List<Column> cols = new ArrayList<>();
        cols.add(functions.col("_kind"));
        cols.add(functions.col("outputs"));
        cols.add(labels >= 0 ? functions.col("_labels") : functions.lit(null).cast(
                DataTypes.createArrayType(DataTypes.DoubleType, false)).as("_labels"));
        cols.add(functions.col("reason"));
        for (int i = 0; i < segmentCount; i++) {
            cols.add(functions.col("_s" + i));
        }
        return cols.toArray(new Column[0]);
    }
}
