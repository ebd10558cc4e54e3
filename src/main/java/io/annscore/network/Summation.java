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
     * (which {@link Scorer} computes with its own kernel). {@code w} holds the layer's weights by
     * input: w_ji = w[i][j]. The result goes to {@code z[0..out)}.
     *
     * <p>The loops run input by input over all neurons (contiguous in {@code w[i]}) rather than neuron
     * by neuron down a column; each neuron still combines its terms in input order 0, 1, …, then adds
     * its bias, exactly as the formulas read.
     */
    void netInputs(double[][] w, double[] bias, int in, int out, double[] x, double[] z) {
        switch (this) {
            case PRODUCT:
                Arrays.fill(z, 0, out, 1.0);
                for (int i = 0; i < in; i++) {
                    double[] wi = w[i];
                    double xi = x[i];
                    for (int j = 0; j < out; j++) {
                        z[j] *= wi[j] * xi;
                    }
                }
                break;
            case MAXIMUM:
                Arrays.fill(z, 0, out, Double.NEGATIVE_INFINITY);
                for (int i = 0; i < in; i++) {
                    double[] wi = w[i];
                    double xi = x[i];
                    for (int j = 0; j < out; j++) {
                        z[j] = Math.max(z[j], wi[j] * xi);
                    }
                }
                break;
            case MINIMUM:
                Arrays.fill(z, 0, out, Double.POSITIVE_INFINITY);
                for (int i = 0; i < in; i++) {
                    double[] wi = w[i];
                    double xi = x[i];
                    for (int j = 0; j < out; j++) {
                        z[j] = Math.min(z[j], wi[j] * xi);
                    }
                }
                break;
            case MAJORITY:
                Arrays.fill(z, 0, out, 0.0);
                for (int i = 0; i < in; i++) {
                    double[] wi = w[i];
                    double xi = x[i];
                    for (int j = 0; j < out; j++) {
                        z[j] += Math.signum(wi[j] * xi);
                    }
                }
                break;
            default:
                Arrays.fill(z, 0, out, 0.0);
                for (int i = 0; i < in; i++) {
                    double[] wi = w[i];
                    double xi = x[i];
                    for (int j = 0; j < out; j++) {
                        z[j] = Math.fma(wi[j], xi, z[j]);
                    }
                }
        }
        for (int j = 0; j < out; j++) {
            z[j] += bias[j];
        }
    }
}
