package io.annscore.network;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a classifier's last layer produces, and so how its values become class probabilities
 * before anything predicts a class or computes a cost. A regression network's values are taken as
 * they are ({@link #PROBABILITIES}, the default, is the only kind it may declare).
 */
public enum OutputValues {
    /** The values are the probabilities themselves (a softmax or sigmoid output layer). */
    PROBABILITIES,
    /**
     * Unnormalized log-odds, as a PyTorch classifier trained with {@code CrossEntropyLoss} or
     * {@code BCEWithLogitsLoss} ends: turned into probabilities by softmax over the outputs (2 or
     * more outputs), or by the logistic sigmoid (1 output, the log-odds of class 1).
     */
    LOGITS,
    /** Log-probabilities, as a LogSoftmax output layer gives: turned into probabilities by e^x. */
    LOG_PROBABILITIES;

    /** The lower-case name used in model files, job files and flags. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OutputValues parse(String name) {
        for (OutputValues v : values()) {
            if (v.id().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown kind of outputs '" + name + "'; known: "
                + Arrays.stream(values()).map(OutputValues::id).collect(Collectors.joining(", ")));
    }
}
