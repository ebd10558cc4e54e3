package io.annscore.network;

import java.util.Arrays;

/**
 * Runs a {@link Network} forward. Holds the scratch space, so one instance belongs to one thread;
 * it allocates nothing per row. A classifier's results are always probabilities: when its last
 * layer gives logits or log-probabilities, the scorer's last step turns them into the
 * probabilities they stand for (softmax, sigmoid or e^x; {@link OutputSpec#toProbabilities}).
 *
 * <h2>How the weighted sum is computed, and why</h2>
 *
 * Every neuron adds its terms in input order and its bias last, each term with one fused
 * multiply-add ({@link Math#fma}: the product is not rounded before it is added):
 * {@code net_j = fma(w_j,n−1, x_n−1, …fma(w_j1, x_1, fma(w_j0, x_0, 0))…) + b_j}. {@link #score} and
 * {@link #scoreBatch} therefore agree bit for bit with each other and with a plain loop written
 * that way; only the order in which neurons and rows are visited changes, never the order of one
 * neuron's terms. Against the textbook sum (a rounded product, then a rounded sum, per term) the
 * results differ by rounding only, well within 1e-12 relative (ScorerTest checks both); the fused
 * form is the more accurate of the two, and on this machine the faster.
 *
 * <p>The speed comes from four things, each measured (JDK 17 on AMD EPYC with AVX2: 4 doubles or 8 floats per vector; ForwardPassBench):
 * <ul>
 *   <li><b>Vectorizable loops.</b> The weights are stored one array per input
 *       ({@link Layer#weightsByInput()}), and the scratch one array per row, so the inner loop is
 *       {@code z[j] = fma(w_i[j], x_i, z[j])} over arrays indexed by {@code j} alone: C2 turns that
 *       into vector code. Over one flat array at offsets {@code i·out + j} it stayed scalar
 *       (C2 cannot tell that two different loop-invariant offsets never overlap).</li>
 *   <li><b>Several inputs per pass.</b> Nesting 2 or 4 fused multiply-adds in one statement keeps
 *       the order above while loading and storing {@code z[j]} once instead of once per input.</li>
 *   <li><b>Two rows per pass.</b> {@link #scoreBatch} runs up to {@link #BLOCK} rows together, inputs
 *       outermost, and feeds each weight it loads to two rows.</li>
 *   <li><b>Fused multiply-adds.</b> One instruction instead of two, and a smaller loop body: the
 *       4-input, 2-row pass vectorizes in every JVM run, where its unfused form did so in about half
 *       (batch of 128-256-128-10: 117k → 135k rows/s).</li>
 * </ul>
 *
 * <p>Those loops are the fallback. Where the JVM has the Vector API, which Spark 4.2 starts every
 * driver and executor with, the weighted sums of a batch are computed by {@link VectorKernel}
 * (register-tiled, the same terms in the same order, so the same bits), and so is the logistic
 * sigmoid: whole networks 1.2–2.3× faster in float64 and 1.3–2.0× in float32 (ForwardPassBench).
 * {@code -Dannscore.kernel=loops} chooses the loops anyway, {@code vector} insists on the Vector
 * API, {@code auto} (the default) takes it where it is.
 */
public final class Scorer {
    /** Rows scored together by {@link #scoreBatch}: each weight loaded serves all of them while in cache. */
    public static final int BLOCK = 8;

    /** The system property that chooses the weighted sums' kernel: auto, vector or loops. */
    public static final String KERNEL_PROPERTY = "annscore.kernel";

    private final Network network;
    private final Layer[] layers;
    private final int inputSize;
    private final int outputSize;
    private final int width;
    private final double[] mean;
    private final double[] scale;
    /** Ping-pong scratch: a layer reads rows of one and writes rows of the other. Rows 1.. are allocated on the first batch. */
    private final double[][] a;
    private final double[][] b;
    private final double[] out;
    private final OutputSpec outputSpec;
    /** Whether the last step turns logits and log-probabilities into probabilities. */
    private final boolean probabilities;

    private final Precision precision;
    /** Whether a batch's weighted sums go to {@link VectorKernel} (else to the loops below). */
    private final boolean vectorKernel;
    /** Float32 scratch, as {@code a} and {@code b} ({@link Precision#FLOAT32} only). */
    private final float[][] a32;
    private final float[][] b32;

    Scorer(Network network, boolean probabilities, Precision precision) {
        this(network, probabilities, precision, vectorKernelChosen());
    }

    Scorer(Network network, boolean probabilities, Precision precision, boolean vectorKernel) {
        this.probabilities = probabilities;
        this.precision = precision;
        this.vectorKernel = vectorKernel;
        // The vector kernel writes whole blocks of outputs: the scratch rows are padded to them.
        int width = vectorKernel ? roundUp(network.maxWidth(), Math.max(VectorKernel.BLOCK32, VectorKernel.BLOCK64))
                : network.maxWidth();
        if (precision == Precision.FLOAT32) {
            a32 = new float[BLOCK][width];
            b32 = new float[BLOCK][width];
        } else {
            a32 = null;
            b32 = null;
        }
        this.network = network;
        this.layers = network.layers().toArray(new Layer[0]);
        this.inputSize = network.inputSize();
        this.outputSize = network.outputSize();
        this.width = width;
        this.mean = network.input().meanArray();
        this.scale = network.input().scaleArray();
        this.a = new double[BLOCK][];
        this.b = new double[BLOCK][];
        this.a[0] = new double[width];
        this.b[0] = new double[width];
        this.out = new double[outputSize];
        this.outputSpec = network.output();
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    /** Whether this JVM has the Vector API; asked without loading {@link VectorKernel}, which would fail without it. */
    private static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** Reads {@link #KERNEL_PROPERTY}: whether new scorers (and column profiles) use the Vector API. */
    public static boolean vectorKernelChosen() {
        String chosen = System.getProperty(KERNEL_PROPERTY, "auto");
        switch (chosen) {
            case "auto":
                return vectorApiPresent();
            case "loops":
                return false;
            case "vector":
                if (!vectorApiPresent()) {
                    throw new IllegalStateException("-D" + KERNEL_PROPERTY + "=vector, but this JVM has no Vector API:"
                            + " start it with --add-modules=jdk.incubator.vector");
                }
                return true;
            default:
                throw new IllegalArgumentException("-D" + KERNEL_PROPERTY + " must be auto, vector or loops; found '" + chosen + "'");
        }
    }

    /** Which kernel new scorers in this JVM use, and why: one clause for a log line. */
    public static String kernelDescription() {
        if (vectorKernelChosen()) {
            return "weighted sums, sigmoids and column profiles by the Vector API (" + VectorKernel.BLOCK64 / 2 * 64 + "-bit vectors)";
        }
        return vectorApiPresent() ? "weighted sums by loops (-D" + KERNEL_PROPERTY + "=loops)"
                : "weighted sums by loops: this JVM has no Vector API (--add-modules=jdk.incubator.vector gives it)";
    }

    public Network network() {
        return network;
    }

    /** The weighted sums' kernel of this scorer's batches: "vector" ({@link VectorKernel}) or "loops". */
    public String kernel() {
        return vectorKernel ? "vector" : "loops";
    }

    public Precision precision() {
        return precision;
    }

    /**
     * Scores one row.
     *
     * @param features the row's features, in the network's input order, {@code inputSize} values
     *     from {@code offset}
     * @return the output layer's activations, in a buffer that the next call overwrites; for a
     *     classifier whose last layer gives logits or log-probabilities, the probabilities they
     *     stand for ({@link OutputSpec#toProbabilities})
     * @throws IllegalArgumentException when {@code features} has fewer than {@code offset + inputSize} values
     */
    public double[] score(double[] features, int offset) {
        if (offset < 0 || (long) offset + inputSize > features.length) {
            throw new IllegalArgumentException("a row needs " + inputSize + " features from offset " + offset
                    + ", but the array has " + features.length + " values");
        }
        double[][] result = forward(features, offset, 1);
        System.arraycopy(result[0], 0, out, 0, outputSize);
        return out;
    }

    public double[] score(double[] features) {
        return score(features, 0);
    }

    /**
     * Scores {@code rows} rows stored one after another in {@code features} (inputSize values
     * each) and writes their outputs one after another into {@code outputs} (outputSize each).
     * Gives exactly the values of {@link #score} row by row.
     *
     * @throws IllegalArgumentException when an array is too short for {@code rows} rows
     */
    public void scoreBatch(double[] features, int rows, double[] outputs) {
        if (rows < 0 || (long) rows * inputSize > features.length || (long) rows * outputSize > outputs.length) {
            throw new IllegalArgumentException(rows + " rows need " + (long) rows * inputSize + " features and room for "
                    + (long) rows * outputSize + " outputs; the arrays have " + features.length + " and " + outputs.length);
        }
        if (rows > 1 && a[1] == null) {
            for (int r = 1; r < BLOCK; r++) {
                a[r] = new double[width];
                b[r] = new double[width];
            }
        }
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            int n = Math.min(BLOCK, rows - r0);
            double[][] result = forward(features, r0 * inputSize, n);
            for (int r = 0; r < n; r++) {
                System.arraycopy(result[r], 0, outputs, (r0 + r) * outputSize, outputSize);
            }
        }
    }

    /** Runs n ≤ BLOCK rows; returns the scratch ({@code a} or {@code b}) whose rows hold the outputs. */
    private double[][] forward(double[] features, int offset, int n) {
        if (precision == Precision.FLOAT32) {
            return forward32(features, offset, n);
        }
        for (int r = 0; r < n; r++) {
            double[] xr = a[r];
            System.arraycopy(features, offset + r * inputSize, xr, 0, inputSize);
            if (mean != null) {
                for (int i = 0; i < inputSize; i++) {
                    xr[i] = (xr[i] - mean[i]) / scale[i];
                }
            }
        }
        double[][] x = a;
        double[][] z = b;
        for (Layer layer : layers) {
            int size = layer.outputSize();
            if (layer.summation() == Summation.WEIGHTED_SUM && vectorKernel) {
                VectorKernel.weightedSums(layer, x, z, n);
            } else if (layer.summation() == Summation.WEIGHTED_SUM) {
                weightedSums(layer, x, z, n);
            } else {
                for (int r = 0; r < n; r++) {
                    layer.summation().netInputs(layer.weightsByInput(), layer.biasArray(), layer.inputSize(), size, x[r], z[r]);
                }
            }
            LayerNorm norm = layer.layerNorm();
            if (norm != null) {
                for (int r = 0; r < n; r++) {
                    norm.apply(z[r]);
                }
            }
            Activation activation = layer.activation();
            for (int r = 0; r < n; r++) {
                if (activation == Activation.SIGMOID && vectorKernel) {
                    VectorKernel.sigmoids(z[r], 0, size);   // the rows are padded to whole vectors
                } else {
                    // x[r], the layer's input, is not needed any more: it serves as the activation's scratch
                    activation.applyInPlace(z[r], 0, size, layer.alpha(), layer.beta(), x[r]);
                }
            }
            double[][] t = x;
            x = z;
            z = t;
        }
        if (probabilities) {
            for (int r = 0; r < n; r++) {
                outputSpec.toProbabilities(x[r], 0, outputSize);
            }
        }
        return x;
    }

    /**
     * {@link #forward} in float32: the inputs (standardized in float32) and every layer's values are
     * floats; the weighted sums are float32 fused multiply-adds in input order, bias last, by the
     * same loop structure as in double; a layer of another summation or with a layer normalization
     * computes that step in double from the float values, and each activation is computed in double
     * ({@link Activation#applyInPlaceBeforeFloatRounding}) and rounded. The outputs are written, widened, into rows of {@code a}.
     */
    private double[][] forward32(double[] features, int offset, int n) {
        for (int r = 0; r < n; r++) {
            float[] xr = a32[r];
            int from = offset + r * inputSize;
            if (mean != null) {
                for (int i = 0; i < inputSize; i++) {
                    xr[i] = ((float) features[from + i] - (float) mean[i]) / (float) scale[i];
                }
            } else if (vectorKernel) {
                VectorKernel.narrow(features, from, xr, inputSize); // C2 does not vectorize this conversion on JDK 17
            } else {
                for (int i = 0; i < inputSize; i++) {
                    xr[i] = (float) features[from + i];
                }
            }
        }
        float[][] x = a32;
        float[][] z = b32;
        double[] wide = b[0];
        for (Layer layer : layers) {
            int size = layer.outputSize();
            if (layer.summation() == Summation.WEIGHTED_SUM && vectorKernel) {
                VectorKernel.weightedSums(layer, x, z, n);
            } else if (layer.summation() == Summation.WEIGHTED_SUM) {
                weightedSums32(layer, x, z, n);
            } else {
                for (int r = 0; r < n; r++) {
                    double[] in = a[0];
                    for (int i = 0; i < layer.inputSize(); i++) {
                        in[i] = x[r][i];
                    }
                    layer.summation().netInputs(layer.weightsByInput(), layer.biasArray(), layer.inputSize(), size, in, wide);
                    for (int j = 0; j < size; j++) {
                        z[r][j] = (float) wide[j];
                    }
                }
            }
            LayerNorm norm = layer.layerNorm();
            Activation activation = layer.activation();
            for (int r = 0; r < n; r++) {
                float[] zr = z[r];
                if (activation == Activation.SIGMOID && norm == null && vectorKernel) {
                    VectorKernel.sigmoidsBeforeFloatRounding(zr, 0, size);   // the rows are padded to whole vectors
                    continue;
                }
                for (int j = 0; j < size; j++) {
                    wide[j] = zr[j];
                }
                if (norm != null) {
                    norm.apply(wide);
                }
                activation.applyInPlaceBeforeFloatRounding(wide, 0, size, layer.alpha(), layer.beta());
                for (int j = 0; j < size; j++) {
                    zr[j] = (float) wide[j];
                }
            }
            float[][] t = x;
            x = z;
            z = t;
        }
        for (int r = 0; r < n; r++) {
            double[] out = a[r];
            for (int j = 0; j < outputSize; j++) {
                out[j] = x[r][j];
            }
            if (probabilities) {
                outputSpec.toProbabilities(out, 0, outputSize);
            }
        }
        return a;
    }

    /** {@link #weightedSums} in float32. */
    static void weightedSums32(Layer layer, float[][] x, float[][] z, int n) {
        float[][] w = layer.weightsByInput32();
        int in = layer.inputSize();
        int out = layer.outputSize();
        for (int r = 0; r < n; r++) {
            Arrays.fill(z[r], 0, out, 0f);
        }
        int i = 0;
        if (n == 1) {
            float[] x0 = x[0];
            float[] z0 = z[0];
            for (; i + 4 <= in; i += 4) {
                add4(z0, w[i], w[i + 1], w[i + 2], w[i + 3], x0[i], x0[i + 1], x0[i + 2], x0[i + 3], out);
            }
        } else {
            for (; i + 4 <= in; i += 4) {
                float[] w0 = w[i];
                float[] w1 = w[i + 1];
                float[] w2 = w[i + 2];
                float[] w3 = w[i + 3];
                int r = 0;
                for (; r + 2 <= n; r += 2) {
                    float[] xa = x[r];
                    float[] xb = x[r + 1];
                    add4x2(z[r], z[r + 1], w0, w1, w2, w3, xa[i], xa[i + 1], xa[i + 2], xa[i + 3],
                            xb[i], xb[i + 1], xb[i + 2], xb[i + 3], out);
                }
                if (r < n) {
                    float[] xr = x[r];
                    add4(z[r], w0, w1, w2, w3, xr[i], xr[i + 1], xr[i + 2], xr[i + 3], out);
                }
            }
        }
        for (; i < in; i++) {
            float[] wi = w[i];
            for (int r = 0; r < n; r++) {
                add1(z[r], wi, x[r][i], out);
            }
        }
        float[] bias = layer.bias32();
        for (int r = 0; r < n; r++) {
            add1(z[r], bias, 1f, out);
        }
    }

    private static void add4x2(float[] za, float[] zb, float[] w0, float[] w1, float[] w2, float[] w3,
                               float a0, float a1, float a2, float a3, float b0, float b1, float b2, float b3, int out) {
        for (int j = 0; j < out; j++) {
            float q0 = w0[j], q1 = w1[j], q2 = w2[j], q3 = w3[j];
            float sa = za[j], sb = zb[j];
            za[j] = Math.fma(q3, a3, Math.fma(q2, a2, Math.fma(q1, a1, Math.fma(q0, a0, sa))));
            zb[j] = Math.fma(q3, b3, Math.fma(q2, b2, Math.fma(q1, b1, Math.fma(q0, b0, sb))));
        }
    }

    private static void add4(float[] z, float[] w0, float[] w1, float[] w2, float[] w3,
                             float x0, float x1, float x2, float x3, int out) {
        for (int j = 0; j < out; j++) {
            z[j] = Math.fma(w3[j], x3, Math.fma(w2[j], x2, Math.fma(w1[j], x1, Math.fma(w0[j], x0, z[j]))));
        }
    }

    private static void add1(float[] z, float[] w, float x, int out) {
        for (int j = 0; j < out; j++) {
            z[j] = Math.fma(w[j], x, z[j]);
        }
    }

    /** z[r][j] = Σ_i w_ji·x[r][i] + b_j for the first n rows, terms added in input order. */
    static void weightedSums(Layer layer, double[][] x, double[][] z, int n) {
        double[][] w = layer.weightsByInput();
        int in = layer.inputSize();
        int out = layer.outputSize();
        for (int r = 0; r < n; r++) {
            Arrays.fill(z[r], 0, out, 0.0);
        }
        int i = 0;
        if (n == 1) {
            // One row (score): four inputs per pass over z.
            double[] x0 = x[0];
            double[] z0 = z[0];
            for (; i + 4 <= in; i += 4) {
                add4(z0, w[i], w[i + 1], w[i + 2], w[i + 3], x0[i], x0[i + 1], x0[i + 2], x0[i + 3], out);
            }
        } else {
            // A batch: two inputs for two rows per pass, so each weight loaded serves both rows. Inputs
            // outermost, so that a layer's weights stream through the cache once per block, not per row.
            for (; i + 4 <= in; i += 4) {
                double[] w0 = w[i];
                double[] w1 = w[i + 1];
                double[] w2 = w[i + 2];
                double[] w3 = w[i + 3];
                int r = 0;
                for (; r + 2 <= n; r += 2) {
                    double[] xa = x[r];
                    double[] xb = x[r + 1];
                    add4x2(z[r], z[r + 1], w0, w1, w2, w3, xa[i], xa[i + 1], xa[i + 2], xa[i + 3],
                            xb[i], xb[i + 1], xb[i + 2], xb[i + 3], out);
                }
                if (r < n) {
                    double[] xr = x[r];
                    add4(z[r], w0, w1, w2, w3, xr[i], xr[i + 1], xr[i + 2], xr[i + 3], out);
                }
            }
            for (; i + 2 <= in; i += 2) {
                double[] w0 = w[i];
                double[] w1 = w[i + 1];
                int r = 0;
                for (; r + 2 <= n; r += 2) {
                    double[] xa = x[r];
                    double[] xb = x[r + 1];
                    add2x2(z[r], z[r + 1], w0, w1, xa[i], xa[i + 1], xb[i], xb[i + 1], out);
                }
                if (r < n) {
                    add2(z[r], w0, w1, x[r][i], x[r][i + 1], out);
                }
            }
        }
        for (; i < in; i++) {
            double[] wi = w[i];
            for (int r = 0; r < n; r++) {
                add1(z[r], wi, x[r][i], out);
            }
        }
        double[] bias = layer.biasArray();
        for (int r = 0; r < n; r++) {
            add1(z[r], bias, 1.0, out);
        }
    }

    // The kernels. Each statement adds its terms innermost first, i.e. in input order.
    //
    // They are kept small on purpose: C2 only unrolls (and so only vectorizes) a loop whose body is
    // under LoopUnrollLimit (60 nodes) unless its superword analysis vouches for it first, and for
    // bodies near the limit that happened in some compilations and not in others. Unfused, a
    // 4-input, 2-row body fell to scalar speed (3× slower) in about half of the JVM runs; fused, it
    // vectorized in every run we made. An 8-input, 1-row body never vectorized, fused or not.

    private static void add4x2(double[] za, double[] zb, double[] w0, double[] w1, double[] w2, double[] w3,
                               double a0, double a1, double a2, double a3, double b0, double b1, double b2, double b3, int out) {
        for (int j = 0; j < out; j++) {
            double q0 = w0[j], q1 = w1[j], q2 = w2[j], q3 = w3[j];
            double sa = za[j], sb = zb[j];
            za[j] = Math.fma(q3, a3, Math.fma(q2, a2, Math.fma(q1, a1, Math.fma(q0, a0, sa))));
            zb[j] = Math.fma(q3, b3, Math.fma(q2, b2, Math.fma(q1, b1, Math.fma(q0, b0, sb))));
        }
    }

    private static void add4(double[] z, double[] w0, double[] w1, double[] w2, double[] w3,
                             double x0, double x1, double x2, double x3, int out) {
        for (int j = 0; j < out; j++) {
            z[j] = Math.fma(w3[j], x3, Math.fma(w2[j], x2, Math.fma(w1[j], x1, Math.fma(w0[j], x0, z[j]))));
        }
    }

    /**
     * Both rows' sums are read before either is written: written the other way round, C2 must
     * assume {@code zb} may be {@code za} (same element) and did not vectorize the loop.
     */
    private static void add2x2(double[] za, double[] zb, double[] w0, double[] w1,
                               double a0, double a1, double b0, double b1, int out) {
        for (int j = 0; j < out; j++) {
            double q0 = w0[j], q1 = w1[j];
            double sa = za[j], sb = zb[j];
            za[j] = Math.fma(q1, a1, Math.fma(q0, a0, sa));
            zb[j] = Math.fma(q1, b1, Math.fma(q0, b0, sb));
        }
    }

    private static void add2(double[] z, double[] w0, double[] w1, double x0, double x1, int out) {
        for (int j = 0; j < out; j++) {
            z[j] = Math.fma(w1[j], x1, Math.fma(w0[j], x0, z[j]));
        }
    }

    private static void add1(double[] z, double[] w, double x, int out) {
        for (int j = 0; j < out; j++) {
            z[j] = Math.fma(w[j], x, z[j]);
        }
    }
}
