package io.annscore.network;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One layer of neurons: a weight for every (neuron, input) pair, a bias per neuron, one summation
 * function and one activation function with its parameters. Immutable.
 *
 * <p>The weights are kept in input-major order, one array per input (w_ji at {@code [i][j]}), so
 * that the weighted sum runs as axpy loops {@code z[j] += w[i][j]·x_i} over whole arrays indexed
 * by the loop variable alone. That shape matters: HotSpot's C2 (JDK 17) vectorizes such loops, but
 * leaves them scalar when the arrays are addressed at different loop-invariant offsets, as in one
 * flat array {@code [i·outputSize + j]} (measured: about 3× slower).
 */
public final class Layer {
    private final int inputSize;
    private final int outputSize;
    private final double[][] weightsByInput;
    private final double[] bias;
    private final Summation summation;
    private final Activation activation;
    private final double alpha;
    private final double beta;
    private final LayerNorm layerNorm;

    /**
     * @param weights one row per neuron (outputSize rows of inputSize columns): weights[j][i] = w_ji
     * @param bias one value per neuron
     * @param parameters the activation's parameters by name; missing ones take their defaults
     * @throws IllegalArgumentException naming the neuron or parameter when the shapes do not agree,
     *     a value is not finite, or a parameter is unknown or out of range
     */
    public Layer(double[][] weights, double[] bias, Summation summation, Activation activation,
                 Map<String, Double> parameters) {
        this(weights, bias, summation, activation, parameters, null);
    }

    /**
     * As above, with a layer normalization of the net inputs before the activation.
     *
     * @param layerNorm applied to the net inputs before the activation, or null for none
     */
    public Layer(double[][] weights, double[] bias, Summation summation, Activation activation,
                 Map<String, Double> parameters, LayerNorm layerNorm) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(bias, "bias");
        Objects.requireNonNull(summation, "summation function");
        Objects.requireNonNull(activation, "activation function");
        Objects.requireNonNull(parameters, "activation parameters");
        if (weights.length == 0) {
            throw new IllegalArgumentException("a layer needs at least one neuron");
        }
        this.outputSize = weights.length;
        for (int j = 0; j < outputSize; j++) {
            if (weights[j] == null) {
                throw new IllegalArgumentException("neuron " + j + " has no weights");
            }
        }
        this.inputSize = weights[0].length;
        if (inputSize == 0) {
            throw new IllegalArgumentException("a layer needs at least one input");
        }
        if (bias.length != outputSize) {
            throw new IllegalArgumentException("expected " + outputSize + " biases (one per neuron), found " + bias.length);
        }
        this.weightsByInput = new double[inputSize][outputSize];
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
                weightsByInput[i][j] = w;
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
            if (p.getValue() == null) {
                throw new IllegalArgumentException("activation " + activation.id() + " parameter '" + p.getKey() + "' has no value");
            }
            values[k] = p.getValue();
        }
        this.alpha = values.length > 0 ? values[0] : 0.0;
        this.beta = values.length > 1 ? values[1] : 0.0;
        checkParameters();
        if (layerNorm != null && layerNorm.size() != outputSize) {
            throw new IllegalArgumentException("layer_norm has " + layerNorm.size() + " scales for " + outputSize
                    + " neurons");
        }
        this.layerNorm = layerNorm;
    }

    /** The normalization of the net inputs before the activation, or null. */
    public LayerNorm layerNorm() {
        return layerNorm;
    }

    private void checkParameters() {
        switch (activation) {
            case LEAKY_RELU:
            case ELU:
                if (!Double.isFinite(alpha) || alpha < 0) {
                    throw new IllegalArgumentException(activation.id() + " alpha must be finite and >= 0, found " + alpha);
                }
                break;
            case PRELU:
                if (!Double.isFinite(alpha)) {
                    throw new IllegalArgumentException("prelu slope must be finite, found " + alpha);
                }
                break;
            case CELU:
                if (!Double.isFinite(alpha) || alpha <= 0) {
                    throw new IllegalArgumentException("celu alpha must be finite and > 0, found " + alpha);
                }
                break;
            case CLIP:
                if (!Double.isFinite(alpha) || !Double.isFinite(beta) || alpha > beta) {
                    throw new IllegalArgumentException("clip needs finite min <= max, found min " + alpha + ", max " + beta);
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
        return weightsByInput[input][neuron];
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
        return (long) inputSize * outputSize + outputSize + (layerNorm == null ? 0 : 2L * outputSize);
    }

    // Package-private views for the forward pass: never handed out, never modified.
    /** w_ji at {@code [i][j]}: one array of outputSize weights per input. */
    double[][] weightsByInput() {
        return weightsByInput;
    }

    /** {@link #weightsByInput()} rounded to float32, made on first use (for {@link Precision#FLOAT32}). */
    private volatile float[][] weightsByInput32;
    private volatile float[] bias32;

    float[][] weightsByInput32() {
        float[][] w = weightsByInput32;
        if (w == null) {
            w = new float[inputSize][outputSize];
            for (int i = 0; i < inputSize; i++) {
                for (int j = 0; j < outputSize; j++) {
                    w[i][j] = (float) weightsByInput[i][j];
                }
            }
            weightsByInput32 = w;
        }
        return w;
    }

    float[] bias32() {
        float[] b = bias32;
        if (b == null) {
            b = new float[outputSize];
            for (int j = 0; j < outputSize; j++) {
                b[j] = (float) bias[j];
            }
            bias32 = b;
        }
        return b;
    }

    double[] biasArray() {
        return bias;
    }

    /**
     * The weights as {@link VectorKernel} reads them: for each block of outputs, one
     * array holding that block's weights input after input ({@code w_ji} for input i, outputs
     * j of the block), zeros past the last output; the bias padded with zeros to whole blocks.
     */
    record Packed64(double[][] weights, double[] bias) {
    }

    /** {@link Packed64} rounded to float32. */
    record Packed32(float[][] weights, float[] bias) {
    }

    private volatile Packed64 packed64;
    private volatile Packed32 packed32;

    /** The weights packed in blocks of {@link VectorKernel#BLOCK64} outputs, made on first use. */
    Packed64 packed64() {
        Packed64 p = packed64;
        if (p == null) {
            int block = VectorKernel.BLOCK64;
            int blocks = (outputSize + block - 1) / block;
            double[][] w = new double[blocks][inputSize * block];
            for (int c = 0; c < blocks; c++) {
                for (int i = 0; i < inputSize; i++) {
                    int width = Math.min(block, outputSize - c * block);
                    System.arraycopy(weightsByInput[i], c * block, w[c], i * block, width);
                }
            }
            p = new Packed64(w, Arrays.copyOf(bias, blocks * block));
            packed64 = p;
        }
        return p;
    }

    /** {@link #packed64} in float32, in blocks of {@link VectorKernel#BLOCK32} outputs. */
    Packed32 packed32() {
        Packed32 p = packed32;
        if (p == null) {
            int block = VectorKernel.BLOCK32;
            int blocks = (outputSize + block - 1) / block;
            float[][] w = new float[blocks][inputSize * block];
            float[][] rounded = weightsByInput32();
            for (int c = 0; c < blocks; c++) {
                for (int i = 0; i < inputSize; i++) {
                    int width = Math.min(block, outputSize - c * block);
                    System.arraycopy(rounded[i], c * block, w[c], i * block, width);
                }
            }
            p = new Packed32(w, Arrays.copyOf(bias32(), blocks * block));
            packed32 = p;
        }
        return p;
    }

    double alpha() {
        return alpha;
    }

    double beta() {
        return beta;
    }
}
