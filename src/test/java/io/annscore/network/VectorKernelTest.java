package io.annscore.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorKernel} against the scorer's loops, bit for bit, in float64 and float32: one layer at
 * a time for every block size, and whole networks. (ScorerTest checks both kernels in float64
 * against its plain reference.) And which kernel a scorer takes.
 */
class VectorKernelTest {

    @Test
    void theTestsRunWithTheVectorApiAndTheScorerTakesIt() {
        // The pom gives the test JVMs --add-modules=jdk.incubator.vector, as Spark 4.2 gives its JVMs:
        // without it, this suite would check the loops twice and the vector kernel never.
        Network n = ScorerTest.randomNetwork(new Random(1), new int[] {3, 5, 2}, Summation.WEIGHTED_SUM, Activation.TANH);
        assertEquals("vector", n.newScorer().kernel());
        assertEquals("vector", n.newScorer(Precision.FLOAT32).kernel());
    }

    @Test
    void thePropertyChoosesTheKernel() {
        Network n = ScorerTest.randomNetwork(new Random(2), new int[] {3, 5, 2}, Summation.WEIGHTED_SUM, Activation.TANH);
        try {
            System.setProperty(Scorer.KERNEL_PROPERTY, "loops");
            assertEquals("loops", n.newScorer().kernel());
            System.setProperty(Scorer.KERNEL_PROPERTY, "vector");
            assertEquals("vector", n.newScorer().kernel());
            System.setProperty(Scorer.KERNEL_PROPERTY, "fast");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, n::newScorer);
            assertEquals("-Dannscore.kernel must be auto, vector or loops; found 'fast'", e.getMessage());
        } finally {
            System.clearProperty(Scorer.KERNEL_PROPERTY);
        }
    }

    @Test
    void oneLayerEqualsTheLoopsForEveryWidthAndRowCount() {
        Random random = new Random(3);
        int[] widths = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 100, 129};
        for (int in : new int[] {1, 2, 3, 5, 8, 13, 64, 130}) {
            for (int out : widths) {
                Layer layer = randomLayer(random, in, out);
                for (int n = 1; n <= Scorer.BLOCK; n++) {
                    String what = in + " inputs, " + out + " outputs, " + n + " rows";
                    double[][] x = new double[Scorer.BLOCK][in];
                    float[][] x32 = new float[Scorer.BLOCK][in];
                    for (int r = 0; r < n; r++) {
                        for (int i = 0; i < in; i++) {
                            x[r][i] = random.nextGaussian() * (random.nextInt(30) == 0 ? 1e6 : 1);
                            x32[r][i] = (float) x[r][i];
                        }
                    }
                    int padded = (out + 15) / 16 * 16;
                    double[][] loops = new double[Scorer.BLOCK][out];
                    double[][] vector = new double[Scorer.BLOCK][padded];
                    Scorer.weightedSums(layer, x, loops, n);
                    VectorKernel.weightedSums(layer, x, vector, n);
                    float[][] loops32 = new float[Scorer.BLOCK][out];
                    float[][] vector32 = new float[Scorer.BLOCK][padded];
                    Scorer.weightedSums32(layer, x32, loops32, n);
                    VectorKernel.weightedSums(layer, x32, vector32, n);
                    for (int r = 0; r < n; r++) {
                        for (int j = 0; j < out; j++) {
                            assertEquals(Double.doubleToRawLongBits(loops[r][j]), Double.doubleToRawLongBits(vector[r][j]),
                                    what + ": float64, row " + r + ", output " + j);
                            assertEquals(Float.floatToRawIntBits(loops32[r][j]), Float.floatToRawIntBits(vector32[r][j]),
                                    what + ": float32, row " + r + ", output " + j);
                        }
                        for (int j = out; j < padded; j++) {
                            assertEquals(0.0, vector[r][j], what + ": the padding stays 0");
                        }
                    }
                }
            }
        }
    }

    @Test
    void wholeNetworksEqualTheLoopsInBothPrecisions() {
        Random random = new Random(4);
        int[][] shapes = {{1, 1}, {7, 9, 131, 3}, {32, 64, 32, 4}, {13, 128, 6}, {130, 129, 131, 10}, {2, 1, 2, 1, 2}};
        for (int[] shape : shapes) {
            for (int t = 0; t < 5; t++) {
                // Random activations, and once all sigmoid (which the vector kernel computes itself)
                Network n = ScorerTest.randomNetwork(random, shape, null, t == 0 ? Activation.SIGMOID : null);
                int rows = 1 + random.nextInt(3 * Scorer.BLOCK + 3);
                double[] features = ScorerTest.randomRows(random, rows, shape[0]);
                for (Precision precision : Precision.values()) {
                    double[] vector = new double[rows * n.outputSize()];
                    double[] loops = new double[rows * n.outputSize()];
                    new Scorer(n, true, precision, true).scoreBatch(features, rows, vector);
                    new Scorer(n, true, precision, false).scoreBatch(features, rows, loops);
                    String what = Arrays.toString(shape) + " " + precision + ", " + rows + " rows";
                    for (int k = 0; k < loops.length; k++) {
                        assertEquals(Double.doubleToLongBits(loops[k]), Double.doubleToLongBits(vector[k]), what + ", value " + k);
                    }
                }
            }
        }
    }

    @Test
    void narrowingRoundsAsTheCastDoes() {
        // Values a float cannot hold: NaN, overflow to ±∞, underflow to subnormals and ±0, ties
        // between two floats (1 + 2^-24 rounds to even), and Gaussians; 37 of them from offset 3,
        // so the vector loop has a remainder.
        Random random = new Random(9);
        double[] src = new double[40];
        double[] special = {Double.NaN, 1e39, -1e39, Double.POSITIVE_INFINITY, 1e-46, -1e-46, 1e-40, -0.0,
            1 + 0x1p-24, 1 + 3 * 0x1p-24, Float.MAX_VALUE * (1 + 0x1p-25)};
        for (int i = 0; i < src.length; i++) {
            src[i] = i - 3 >= 0 && i - 3 < special.length ? special[i - 3] : random.nextGaussian() * 1e3;
        }
        float[] dst = new float[37];
        VectorKernel.narrow(src, 3, dst, 37);
        for (int i = 0; i < 37; i++) {
            assertEquals(Float.floatToRawIntBits((float) src[3 + i]), Float.floatToRawIntBits(dst[i]), "(float) " + src[3 + i]);
        }
    }

    @Test
    void theSigmoidsEqualTheScalarFormsBitForBit() {
        Random random = new Random(5);
        double[] special = {Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
            -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, -1e-300, 36.7, -36.7, 103.9, -103.9, 104, -104,
            -700, -708.4, -709.8, -720, -744.4, -745.1, -745.2, -746, -800, 745.2, 746, 800};
        int count = 20_000 + special.length;
        double[] x = new double[count];
        for (int k = 0; k < count; k++) {
            x[k] = k < special.length ? special[k]
                    : switch (k % 4) {
                        case 0 -> 10 * random.nextGaussian();
                        case 1 -> -700 - 60 * random.nextDouble();       // subnormal and zero results
                        case 2 -> 1600 * random.nextDouble() - 800;
                        default -> (float) (40 * random.nextGaussian()); // float-valued, for the float32 form too
                    };
        }
        int padded = (count + 15) / 16 * 16;
        double[] vector = Arrays.copyOf(x, padded);
        VectorKernel.sigmoids(vector, 0, count);
        float[] vector32 = new float[padded];
        double[] scalar32 = new double[count];
        for (int k = 0; k < count; k++) {
            vector32[k] = (float) x[k];
            scalar32[k] = (float) x[k];
        }
        VectorKernel.sigmoidsBeforeFloatRounding(vector32, 0, count);
        Activation.sigmoidsBeforeFloatRounding(scalar32, 0, count);
        for (int k = 0; k < count; k++) {
            assertEquals(Double.doubleToLongBits(Activation.sigmoid(x[k])), Double.doubleToLongBits(vector[k]), "σ(" + x[k] + ")");
            assertEquals(Float.floatToIntBits((float) scalar32[k]), Float.floatToIntBits(vector32[k]),
                    "σ(" + (float) x[k] + ") before rounding to float32");
        }
        // And from an offset that is not a whole number of vectors
        double[] shifted = Arrays.copyOf(x, padded);
        VectorKernel.sigmoids(shifted, 3, 10);
        for (int k = 0; k < 3; k++) {
            assertEquals(Double.doubleToLongBits(x[k]), Double.doubleToLongBits(shifted[k]), "left alone before from");
        }
        for (int k = 3; k < 10; k++) {
            assertEquals(Double.doubleToLongBits(Activation.sigmoid(x[k])), Double.doubleToLongBits(shifted[k]), "σ(" + x[k] + ") from 3");
        }
    }

    private static Layer randomLayer(Random random, int in, int out) {
        double[][] w = new double[out][in];
        double[] b = new double[out];
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                w[j][i] = random.nextInt(20) == 0 ? -0.0 : random.nextGaussian();
            }
            b[j] = random.nextInt(10) == 0 ? 0.0 : random.nextGaussian();
        }
        return new Layer(w, b, Summation.WEIGHTED_SUM, Activation.IDENTITY, Map.of());
    }
}
