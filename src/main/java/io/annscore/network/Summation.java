package io.annscore.network;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The summation function of a layer: how neuron j combines its inputs x_i, weights w_ji and bias
 * b_j into its net input, before the activation function.
 */
public enum Summation {
    /** Weighted sum (the usual one): net_j = Σ_i w_ji·x_i + b_j. */
    WEIGHTED_SUM("weighted_sum"),
    /** Product: net_j = Π_i (w_ji·x_i) + b_j. */
    PRODUCT("product"),
    /** Maximum: net_j = max_i (w_ji·x_i) + b_j. */
    MAXIMUM("maximum"),
    /** Minimum: net_j = min_i (w_ji·x_i) + b_j. */
    MINIMUM("minimum"),
    /**
     * Majority: net_j = Σ_i sgn(w_ji·x_i) + b_j — the number of positive terms minus the number of
     * negative ones (a zero term counts for neither), plus the bias.
     */
    MAJORITY("majority");

    /** The name of the cumulative total, which models may ask for and which is refused. */
    static final String CUMULATIVE = "cumulative";

    private final String id;

    Summation(String id) {
        this.id = id;
    }

    /** The name used in model files. */
    public String id() {
        return id;
    }

    /** Looks a function up by name; refuses the cumulative total and lists the known names otherwise. */
    public static Summation parse(String name) {
        for (Summation s : values()) {
            if (s.id.equals(name)) {
                return s;
            }
        }
        if (name.startsWith(CUMULATIVE)) {
            throw new IllegalArgumentException("summation function '" + name + "' is not supported: the"
                    + " cumulative total net(t) = net(t-1) + Σ w·x carries state from one row to the next,"
                    + " which has no meaning in batch scoring, where rows are independent and read in no"
                    + " fixed order");
        }
        throw new IllegalArgumentException("unknown summation function '" + name + "'; known: "
                + Arrays.stream(values()).map(Summation::id).collect(Collectors.joining(", ")));
    }

    /**
     * The net input of every neuron of one layer, for the functions other than the weighted sum
     * (which {@link Scorer} computes with a vectorizable loop). {@code wt} is the layer's weights in
     * input-major order: w_ji = wt[i·out + j].
     */
    void netInputs(double[] wt, double[] bias, int in, int out, double[] x, int xOff, double[] z, int zOff) {
        for (int j = 0; j < out; j++) {
            double acc;
            switch (this) {
                case PRODUCT: {
                    acc = 1.0;
                    for (int i = 0; i < in; i++) {
                        acc *= wt[i * out + j] * x[xOff + i];
                    }
                    break;
                }
                case MAXIMUM: {
                    acc = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < in; i++) {
                        acc = Math.max(acc, wt[i * out + j] * x[xOff + i]);
                    }
                    break;
                }
                case MINIMUM: {
                    acc = Double.POSITIVE_INFINITY;
                    for (int i = 0; i < in; i++) {
                        acc = Math.min(acc, wt[i * out + j] * x[xOff + i]);
                    }
                    break;
                }
                case MAJORITY: {
                    acc = 0.0;
                    for (int i = 0; i < in; i++) {
                        acc += Math.signum(wt[i * out + j] * x[xOff + i]);
                    }
                    break;
                }
                default: {
                    acc = 0.0;
                    for (int i = 0; i < in; i++) {
                        acc += wt[i * out + j] * x[xOff + i];
                    }
                }
            }
            z[zOff + j] = acc + bias[j];
        }
    }
}
