package io.annscore.network;

import java.util.List;

/**
 * What the output layer's activations mean.
 *
 * @param task regression, binary or multiclass
 * @param classNames the class names in output order, or empty when not known
 * @param threshold for binary: the probability of the positive class above which the predicted
 *     class is 1 (default 0.5); ignored otherwise
 */
public record OutputSpec(Task task, List<String> classNames, double threshold) {

    public static final double DEFAULT_THRESHOLD = 0.5;

    public OutputSpec {
        classNames = List.copyOf(classNames);
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("the decision threshold must lie in (0, 1), found " + threshold);
        }
        if (task == Task.REGRESSION && !classNames.isEmpty()) {
            throw new IllegalArgumentException("a regression network has no class names");
        }
        if (task == Task.BINARY && !classNames.isEmpty() && classNames.size() != 2) {
            throw new IllegalArgumentException("a binary network has 2 class names, found " + classNames.size());
        }
    }

    public static OutputSpec of(Task task) {
        return new OutputSpec(task, List.of(), DEFAULT_THRESHOLD);
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

    /** For binary: the probability of the positive class, from the output layer's activations. */
    public double positiveProbability(double[] outputs) {
        return outputs.length == 1 ? outputs[0] : outputs[1];
    }

    /**
     * The predicted class: for binary, 1 when the positive probability is above the threshold
     * (strictly, as scikit-learn and Spark MLlib decide);
     * for multiclass, the index of the largest output (the first one on ties).
     */
    public int predictedClass(double[] outputs) {
        if (task == Task.BINARY) {
            return positiveProbability(outputs) > threshold ? 1 : 0;
        }
        int best = 0;
        for (int k = 1; k < outputs.length; k++) {
            if (outputs[k] > outputs[best]) {
                best = k;
            }
        }
        return best;
    }
}
