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
