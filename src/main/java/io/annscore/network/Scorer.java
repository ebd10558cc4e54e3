package io.annscore.network;

import java.util.List;

/**
 * Runs a {@link Network} forward. Holds the scratch space, so one instance belongs to one thread;
 * it allocates nothing per row.
 *
 * <p>The weighted sum runs input by input as an axpy, z[j] += w_ji·x_i over contiguous arrays,
 * which the JIT turns into vector instructions; then the bias is added and the activation applied.
 * {@link #scoreBatch} does the same for a block of rows, reusing each input's weights across the
 * block while they are in cache. Both add the terms of a neuron in the same order, so a batch gives
 * exactly the row-by-row results.
 */
public final class Scorer {
    /** Rows scored together by {@link #scoreBatch}: small enough that a block of wide layers stays in L2. */
    public static final int BLOCK = 8;

    private final Network network;
    private final Layer[] layers;
    private final int width;
    private final double[] a;
    private final double[] b;
    private final double[] out;

    Scorer(Network network) {
        this.network = network;
        List<Layer> list = network.layers();
        this.layers = list.toArray(new Layer[0]);
        this.width = network.maxWidth();
        this.a = new double[BLOCK * width];
        this.b = new double[BLOCK * width];
        this.out = new double[network.outputSize()];
    }

    public Network network() {
        return network;
    }

    /**
     * Scores one row.
     *
     * @param features the row's features, in the network's input order, {@code inputSize} values
     *     from {@code offset}
     * @return the output layer's activations, in a buffer that the next call overwrites
     */
    public double[] score(double[] features, int offset) {
        int result = forward(features, offset, 1);
        System.arraycopy(result == 0 ? a : b, 0, out, 0, out.length);
        return out;
    }

    public double[] score(double[] features) {
        return score(features, 0);
    }

    /**
     * Scores {@code rows} rows stored one after another in {@code features} (inputSize values
     * each) and writes their outputs one after another into {@code outputs} (outputSize each).
     */
    public void scoreBatch(double[] features, int rows, double[] outputs) {
        int in = network.inputSize();
        int outSize = network.outputSize();
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            int n = Math.min(BLOCK, rows - r0);
            int result = forward(features, r0 * in, n);
            double[] src = result == 0 ? a : b;
            for (int r = 0; r < n; r++) {
                System.arraycopy(src, r * width, outputs, (r0 + r) * outSize, outSize);
            }
        }
    }

    /** Runs n ≤ BLOCK rows; returns 0 when the result is in {@code a}, 1 when in {@code b}. */
    private int forward(double[] features, int offset, int n) {
        InputSpec input = network.input();
        int in = input.size();
        double[] mean = input.meanArray();
        double[] scale = input.scaleArray();
        for (int r = 0; r < n; r++) {
            int src = offset + r * in;
            int dst = r * width;
            if (mean == null) {
                System.arraycopy(features, src, a, dst, in);
            } else {
                for (int i = 0; i < in; i++) {
                    a[dst + i] = (features[src + i] - mean[i]) / scale[i];
                }
            }
        }
        double[] x = a;
        double[] z = b;
        for (Layer layer : layers) {
            netInputs(layer, x, z, n);
            for (int r = 0; r < n; r++) {
                layer.activation().applyInPlace(z, r * width, r * width + layer.outputSize(), layer.alpha(), layer.beta());
            }
            double[] t = x;
            x = z;
            z = t;
        }
        return x == a ? 0 : 1;
    }

    private void netInputs(Layer layer, double[] x, double[] z, int n) {
        int in = layer.inputSize();
        int outSize = layer.outputSize();
        double[] wt = layer.weightsByInput();
        double[] bias = layer.biasArray();
        if (layer.summation() != Summation.WEIGHTED_SUM) {
            for (int r = 0; r < n; r++) {
                layer.summation().netInputs(wt, bias, in, outSize, x, r * width, z, r * width);
            }
            return;
        }
        for (int r = 0; r < n; r++) {
            java.util.Arrays.fill(z, r * width, r * width + outSize, 0.0);
        }
        for (int i = 0; i < in; i++) {
            int w0 = i * outSize;
            for (int r = 0; r < n; r++) {
                double xi = x[r * width + i];
                int z0 = r * width;
                for (int j = 0; j < outSize; j++) {
                    z[z0 + j] += wt[w0 + j] * xi;
                }
            }
        }
        for (int r = 0; r < n; r++) {
            int z0 = r * width;
            for (int j = 0; j < outSize; j++) {
                z[z0 + j] += bias[j];
            }
        }
    }
}
