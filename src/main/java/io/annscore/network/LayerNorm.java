package io.annscore.network;

/**
 * Layer normalization over a layer's net inputs (Ba, Kiros and Hinton, 2016), applied after the
 * summation function and before the activation: for the n net inputs z of one row,
 *
 * <pre>
 *   μ = (1/n)·Σ_j z_j
 *   σ² = (1/n)·Σ_j (z_j − μ)²                     (the biased variance, as PyTorch and ONNX use)
 *   y_j = (z_j − μ) / √(σ² + ε) · scale_j + bias_j
 * </pre>
 *
 * This is PyTorch's {@code nn.LayerNorm(n)} over the last axis and ONNX's
 * {@code LayerNormalization} with {@code axis = -1}. Immutable.
 *
 * @param epsilon ε, finite and ≥ 0 (PyTorch's default is 1e-5)
 * @param scale one factor per neuron
 * @param bias one offset per neuron
 */
public record LayerNorm(double epsilon, double[] scale, double[] bias) {

    public LayerNorm {
        if (!(Double.isFinite(epsilon) && epsilon >= 0)) {
            throw new IllegalArgumentException("layer_norm epsilon must be finite and >= 0, found " + epsilon);
        }
        if (scale == null || bias == null || scale.length != bias.length || scale.length == 0) {
            throw new IllegalArgumentException("layer_norm needs one scale and one bias per neuron");
        }
        for (int j = 0; j < scale.length; j++) {
            if (!Double.isFinite(scale[j]) || !Double.isFinite(bias[j])) {
                throw new IllegalArgumentException("layer_norm scale and bias must be finite; neuron " + j + " has "
                        + scale[j] + " and " + bias[j]);
            }
        }
        scale = scale.clone();
        bias = bias.clone();
    }

    public int size() {
        return scale.length;
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }

    @Override
    public double[] bias() {
        return bias.clone();
    }

    /** Normalizes {@code z[0..size)} in place. */
    void apply(double[] z) {
        int n = scale.length;
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += z[j];
        }
        double mean = sum / n;
        double squares = 0;
        for (int j = 0; j < n; j++) {
            double d = z[j] - mean;
            squares += d * d;
        }
        double sd = Math.sqrt(squares / n + epsilon);
        for (int j = 0; j < n; j++) {
            z[j] = (z[j] - mean) / sd * scale[j] + bias[j];
        }
    }
}
