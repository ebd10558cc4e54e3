package io.annscore.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One layer of neurons: a weight for every (neuron, input) pair, a bias per neuron, one summation
 * function and one activation function with its parameters. Immutable.
 *
 * <p>The weights are kept in input-major order (w_ji at {@code [i·outputSize + j]}), so that the
 * weighted sum runs as an axpy over contiguous arrays, which the JIT vectorizes.
 */
public final class Layer {
    private final int inputSize;
    private final int outputSize;
    private final double[] weightsByInput;
    private final double[] bias;
    private final Summation summation;
    private final Activation activation;
    private final double alpha;
    private final double beta;

    /**
     * @param weights one row per neuron (outputSize rows of inputSize columns): weights[j][i] = w_ji
     * @param bias one value per neuron
     * @param parameters the activation's parameters by name; missing ones take their defaults
     * @throws IllegalArgumentException naming the neuron or parameter when the shapes do not agree,
     *     a value is not finite, or a parameter is unknown or out of range
     */
    public Layer(double[][] weights, double[] bias, Summation summation, Activation activation,
                 Map<String, Double> parameters) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("a layer needs at least one neuron");
        }
        this.outputSize = weights.length;
        this.inputSize = weights[0].length;
        if (inputSize == 0) {
            throw new IllegalArgumentException("a layer needs at least one input");
        }
        if (bias.length != outputSize) {
            throw new IllegalArgumentException("expected " + outputSize + " biases (one per neuron), found " + bias.length);
        }
        this.weightsByInput = new double[Math.multiplyExact(inputSize, outputSize)];
        for (int j = 0; j < outputSize; j++) {
            if (weights[j].length != inputSize) {
                throw new IllegalArgumentException("neuron " + j + " has " + weights[j].length
                        + " weights, expected " + inputSize + " (as neuron 0)");
            }
            for (int i = 0; i < inputSize; i++) {
                double w = weights[j][i];
                if (!Double.isFinite(w)) {
                    throw new IllegalArgumentException("weight [" + j + "][" + i + "] is not finite: " + w);
                }
                weightsByInput[i * outputSize + j] = w;
            }
            if (!Double.isFinite(bias[j])) {
                throw new IllegalArgumentException("bias [" + j + "] is not finite: " + bias[j]);
            }
        }
        this.bias = bias.clone();
        this.summation = summation;
        this.activation = activation;
        double[] values = activation.defaultParameters();
        List<String> names = activation.parameterNames();
        for (Map.Entry<String, Double> p : parameters.entrySet()) {
            int k = names.indexOf(p.getKey());
            if (k < 0) {
                throw new IllegalArgumentException("activation " + activation.id() + " takes "
                        + (names.isEmpty() ? "no parameters" : "only " + names) + ", found '" + p.getKey() + "'");
            }
            values[k] = p.getValue();
        }
        this.alpha = values.length > 0 ? values[0] : 0.0;
        this.beta = values.length > 1 ? values[1] : 0.0;
        checkParameters();
    }

    private void checkParameters() {
        switch (activation) {
            case LEAKY_RELU:
            case ELU:
                if (!Double.isFinite(alpha) || alpha < 0) {
                    throw new IllegalArgumentException(activation.id() + " alpha must be finite and >= 0, found " + alpha);
                }
                break;
            case HARD_SIGMOID:
                if (!Double.isFinite(alpha) || alpha <= 0 || !Double.isFinite(beta)) {
                    throw new IllegalArgumentException("hard_sigmoid needs a finite alpha > 0 and a finite beta, found alpha "
                            + alpha + ", beta " + beta);
                }
                break;
            default:
        }
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    /** The weight w_ji of neuron {@code neuron} for input {@code input}. */
    public double weight(int neuron, int input) {
        return weightsByInput[input * outputSize + neuron];
    }

    public double bias(int neuron) {
        return bias[neuron];
    }

    /** A copy of the weights, one row per neuron. */
    public double[][] weights() {
        double[][] w = new double[outputSize][inputSize];
        for (int j = 0; j < outputSize; j++) {
            for (int i = 0; i < inputSize; i++) {
                w[j][i] = weight(j, i);
            }
        }
        return w;
    }

    /** A copy of the biases. */
    public double[] biases() {
        return bias.clone();
    }

    public Summation summation() {
        return summation;
    }

    public Activation activation() {
        return activation;
    }

    /** The activation's parameters by name (empty for functions that take none). */
    public Map<String, Double> activationParameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        List<String> names = activation.parameterNames();
        if (names.size() > 0) {
            p.put(names.get(0), alpha);
        }
        if (names.size() > 1) {
            p.put(names.get(1), beta);
        }
        return p;
    }

    public long parameterCount() {
        return (long) inputSize * outputSize + outputSize;
    }

    // Package-private views for the forward pass: never handed out, never modified.
    double[] weightsByInput() {
        return weightsByInput;
    }

    double[] biasArray() {
        return bias;
    }

    double alpha() {
        return alpha;
    }

    double beta() {
        return beta;
    }
}
