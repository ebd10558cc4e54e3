package io.annscore.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The columns a prediction row can hold, as {@code output.columns} names them. Which ones apply
 * depends on the network: {@code io.annscore.job.rows.OutputLayout} says which, and builds the
 * schema.
 */
public enum OutputColumn {
    /** The {@code input.pass-through} columns (ids, keys), as in the input. */
    PASS_THROUGH,
    /** The last layer's own values when they are not the predictions themselves: a classifier's logits or log-probabilities, a regression's several outputs. */
    OUTPUTS,
    /** Regression with one output: the predicted value. */
    PREDICTION,
    /** Classifiers: binary, P(class 1); multiclass, one probability per class. */
    PROBABILITY,
    /** Classifiers: the predicted class index. */
    PREDICTED_CLASS,
    /** Multiclass networks that name their classes: the predicted class's name. */
    PREDICTED_LABEL,
    /** With labels: the row's loss. */
    LOSS;

    /** The name in job files and column names: {@code pass-through}, {@code predicted_class}, … */
    public String id() {
        return this == PASS_THROUGH ? "pass-through" : name().toLowerCase(Locale.ROOT);
    }

    public static OutputColumn parse(String id) {
        String s = id.trim();
        for (OutputColumn c : values()) {
            if (c.id().equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown output column '" + s + "'; known: "
                + Arrays.stream(values()).map(OutputColumn::id).collect(Collectors.joining(", ")));
    }
}
