package io.annscore.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The forward pass: a hand-computed network, buffer reuse, and the batched kernels against a plain
 * reference implementation written here (a dot product per neuron in input order, one fused
 * multiply-add per term, bias last), bit for bit, for networks of many shapes and every summation
 * and activation function; and within 1e-12 of the textbook dot product (a rounded product, then a
 * rounded sum, per term).
 */
class ScorerTest {

    @Test
    void handComputedNetwork() {
        // Given 2 inputs → 2 sigmoid neurons → 1 sigmoid output (binary)
        Layer hidden = new Layer(new double[][] {{0.5, -1}, {2, 0.25}}, new double[] {0.1, -0.3},
                Summation.WEIGHTED_SUM, Activation.SIGMOID, Map.of());
        Layer output = new Layer(new double[][] {{1.5, -0.5}}, new double[] {0.2},
                Summation.WEIGHTED_SUM, Activation.SIGMOID, Map.of());
        Network n = new Network(ModelInfo.named("hand"), InputSpec.named(List.of("a", "b")), List.of(hidden, output),
                OutputSpec.of(Task.BINARY));
        // When x = (1, 2):
        //   net_0 = 0.5·1 − 1·2 + 0.1 = −1.4 → σ = 0.19781611144141825
        //   net_1 = 2·1 + 0.25·2 − 0.3 = 2.2 → σ = 0.9002495108803148
        //   out   = σ(1.5·0.19781611144141825 − 0.5·0.9002495108803148 + 0.2) = σ(0.04659941172196996)
        //         = 0.5116477452451845
        double[] out = n.newScorer().score(new double[] {1, 2});
        assertEquals(1, out.length);
        assertEquals(0.5116477452451845, out[0], 1e-16);
        assertEquals(1, n.output().predictedClass(out));
    }

    @Test
    void softmaxLayerOfHugeNetInputs() {
        // Identity weights pass (1000, 1000, −1000) to the softmax: e^(x − 1000) → (1, 1, 0) / 2
        Layer l = new Layer(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, new double[3],
                Summation.WEIGHTED_SUM, Activation.SOFTMAX, Map.of());
        Network n = new Network(ModelInfo.named("s"), new InputSpec(List.of(), 3, null, null), List.of(l),
                OutputSpec.of(Task.MULTICLASS));
        assertArrayEquals(new double[] {0.5, 0.5, 0.0}, n.newScorer().score(new double[] {1000, 1000, -1000}), 0.0);
    }

    @Test
    void scoreReturnsTheSameBufferEveryTime() {
        Network n = randomNetwork(new Random(1), new int[] {5, 7, 3}, Summation.WEIGHTED_SUM, Activation.TANH);
        Scorer scorer = n.newScorer();
        double[] first = scorer.score(new double[] {1, 2, 3, 4, 5});
        double[] firstValues = first.clone();
        double[] second = scorer.score(new double[] {-1, 0, 1, 0, -1});
        assertSame(first, second, "the result buffer is reused");
        assertTrue(!java.util.Arrays.equals(firstValues, second), "and overwritten by the next row");
        assertArrayEquals(firstValues, scorer.score(new double[] {1, 2, 3, 4, 5}), 0.0);
    }

    @Test
    void scoringAllocatesNothingPerRow() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM reports no allocation per thread");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        Network n = randomNetwork(new Random(2), new int[] {20, 140, 30, 4}, Summation.WEIGHTED_SUM, Activation.SIGMOID);
        Scorer scorer = n.newScorer();
        int rows = 5000;
        double[] features = randomRows(new Random(3), rows, 20);
        double[] outputs = new double[rows * 4];
        scorer.scoreBatch(features, rows, outputs);   // the first batch allocates the batch scratch
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int r = 0; r < rows; r++) {
            scorer.score(features, r * 20);
        }
        scorer.scoreBatch(features, rows, outputs);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        // 2 × 5000 rows: anything per row would be ≥ 10 000 × 16 bytes. Allow a little for the JVM itself.
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes scoring " + 2 * rows + " rows");
    }

    @Test
    void batchEqualsRowByRowAndTheReferenceForEverySummationAndActivation() {
        Random random = new Random(11);
        int[] rowCounts = {0, 1, 2, Scorer.BLOCK - 1, Scorer.BLOCK, Scorer.BLOCK + 1, 3 * Scorer.BLOCK + 5};
        for (Summation s : Summation.values()) {
            for (Activation a : Activation.values()) {
                // 7 inputs → 9 neurons with (s, a) → 131 neurons (the wide kernel), weighted sum with a → 3 outputs
                Network n = network(random, new int[] {7, 9, 131, 3},
                        new Summation[] {s, Summation.WEIGHTED_SUM, Summation.WEIGHTED_SUM},
                        new Activation[] {a, a, Activation.IDENTITY}, random.nextBoolean());
                for (int rows : rowCounts) {
                    checkAgainstReference(n, randomRows(random, rows, 7), rows, s + "/" + a + ", " + rows + " rows");
                }
            }
        }
    }

    @Test
    void batchEqualsRowByRowAndTheReferenceForRandomShapes() {
        Random random = new Random(12);
        int[][] shapes = {
            {1, 1}, {3, 5, 2}, {4, 4, 4, 4}, {13, 127, 1}, {13, 128, 6}, {130, 129, 131, 10},
            {32, 64, 32, 4}, {5, 300, 2}, {301, 7, 3}, {2, 1, 2, 1, 2},
        };
        for (int[] shape : shapes) {
            for (int t = 0; t < 3; t++) {
                Network n = randomNetwork(random, shape, null, null);
                int rows = 1 + random.nextInt(4 * Scorer.BLOCK + 3);
                checkAgainstReference(n, randomRows(random, rows, shape[0]), rows, java.util.Arrays.toString(shape));
            }
        }
    }

    @Test
    void eightThreadsShareOneNetwork() throws Exception {
        Network n = randomNetwork(new Random(21), new int[] {64, 256, 128, 10}, Summation.WEIGHTED_SUM, Activation.SIGMOID);
        int rows = 700;
        double[] features = randomRows(new Random(22), rows, 64);
        double[] expected = new double[rows * 10];
        n.newScorer().scoreBatch(features, rows, expected);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<double[][]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    Scorer scorer = n.newScorer();
                    start.await();
                    double[] batch = new double[rows * 10];
                    double[] single = new double[rows * 10];
                    for (int round = 0; round < 3; round++) {
                        scorer.scoreBatch(features, rows, batch);
                        for (int r = 0; r < rows; r++) {
                            System.arraycopy(scorer.score(features, r * 64), 0, single, r * 10, 10);
                        }
                    }
                    return new double[][] {batch, single};
                }));
            }
            start.countDown();
            for (Future<double[][]> f : results) {
                double[][] got = f.get(2, TimeUnit.MINUTES);
                assertArrayEquals(expected, got[0], 0.0, "scoreBatch on a shared network");
                assertArrayEquals(expected, got[1], 0.0, "score on a shared network");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void argumentsAreChecked() {
        Scorer scorer = randomNetwork(new Random(4), new int[] {3, 2}, null, null).newScorer();
        assertEquals("a row needs 3 features from offset 2, but the array has 4 values",
                assertThrows(IllegalArgumentException.class, () -> scorer.score(new double[4], 2)).getMessage());
        assertEquals("2 rows need 6 features and room for 4 outputs; the arrays have 5 and 4",
                assertThrows(IllegalArgumentException.class, () -> scorer.scoreBatch(new double[5], 2, new double[4])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> scorer.scoreBatch(new double[6], 2, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> scorer.scoreBatch(new double[6], -1, new double[4]));
    }

    // ---------------------------------------------------------------------------------------------

    /** score() row by row, scoreBatch(), and the reference below must give the same bits. */
    /** Checks both kernels, whatever this JVM would choose. */
    private static void checkAgainstReference(Network n, double[] features, int rows, String what) {
        for (boolean vectorKernel : new boolean[] {true, false}) {
            checkAgainstReference(new Scorer(n, true, Precision.FLOAT64, vectorKernel), features, rows,
                    what + (vectorKernel ? ", vector kernel" : ", loops"));
        }
    }

    private static void checkAgainstReference(Scorer scorer, double[] features, int rows, String what) {
        Network n = scorer.network();
        int in = n.inputSize();
        int out = n.outputSize();
        double[] batch = new double[rows * out + 3];
        java.util.Arrays.fill(batch, 42.0);
        scorer.scoreBatch(features, rows, batch);
        for (int k = rows * out; k < batch.length; k++) {
            assertEquals(42.0, batch[k], "scoreBatch writes nothing past its rows: " + what);
        }
        for (int r = 0; r < rows; r++) {
            double[] single = scorer.score(features, r * in);
            double[] reference = reference(n, features, r * in, true);
            double[] textbook = reference(n, features, r * in, false);
            for (int k = 0; k < out; k++) {
                String where = what + ", row " + r + ", output " + k;
                assertTrue(Math.abs(single[k] - textbook[k]) <= 1e-12 * Math.max(1.0, Math.abs(textbook[k])),
                        where + ": score " + single[k] + " vs the textbook sum " + textbook[k]);
                assertEquals(Double.doubleToLongBits(reference[k]), Double.doubleToLongBits(single[k]),
                        where + ": score " + single[k] + " vs reference " + reference[k]);
                assertEquals(Double.doubleToLongBits(single[k]), Double.doubleToLongBits(batch[r * out + k]),
                        where + ": scoreBatch " + batch[r * out + k] + " vs score " + single[k]);
            }
        }
    }

    /**
     * The definition, written as plainly as possible: standardize, then for each neuron combine
     * w_ji·x_i in input order, add the bias, apply the activation (softmax: e^(z − max) / Σ). With
     * {@code fused}, each term of a weighted sum is one fused multiply-add, as the scorer computes
     * it; without, the textbook's rounded product and rounded sum.
     */
    static double[] reference(Network n, double[] features, int offset, boolean fused) {
        double[] x = new double[n.inputSize()];
        double[] mean = n.input().mean();
        double[] scale = n.input().scale();
        for (int i = 0; i < x.length; i++) {
            x[i] = mean == null ? features[offset + i] : (features[offset + i] - mean[i]) / scale[i];
        }
        for (Layer layer : n.layers()) {
            double[] z = new double[layer.outputSize()];
            for (int j = 0; j < z.length; j++) {
                double acc;
                switch (layer.summation()) {
                    case PRODUCT:
                        acc = 1.0;
                        for (int i = 0; i < x.length; i++) {
                            acc = acc * (layer.weight(j, i) * x[i]);
                        }
                        break;
                    case MAXIMUM:
                        acc = Double.NEGATIVE_INFINITY;
                        for (int i = 0; i < x.length; i++) {
                            acc = Math.max(acc, layer.weight(j, i) * x[i]);
                        }
                        break;
                    case MINIMUM:
                        acc = Double.POSITIVE_INFINITY;
                        for (int i = 0; i < x.length; i++) {
                            acc = Math.min(acc, layer.weight(j, i) * x[i]);
                        }
                        break;
                    case MAJORITY:
                        acc = 0.0;
                        for (int i = 0; i < x.length; i++) {
                            double t = layer.weight(j, i) * x[i];
                            acc = acc + (t > 0 ? 1.0 : t < 0 ? -1.0 : 0.0);
                        }
                        break;
                    default:
                        acc = 0.0;
                        for (int i = 0; i < x.length; i++) {
                            acc = fused ? Math.fma(layer.weight(j, i), x[i], acc) : acc + layer.weight(j, i) * x[i];
                        }
                }
                z[j] = acc + layer.bias(j);
            }
            if (layer.activation() == Activation.LOG_SOFTMAX) {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                double sum = 0.0;
                for (double v : z) {
                    sum += Math.exp(v - max);
                }
                for (int j = 0; j < z.length; j++) {
                    z[j] = z[j] - max - Math.log(sum);
                }
            } else if (layer.activation() == Activation.SOFTMAX) {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                double sum = 0.0;
                for (int j = 0; j < z.length; j++) {
                    z[j] = Math.exp(z[j] - max);
                    sum += z[j];
                }
                for (int j = 0; j < z.length; j++) {
                    z[j] /= sum;
                }
            } else {
                List<Double> p = List.copyOf(layer.activationParameters().values());
                double alpha = p.size() > 0 ? p.get(0) : 0.0;
                double beta = p.size() > 1 ? p.get(1) : 0.0;
                for (int j = 0; j < z.length; j++) {
                    z[j] = layer.activation().apply(z[j], alpha, beta);
                }
            }
            x = z;
        }
        return x;
    }

    static double[] randomRows(Random random, int rows, int in) {
        double[] f = new double[rows * in];
        for (int k = 0; k < f.length; k++) {
            f[k] = random.nextInt(50) == 0 ? 0.0 : 2 * random.nextGaussian();
        }
        return f;
    }

    /** A regression network of the given sizes; null summation/activation means random per layer. */
    static Network randomNetwork(Random random, int[] sizes, Summation summation, Activation activation) {
        int layers = sizes.length - 1;
        Summation[] s = new Summation[layers];
        Activation[] a = new Activation[layers];
        for (int k = 0; k < layers; k++) {
            Summation[] all = Summation.values();
            // Mostly weighted sums; products only over a few inputs, where they stay finite.
            s[k] = summation != null ? summation
                    : random.nextInt(3) > 0 ? Summation.WEIGHTED_SUM : all[random.nextInt(all.length)];
            if (s[k] == Summation.PRODUCT && sizes[k] > 8) {
                s[k] = Summation.MAXIMUM;
            }
            a[k] = activation != null ? activation : Activation.values()[random.nextInt(Activation.values().length)];
        }
        return network(random, sizes, s, a, random.nextBoolean());
    }

    static Network network(Random random, int[] sizes, Summation[] s, Activation[] a, boolean standardize) {
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k + 1 < sizes.length; k++) {
            int in = sizes[k];
            int out = sizes[k + 1];
            double[][] w = new double[out][in];
            double[] b = new double[out];
            double spread = s[k] == Summation.PRODUCT ? 1.0 : 1.5 / Math.sqrt(in);
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    w[j][i] = random.nextInt(40) == 0 ? 0.0 : spread * random.nextGaussian();
                }
                b[j] = 0.3 * random.nextGaussian();
            }
            Map<String, Double> p = new HashMap<>();
            if (a[k] == Activation.LEAKY_RELU || a[k] == Activation.ELU) {
                p.put("alpha", 0.05 + random.nextDouble());
            } else if (a[k] == Activation.HARD_SIGMOID) {
                p.put("alpha", 1.0 / 6);
                p.put("beta", 0.5);
            }
            layers.add(new Layer(w, b, s[k], a[k], p));
        }
        int in = sizes[0];
        InputSpec input;
        if (standardize) {
            double[] mean = new double[in];
            double[] scale = new double[in];
            for (int i = 0; i < in; i++) {
                mean[i] = random.nextGaussian();
                scale[i] = 0.5 + random.nextDouble();
            }
            input = new InputSpec(List.of(), in, mean, scale);
        } else {
            input = new InputSpec(List.of(), in, null, null);
        }
        return new Network(ModelInfo.named("random"), input, layers, OutputSpec.of(Task.REGRESSION));
    }
}
