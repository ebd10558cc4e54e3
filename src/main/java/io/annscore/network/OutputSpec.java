package io.annscore.network;

import java.util.List;
import java.util.Objects;

/**
 * What the output layer's activations mean.
 *
 * @param task regression, binary or multiclass
 * @param classNames the class names in output order, or empty when not known
 * @param threshold for binary: the probability of the positive class above which the predicted
 *     class is 1 (default 0.5); ignored otherwise
 * @param values what a classifier's last layer produces: probabilities, logits or
 *     log-probabilities; the scorer turns the last two into probabilities (see
 *     {@link #toProbabilities}), so that only probabilities ever leave a {@link Scorer}
 */
public record OutputSpec(Task task, List<String> classNames, double threshold, OutputValues values) {

    public static final double DEFAULT_THRESHOLD = 0.5;

    public OutputSpec {
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(values, "output values");
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("the decision threshold must lie in (0, 1), found " + threshold);
        }
        if (task == Task.REGRESSION && !classNames.isEmpty()) {
            throw new IllegalArgumentException("a regression network has no class names");
        }
        if (task == Task.REGRESSION && values != OutputValues.PROBABILITIES) {
            throw new IllegalArgumentException("a regression network's outputs are taken as they are; "
                    + values.id() + " apply to classifiers (binary or multiclass) only");
        }
        if (task == Task.BINARY && !classNames.isEmpty() && classNames.size() != 2) {
            throw new IllegalArgumentException("a binary network has 2 class names, found " + classNames.size());
        }
    }

    /** A network whose last layer gives its outputs as they are (probabilities, for a classifier). */
    public OutputSpec(Task task, List<String> classNames, double threshold) {
        this(task, classNames, threshold, OutputValues.PROBABILITIES);
    }

    public static OutputSpec of(Task task) {
        return new OutputSpec(task, List.of(), DEFAULT_THRESHOLD);
    }

    public OutputSpec withValues(OutputValues newValues) {
        return new OutputSpec(task, classNames, threshold, newValues);
    }

    /** Checks that the output layer's size fits the task. */
    void checkOutputSize(int outputs) {
        switch (task) {
            case BINARY:
                if (outputs != 1 && outputs != 2) {
                    throw new IllegalArgumentException("a binary network has 1 output (the probability of class 1)"
                            + " or 2 (softmax), found " + outputs);
                }
                break;
            case MULTICLASS:
                if (outputs < 2) {
                    throw new IllegalArgumentException("a multiclass network has at least 2 outputs, found " + outputs);
                }
                if (!classNames.isEmpty() && classNames.size() != outputs) {
                    throw new IllegalArgumentException("the network has " + outputs + " outputs but "
                            + classNames.size() + " class names");
                }
                break;
            default:
        }
    }

    /**
     * Checks that a classifier's last layer produces what {@link #values} says, so that what
     * {@link #toProbabilities} gives is a probability (in [0, 1], summing to 1 over 2 or more
     * outputs):
     * <ul>
     *   <li>probabilities: one output ending in sigmoid, hard_sigmoid or binary_step, or two or
     *       more ending in softmax;</li>
     *   <li>logits: any last activation but those that already give probabilities or
     *       log-probabilities;</li>
     *   <li>log-probabilities: two or more outputs ending in log_softmax.</li>
     * </ul>
     *
     * @throws IllegalArgumentException that says what the last layer ends in and what it would
     *     take; a caller adds which field, flag or key declares the kind of outputs
     */
    void checkLastLayer(Layer last) {
        if (task == Task.REGRESSION) {
            return;
        }
        Activation a = last.activation();
        int n = last.outputSize();
        boolean probabilities = n == 1
                ? a == Activation.SIGMOID || a == Activation.HARD_SIGMOID || a == Activation.BINARY_STEP
                : a == Activation.SOFTMAX;
        switch (values) {
            case PROBABILITIES:
                if (!probabilities) {
                    String hint = a == Activation.LOG_SOFTMAX
                            ? "its values are log-probabilities: declare the outputs log_probabilities"
                            : "if its values are logits, declare the outputs logits";
                    throw new IllegalArgumentException("a " + task.id() + " network's last layer (" + n + " output"
                            + (n == 1 ? "" : "s") + ", activation " + a.id() + ") does not produce probabilities; "
                            + hint);
                }
                break;
            case LOGITS:
                if (a == Activation.SIGMOID || a == Activation.HARD_SIGMOID || a == Activation.BINARY_STEP
                        || a == Activation.SOFTMAX || a == Activation.LOG_SOFTMAX) {
                    throw new IllegalArgumentException("the outputs are declared logits, but the last layer ends in "
                            + a.id() + ", whose values are " + (a == Activation.LOG_SOFTMAX ? "log-probabilities"
                            : "already probabilities") + "; " + (a == Activation.LOG_SOFTMAX
                            ? "declare them log_probabilities" : "declare them probabilities"));
                }
                break;
            default:
                if (a != Activation.LOG_SOFTMAX || n < 2) {
                    throw new IllegalArgumentException("the outputs are declared log_probabilities, which needs a last"
                            + " layer of 2 or more outputs ending in log_softmax; this one has " + n + " output"
                            + (n == 1 ? "" : "s") + " ending in " + a.id());
                }
        }
    }

    /**
     * Turns the last layer's values {@code v[from..from+size)} into probabilities in place: softmax
     * of logits (2 or more outputs), the logistic sigmoid of a single logit, e^x of
     * log-probabilities; nothing for probabilities or a regression network.
     */
    public void toProbabilities(double[] v, int from, int size) {
        switch (values) {
            case LOGITS:
                if (size == 1) {
                    v[from] = Activation.sigmoid(v[from]);
                } else {
                    Activation.softmax(v, from, from + size);
                }
                break;
            case LOG_PROBABILITIES:
                for (int j = from; j < from + size; j++) {
                    v[j] = Math.exp(v[j]);
                }
                break;
            default:
        }
    }

    /** For binary: the probability of the positive class, from the probabilities the scorer gives. */
    public double positiveProbability(double[] outputs) {
        return Task.positiveProbability(outputs);
    }

    /**
     * The predicted class: for binary, 1 when the positive probability is above the threshold
     * (strictly, as scikit-learn and Spark MLlib decide);
     * for multiclass, the index of the largest output (the first one on ties).
     */
    public int predictedClass(double[] outputs) {
        return task == Task.BINARY ? task.predictedClass(outputs, threshold) : Task.argMax(outputs);
    }
}
