package io.annscore.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A layer's shapes, its activation parameters and their validation. */
class LayerTest {

    private static Layer layer(Activation a, Map<String, Double> p) {
        return new Layer(new double[][] {{1.0}}, new double[] {0.0}, Summation.WEIGHTED_SUM, a, p);
    }

    /** f(x) through a one-neuron network with weight 1 and bias 0. */
    private static double through(Layer layer, double x) {
        Network n = new Network(ModelInfo.named("t"), new InputSpec(List.of(), 1, null, null), List.of(layer),
                OutputSpec.of(Task.REGRESSION));
        return n.newScorer().score(new double[] {x})[0];
    }

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void weightsAreKeptAsGivenOnePerNeuronAndInput() {
        double[][] w = {{1, 2, 3}, {4, 5, 6}};
        Layer l = new Layer(w, new double[] {7, 8}, Summation.WEIGHTED_SUM, Activation.RELU, Map.of());
        assertEquals(3, l.inputSize());
        assertEquals(2, l.outputSize());
        assertEquals(6.0, l.weight(1, 2));
        assertEquals(2.0, l.weight(0, 1));
        assertEquals(8.0, l.bias(1));
        assertEquals(8, l.parameterCount());
        assertArrayEquals(w, l.weights());
        w[0][0] = 99;   // the layer copied its input
        assertEquals(1.0, l.weight(0, 0));
        l.weights()[0][0] = 99;   // and hands out copies
        assertEquals(1.0, l.weight(0, 0));
    }

    @Test
    void leakyReluAlpha() {
        assertEquals(Map.of("alpha", 0.01), layer(Activation.LEAKY_RELU, Map.of()).activationParameters());
        assertEquals(-0.02, through(layer(Activation.LEAKY_RELU, Map.of()), -2), 1e-18);              // 0.01·−2
        assertEquals(-0.5, through(layer(Activation.LEAKY_RELU, Map.of("alpha", 0.25)), -2), 0.0);    // 0.25·−2
        assertEquals(3.0, through(layer(Activation.LEAKY_RELU, Map.of("alpha", 0.25)), 3), 0.0);
    }

    @Test
    void eluAlpha() {
        assertEquals(Map.of("alpha", 1.0), layer(Activation.ELU, Map.of()).activationParameters());
        // 2·(e^-1 − 1) = 2·−0.6321205588285577
        assertEquals(-1.2642411176571153, through(layer(Activation.ELU, Map.of("alpha", 2.0)), -1), 1e-15);
    }

    @Test
    void hardSigmoidAlphaBeta() {
        Layer torch = layer(Activation.HARD_SIGMOID, Map.of("alpha", 1.0 / 6, "beta", 0.5));
        assertEquals(Map.of("alpha", 1.0 / 6, "beta", 0.5), torch.activationParameters());
        assertEquals(0.6666666666666666, through(torch, 1), 1e-16);      // 1/6 + 1/2
        assertEquals(0.25, through(torch, -1.5), 1e-16);                 // −1.5/6 + 1/2
        assertEquals(1.0, through(torch, 3), 0.0);
        assertEquals(0.0, through(torch, -3), 0.0);
        Layer defaults = layer(Activation.HARD_SIGMOID, Map.of());
        assertEquals(0.7, through(defaults, 1), 1e-16);                   // 0.2 + 0.5
        // Only beta given: alpha keeps its default 0.2 → 0.2·1 + 0.3
        assertEquals(0.5, through(layer(Activation.HARD_SIGMOID, Map.of("beta", 0.3)), 1), 1e-16);
    }

    @Test
    void parameterValidation() {
        assertEquals("activation leaky_relu takes only [alpha], found 'beta'",
                error(() -> layer(Activation.LEAKY_RELU, Map.of("beta", 1.0))));
        assertEquals("activation relu takes no parameters, found 'alpha'",
                error(() -> layer(Activation.RELU, Map.of("alpha", 1.0))));
        assertEquals("leaky_relu alpha must be finite and >= 0, found -0.1",
                error(() -> layer(Activation.LEAKY_RELU, Map.of("alpha", -0.1))));
        assertEquals("elu alpha must be finite and >= 0, found NaN",
                error(() -> layer(Activation.ELU, Map.of("alpha", Double.NaN))));
        assertEquals("hard_sigmoid needs a finite alpha > 0 and a finite beta, found alpha 0.0, beta 0.5",
                error(() -> layer(Activation.HARD_SIGMOID, Map.of("alpha", 0.0))));
        assertEquals("hard_sigmoid needs a finite alpha > 0 and a finite beta, found alpha 0.2, beta Infinity",
                error(() -> layer(Activation.HARD_SIGMOID, Map.of("beta", Double.POSITIVE_INFINITY))));
        java.util.HashMap<String, Double> missing = new java.util.HashMap<>();
        missing.put("alpha", null);
        assertEquals("activation elu parameter 'alpha' has no value", error(() -> layer(Activation.ELU, missing)));
    }

    @Test
    void shapeAndValueValidation() {
        Summation s = Summation.WEIGHTED_SUM;
        Activation a = Activation.IDENTITY;
        assertEquals("a layer needs at least one neuron", error(() -> new Layer(new double[0][], new double[0], s, a, Map.of())));
        assertEquals("a layer needs at least one input",
                error(() -> new Layer(new double[][] {{}}, new double[] {0}, s, a, Map.of())));
        assertEquals("neuron 1 has 2 weights, expected 3 (as neuron 0)",
                error(() -> new Layer(new double[][] {{1, 2, 3}, {1, 2}}, new double[] {0, 0}, s, a, Map.of())));
        assertEquals("neuron 1 has no weights",
                error(() -> new Layer(new double[][] {{1}, null}, new double[] {0, 0}, s, a, Map.of())));
        assertEquals("expected 2 biases (one per neuron), found 1",
                error(() -> new Layer(new double[][] {{1}, {2}}, new double[] {0}, s, a, Map.of())));
        assertEquals("weight [1][0] is not finite: NaN",
                error(() -> new Layer(new double[][] {{1}, {Double.NaN}}, new double[] {0, 0}, s, a, Map.of())));
        assertEquals("bias [0] is not finite: -Infinity",
                error(() -> new Layer(new double[][] {{1}}, new double[] {Double.NEGATIVE_INFINITY}, s, a, Map.of())));
    }
}
