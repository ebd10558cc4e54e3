package io.annscore.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every summation function with hand-computed net inputs. The layers use the identity activation,
 * so the scorer's output is the net input itself; each case is also checked on
 * {@link Summation#netInputs} directly.
 */
class SummationTest {

    /** One neuron per row of w, identity activation, scored through a Network. */
    private static double[] net(Summation s, double[][] w, double[] bias, double... x) {
        Layer layer = new Layer(w, bias, s, Activation.IDENTITY, Map.of());
        Network network = new Network(ModelInfo.named("t"), new InputSpec(List.of(), x.length, null, null),
                List.of(layer), OutputSpec.of(Task.REGRESSION));
        double[] scored = network.newScorer().score(x).clone();
        double[] direct = new double[w.length];
        s.netInputs(layer.weightsByInput(), layer.biasArray(), x.length, w.length, x, direct);
        for (int j = 0; j < w.length; j++) {
            assertEquals(Double.doubleToLongBits(direct[j]), Double.doubleToLongBits(scored[j]), "neuron " + j);
        }
        return scored;
    }

    // Terms w_ji·x_i of neuron 0 below: 2·1 = 2, −1·2 = −2, 0.5·4 = 2; bias 0.25.
    private static final double[][] W = {{2, -1, 0.5}};
    private static final double[] X = {1, 2, 4};
    private static final double[] B = {0.25};

    @Test
    void weightedSum() {
        assertEquals(2.25, net(Summation.WEIGHTED_SUM, W, B, X)[0]);   // 2 − 2 + 2 + 0.25
        // Two neurons: (1·3 + 1·−1) + 0 = 2 and (0.5·3 − 2·−1) − 1 = 2.5
        double[] z = net(Summation.WEIGHTED_SUM, new double[][] {{1, 1}, {0.5, -2}}, new double[] {0, -1}, 3, -1);
        assertEquals(2.0, z[0]);
        assertEquals(2.5, z[1]);
    }

    @Test
    void product() {
        assertEquals(-7.75, net(Summation.PRODUCT, W, B, X)[0]);       // 2·−2·2 + 0.25 = −8 + 0.25
        // A zero input zeroes the product: 2·1 · −1·0 · 0.5·4 = 0, + bias 0.25
        assertEquals(0.25, net(Summation.PRODUCT, W, B, 1, 0, 4)[0]);
        // A zero weight too: (3·1)·(0·5) + (−1) = −1
        assertEquals(-1.0, net(Summation.PRODUCT, new double[][] {{3, 0}}, new double[] {-1}, 1, 5)[0]);
    }

    @Test
    void maximumWithTies() {
        assertEquals(2.25, net(Summation.MAXIMUM, W, B, X)[0]);        // max(2, −2, 2) = 2 (a tie) + 0.25
        // All terms negative, the largest twice: max(−3, −1, −1) + 0 = −1
        assertEquals(-1.0, net(Summation.MAXIMUM, new double[][] {{3, 1, 0.5}}, new double[] {0}, -1, -1, -2)[0]);
    }

    @Test
    void minimumWithTies() {
        assertEquals(-1.75, net(Summation.MINIMUM, W, B, X)[0]);       // min(2, −2, 2) = −2 + 0.25
        // min(−2, −2, 5) (a tie) + 1 = −1
        assertEquals(-1.0, net(Summation.MINIMUM, new double[][] {{1, 2, 5}}, new double[] {1}, -2, -1, 1)[0]);
    }

    @Test
    void majority() {
        assertEquals(1.25, net(Summation.MAJORITY, W, B, X)[0]);       // +1 −1 +1 = 1, + 0.25
        // Terms 3, −1, 0, 2: a zero term counts for neither side: +1 −1 +0 +1 = 1, bias −0.5 → 0.5
        assertEquals(0.5, net(Summation.MAJORITY, new double[][] {{1, 1, 1, 1}}, new double[] {-0.5}, 3, -1, 0, 2)[0]);
        // Mostly negative: terms −6, −0.1, 4 → −1 −1 +1 = −1, bias 0 → −1
        assertEquals(-1.0, net(Summation.MAJORITY, new double[][] {{2, -0.1, 4}}, new double[] {0}, -3, 1, 1)[0]);
        // Magnitudes do not matter: terms 1000, −0.001, −0.001 → +1 −1 −1 = −1
        assertEquals(-1.0, net(Summation.MAJORITY, new double[][] {{1, 1, 1}}, new double[] {0}, 1000, -0.001, -0.001)[0]);
    }

    @Test
    void cumulativeIsRefusedWithTheReason() {
        for (String name : new String[] {"cumulative", "cumulative_sum"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Summation.parse(name));
            assertTrue(e.getMessage().contains("'" + name + "' is not supported"), e.getMessage());
            assertTrue(e.getMessage().contains("carries state from one row to the next"), e.getMessage());
            assertTrue(e.getMessage().contains("rows are independent"), e.getMessage());
        }
    }

    @Test
    void parse() {
        for (Summation s : Summation.values()) {
            assertSame(s, Summation.parse(s.id()));
        }
        assertSame(Summation.WEIGHTED_SUM, Summation.parse("weighted_sum"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Summation.parse("average"));
        assertEquals("unknown summation function 'average'; known: weighted_sum, product, maximum, minimum, majority",
                e.getMessage());
    }
}
