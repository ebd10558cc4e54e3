package io.annscore.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                    VectorKernel.weightedSums(layer.packed64(VectorKernel.BLOCK64), in, x, vector, n);
                    float[][] loops32 = new float[Scorer.BLOCK][out];
                    float[][] vector32 = new float[Scorer.BLOCK][padded];
                    Scorer.weightedSums32(layer, x32, loops32, n);
                    VectorKernel.weightedSums(layer.packed32(VectorKernel.BLOCK32), in, x32, vector32, n);
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
            for (int t = 0; t < 4; t++) {
                Network n = ScorerTest.randomNetwork(random, shape, null, null);
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
                    assertTrue(loops.length > 0, what);
                }
            }
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
