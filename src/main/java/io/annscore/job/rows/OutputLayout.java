package io.annscore.job.rows;

import io.annscore.job.JobKeys;
import io.annscore.job.OutputColumn;
import io.annscore.network.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The two kinds of rows the scoring pass writes, each in exactly the schema of its published files.
 *
 * <p>A prediction row holds, in this order, the columns of {@link OutputColumn} that the job asks
 * for ({@code output.columns}; by default every one that applies), and never one value twice:
 * <ul>
 *   <li>the pass-through columns;</li>
 *   <li>{@code outputs}: the last layer's own values, by default only where they are not the
 *       predictions below — a classifier whose last layer gives logits or log-probabilities, a
 *       regression network with several outputs;</li>
 *   <li>regression with one output: {@code prediction};</li>
 *   <li>classifiers: {@code probability} (binary: of class 1; multiclass: one per class) and
 *       {@code predicted_class}; multiclass networks that name their classes also
 *       {@code predicted_label};</li>
 *   <li>with labels: {@code loss}.</li>
 * </ul>
 * A vector ({@code outputs}, multiclass {@code probability}) is one {@code array<double>} column,
 * or with {@link Choice#flat} one double column per element: {@code outputs_0..},
 * {@code probability_0..}.
 *
 * <p>A quarantine row: the pass-through columns, {@code reason}, {@code detail},
 * {@code raw_record}, {@code input_file}.
 *
 * <p>The indices below are positions in the prediction row (for a vector: of its column, or of its
 * first column when flat), −1 for a column not written; and {@link #reason} in the quarantine row.
 */
public final class OutputLayout implements Serializable {
    /**
     * What the job asks to write: the columns (empty: every one that applies) and whether vectors
     * are one column per element. Small and serializable: it travels with the task.
     */
    public record Choice(List<OutputColumn> columns, boolean flat) implements Serializable {
        public Choice {
            columns = List.copyOf(columns);
        }

        /** Every column that applies, arrays as one column each. */
        public static final Choice ARRAYS = new Choice(List.of(), false);
        /** Every column that applies, one column per vector element. */
        public static final Choice COLUMNS = new Choice(List.of(), true);
    }

    final boolean flatten;
    final int passThrough;      // first pass-through column, or -1
    final int outputs;          // the last layer's values, or -1
    final int prediction;       // regression (1 output) / binary probability / multiclass probability array, or -1
    final int predictedClass;   // classifiers, else -1
    final int predictedLabel;   // multiclass with class names, else -1
    final int loss;             // with labels, else -1
    final int reason;           // in the quarantine row: reason, detail, raw_record, input_file follow
    /** Whether {@link #outputs} holds values other than the probabilities (logits, log-probabilities). */
    final boolean rawOutputs;
    private final StructType predictionSchema;
    private final StructType quarantineSchema;

    /** Every column that applies, arrays as arrays, for a network whose last layer gives probabilities. */
    public OutputLayout(RowSpec spec) {
        this(spec, false, Choice.ARRAYS);
    }

    /**
     * @param rawOutputs whether the network's last layer gives values other than what it predicts
     *     (a classifier's logits or log-probabilities)
     * @throws io.annscore.job.JobConfigException when a column asked for does not apply to the network or the job
     */
    public OutputLayout(RowSpec spec, boolean rawOutputs, Choice choice) {
        this.flatten = choice.flat();
        Task task = spec.task();
        int outputSize = spec.outputSize();
        boolean classifier = task != Task.REGRESSION;
        this.rawOutputs = classifier && rawOutputs;
        Set<OutputColumn> applies = EnumSet.of(OutputColumn.PASS_THROUGH, OutputColumn.OUTPUTS);
        if (task == Task.REGRESSION && outputSize == 1) {
            applies.add(OutputColumn.PREDICTION);
        }
        if (classifier) {
            applies.add(OutputColumn.PROBABILITY);
            applies.add(OutputColumn.PREDICTED_CLASS);
        }
        if (task == Task.MULTICLASS && !spec.classNames().isEmpty()) {
            applies.add(OutputColumn.PREDICTED_LABEL);
        }
        if (spec.labelCount() > 0) {
            applies.add(OutputColumn.LOSS);
        }
        Set<OutputColumn> selected;
        if (choice.columns().isEmpty()) {
            selected = EnumSet.copyOf(applies);
            if (!this.rawOutputs && !(task == Task.REGRESSION && outputSize > 1)) {
                selected.remove(OutputColumn.OUTPUTS);
            }
        } else {
            selected = EnumSet.copyOf(choice.columns());
            for (OutputColumn c : selected) {
                if (!applies.contains(c)) {
                    throw new io.annscore.job.JobConfigException("key " + JobKeys.OUTPUT_COLUMNS + ": " + c.id() + " "
                            + whyNot(c, spec) + "; this job can write " + applies.stream().map(OutputColumn::id)
                            .collect(Collectors.joining(", ")));
                }
            }
        }

        StructType s = new StructType();
        StructType pass = new StructType();
        for (int i = 0; i < spec.passThroughCount(); i++) {
            pass = pass.add(spec.passThroughNames().get(i), spec.passThroughTypes().get(i), true);
        }
        if (selected.contains(OutputColumn.PASS_THROUGH)) {
            passThrough = 0;
            s = pass;
        } else {
            passThrough = -1;
        }
        int out = -1;
        if (selected.contains(OutputColumn.OUTPUTS)) {
            out = s.size();
            s = addVector(s, "outputs", outputSize, flatten);
        }
        outputs = out;
        int pred = -1;
        if (selected.contains(OutputColumn.PREDICTION)) {
            pred = s.size();
            s = s.add("prediction", DataTypes.DoubleType, true);
        } else if (selected.contains(OutputColumn.PROBABILITY)) {
            pred = s.size();
            s = task == Task.BINARY ? s.add("probability", DataTypes.DoubleType, true)
                    : addVector(s, "probability", outputSize, flatten);
        }
        prediction = pred;
        predictedClass = selected.contains(OutputColumn.PREDICTED_CLASS) ? s.size() : -1;
        if (predictedClass >= 0) {
            s = s.add("predicted_class", DataTypes.IntegerType, true);
        }
        predictedLabel = selected.contains(OutputColumn.PREDICTED_LABEL) ? s.size() : -1;
        if (predictedLabel >= 0) {
            s = s.add("predicted_label", DataTypes.StringType, true);
        }
        loss = selected.contains(OutputColumn.LOSS) ? s.size() : -1;
        if (loss >= 0) {
            s = s.add("loss", DataTypes.DoubleType, true);
        }
        predictionSchema = s;
        reason = pass.size();
        quarantineSchema = pass.add("reason", DataTypes.StringType, true)
                .add("detail", DataTypes.StringType, true)
                .add("raw_record", DataTypes.StringType, true)
                .add("input_file", DataTypes.StringType, true);
    }

    private static String whyNot(OutputColumn c, RowSpec spec) {
        return switch (c) {
            case PREDICTION -> spec.task() == Task.REGRESSION
                    ? "is for one output; this network has " + spec.outputSize() + ": ask for outputs"
                    : "is for regression; this network is " + spec.task().id() + ": ask for probability or predicted_class";
            case PROBABILITY, PREDICTED_CLASS -> "is for classifiers; this network is regression";
            case PREDICTED_LABEL -> spec.task() == Task.MULTICLASS ? "needs class names, and the network has none"
                    : "is for multiclass networks; this one is " + spec.task().id();
            case LOSS -> "needs a label column (input.labels)";
            default -> "does not apply";
        };
    }

    private static StructType addVector(StructType s, String name, int size, boolean flatten) {
        if (!flatten) {
            return s.add(name, DataTypes.createArrayType(DataTypes.DoubleType, false), true);
        }
        for (int i = 0; i < size; i++) {
            s = s.add(name + "_" + i, DataTypes.DoubleType, true);
        }
        return s;
    }

    /** The prediction columns' names, in order. */
    public List<String> predictionColumns() {
        List<String> names = new ArrayList<>();
        for (StructField f : predictionSchema.fields()) {
            names.add(f.name());
        }
        return names;
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
        int first = passThrough < 0 ? 0 : reason;
        for (int i = first; i < predictionSchema.size(); i++) {
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
