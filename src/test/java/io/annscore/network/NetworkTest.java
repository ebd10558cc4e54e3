package io.annscore.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Network, InputSpec and OutputSpec: how the parts must fit, and what the outputs mean. */
class NetworkTest {

    private static Layer dense(int in, int out, Activation a) {
        return new Layer(new double[out][in], new double[out], Summation.WEIGHTED_SUM, a, Map.of());
    }

    private static InputSpec inputs(int n) {
        return new InputSpec(List.of(), n, null, null);
    }

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void sizesAndCounts() {
        Network n = new Network(ModelInfo.named("m"), inputs(4),
                List.of(dense(4, 16, Activation.RELU), dense(16, 3, Activation.SOFTMAX)), OutputSpec.of(Task.MULTICLASS));
        assertEquals(4, n.inputSize());
        assertEquals(3, n.outputSize());
        assertEquals(16, n.maxWidth());
        assertEquals(4 * 16 + 16 + 16 * 3 + 3, n.parameterCount());   // 131
        assertEquals(Task.MULTICLASS, n.task());
    }

    @Test
    void layerSizesMustChain() {
        assertEquals("layer 0 takes 3 inputs, but the input layer has 2 features",
                error(() -> new Network(ModelInfo.named("m"), inputs(2), List.of(dense(3, 1, Activation.SIGMOID)),
                        OutputSpec.of(Task.BINARY))));
        assertEquals("layer 2 takes 4 inputs, but layer 1 has 5 neurons",
                error(() -> new Network(ModelInfo.named("m"), inputs(2),
                        List.of(dense(2, 3, Activation.TANH), dense(3, 5, Activation.TANH), dense(4, 1, Activation.IDENTITY)),
                        OutputSpec.of(Task.REGRESSION))));
        assertEquals("a network needs at least one layer",
                error(() -> new Network(ModelInfo.named("m"), inputs(2), List.of(), OutputSpec.of(Task.REGRESSION))));
    }

    @Test
    void outputSizeMustFitTheTask() {
        assertEquals("a binary network has 1 output (the probability of class 1) or 2 (softmax), found 3",
                error(() -> new Network(ModelInfo.named("m"), inputs(2), List.of(dense(2, 3, Activation.SOFTMAX)),
                        OutputSpec.of(Task.BINARY))));
        assertEquals("a multiclass network has at least 2 outputs, found 1",
                error(() -> new Network(ModelInfo.named("m"), inputs(2), List.of(dense(2, 1, Activation.SIGMOID)),
                        OutputSpec.of(Task.MULTICLASS))));
        assertEquals("the network has 3 outputs but 2 class names",
                error(() -> new Network(ModelInfo.named("m"), inputs(2), List.of(dense(2, 3, Activation.SOFTMAX)),
                        new OutputSpec(Task.MULTICLASS, List.of("a", "b"), 0.5))));
        // Regression takes any number of outputs.
        assertEquals(3, new Network(ModelInfo.named("m"), inputs(2), List.of(dense(2, 3, Activation.IDENTITY)),
                OutputSpec.of(Task.REGRESSION)).outputSize());
    }

    @Test
    void outputSpecValidation() {
        assertEquals("the decision threshold must lie in (0, 1), found 1.0",
                error(() -> new OutputSpec(Task.BINARY, List.of(), 1.0)));
        assertEquals("the decision threshold must lie in (0, 1), found NaN",
                error(() -> new OutputSpec(Task.BINARY, List.of(), Double.NaN)));
        assertEquals("a regression network has no class names",
                error(() -> new OutputSpec(Task.REGRESSION, List.of("a"), 0.5)));
        assertEquals("a binary network has 2 class names, found 3",
                error(() -> new OutputSpec(Task.BINARY, List.of("a", "b", "c"), 0.5)));
    }

    @Test
    void predictedClass() {
        OutputSpec binary = OutputSpec.of(Task.BINARY);
        assertEquals(0, binary.predictedClass(new double[] {0.5}));       // at the threshold: class 0 (p > t, as scikit-learn)
        assertEquals(1, binary.predictedClass(new double[] {0.5000001}));
        assertEquals(0, binary.predictedClass(new double[] {0.4999999}));
        assertEquals(1, binary.predictedClass(new double[] {0.9, 0.6}));  // two outputs: P(class 1) is outputs[1]
        assertEquals(0, binary.predictedClass(new double[] {0.6, 0.4}));
        assertEquals(0.4, binary.positiveProbability(new double[] {0.6, 0.4}));
        OutputSpec strict = new OutputSpec(Task.BINARY, List.of("no", "yes"), 0.7);
        assertEquals(0, strict.predictedClass(new double[] {0.69}));
        assertEquals(0, strict.predictedClass(new double[] {0.7}));
        assertEquals(1, strict.predictedClass(new double[] {0.71}));
        OutputSpec multi = OutputSpec.of(Task.MULTICLASS);
        assertEquals(2, multi.predictedClass(new double[] {0.2, 0.3, 0.5}));
        assertEquals(1, multi.predictedClass(new double[] {0.1, 0.45, 0.45}), "ties go to the first");
        assertEquals(0, multi.predictedClass(new double[] {0.5, 0.5}));
    }

    @Test
    void inputSpecValidation() {
        assertEquals("the input layer needs at least one feature, found 0", error(() -> new InputSpec(List.of(), 0, null, null)));
        assertEquals("the input layer names 2 features but has 3 inputs",
                error(() -> new InputSpec(List.of("a", "b"), 3, null, null)));
        assertEquals("the input layer names a feature twice: [a, b, a]",
                error(() -> new InputSpec(List.of("a", "b", "a"), 3, null, null)));
        assertEquals("standardization needs both mean and scale",
                error(() -> new InputSpec(List.of(), 1, new double[] {0}, null)));
        assertEquals("standardization needs 2 means and scales, found 2 and 1",
                error(() -> new InputSpec(List.of(), 2, new double[] {0, 0}, new double[] {1})));
        assertEquals("standardization scale of input 1 must be finite and non-zero, found 0.0",
                error(() -> new InputSpec(List.of(), 2, new double[] {0, 0}, new double[] {1, 0})));
        assertEquals("standardization mean of input 0 is not finite: NaN",
                error(() -> new InputSpec(List.of(), 1, new double[] {Double.NaN}, new double[] {1})));
        double[] mean = {1, 2};
        InputSpec spec = new InputSpec(List.of("a", "b"), 2, mean, new double[] {3, 4});
        mean[0] = 99;   // copied in, and copied out
        assertArrayEquals(new double[] {1, 2}, spec.mean());
        spec.mean()[1] = 99;
        assertArrayEquals(new double[] {1, 2}, spec.mean());
    }

    @Test
    void standardizationIsAppliedBeforeTheFirstLayer() {
        // (x − mean)/scale: (7 − 1)/2 = 3 and (−2 − 2)/4 = −1; then 1·3 + 10·−1 + 0.5 = −6.5
        InputSpec spec = new InputSpec(List.of("a", "b"), 2, new double[] {1, 2}, new double[] {2, 4});
        Layer l = new Layer(new double[][] {{1, 10}}, new double[] {0.5}, Summation.WEIGHTED_SUM, Activation.IDENTITY, Map.of());
        Network n = new Network(ModelInfo.named("m"), spec, List.of(l), OutputSpec.of(Task.REGRESSION));
        assertEquals(-6.5, n.newScorer().score(new double[] {7, -2})[0], 0.0);
    }
}
