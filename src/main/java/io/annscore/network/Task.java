package io.annscore.network;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a network's outputs mean, which decides the prediction columns and the cost metrics. */
public enum Task {
    /** One or more real-valued outputs, compared with one label column per output. */
    REGRESSION,
    /** Two classes; the output is the probability of the positive class (1 sigmoid output, or 2 softmax outputs). */
    BINARY,
    /** Two or more exclusive classes; the outputs are class probabilities (softmax). */
    MULTICLASS;

    /** The lower-case name used in model files, job files and the summary table. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The class a classifier's outputs predict — the one rule that the prediction columns and the
     * metrics share. Binary: 1 when the positive probability is above the threshold (strictly, as
     * scikit-learn and Spark MLlib decide). Multiclass: the index of the largest output, the first
     * one on ties.
     *
     * @throws IllegalStateException for regression, which has no classes
     */
    public int predictedClass(double[] outputs, double threshold) {
        return switch (this) {
            case REGRESSION -> throw new IllegalStateException("a regression network predicts no class");
            case BINARY -> binaryClass(positiveProbability(outputs), threshold);
            case MULTICLASS -> argMax(outputs);
        };
    }

    /** Binary: the class of positive probability {@code p}. */
    public static int binaryClass(double p, double threshold) {
        return p > threshold ? 1 : 0;
    }

    /** Binary: the probability of the positive class, the sigmoid output or the second of two softmax outputs. */
    public static double positiveProbability(double[] outputs) {
        return outputs[outputs.length - 1];
    }

    /** The index of the largest value, the first one on ties. */
    public static int argMax(double[] values) {
        int best = 0;
        for (int j = 1; j < values.length; j++) {
            if (values[j] > values[best]) {
                best = j;
            }
        }
        return best;
    }

    public static Task parse(String name) {
        for (Task t : values()) {
            if (t.id().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task '" + name + "'; known: "
                + Arrays.stream(values()).map(Task::id).collect(Collectors.joining(", ")));
    }
}
