package io.annscore.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.network.Activation;
import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.LayerNorm;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.OutputValues;
import io.annscore.network.Summation;
import io.annscore.network.Task;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fields format_version 2 adds: output.values and layers[k].layer_norm. */
class ModelFileVersion2Test {

    private static Network network(OutputValues values, Activation last, LayerNorm norm, Task task) {
        Layer hidden = new Layer(new double[][] {{1, 0}, {0, 1}, {1, 1}}, new double[] {0, 0, 0},
                Summation.WEIGHTED_SUM, Activation.RELU, Map.of(), norm);
        Layer out = new Layer(new double[][] {{1, 0, 0}, {0, 1, 0}}, new double[] {0, 0}, Summation.WEIGHTED_SUM,
                last, Map.of());
        return new Network(ModelInfo.named("v2"), InputSpec.named(List.of("a", "b")), List.of(hidden, out),
                new OutputSpec(task, List.of(), 0.5, values));
    }

    private static String text(Network n) {
        return new String(ModelFile.write(n), StandardCharsets.UTF_8);
    }

    @Test
    void aNetworkVersion1HoldsIsStillWrittenAsVersion1() {
        String v1 = text(network(OutputValues.PROBABILITIES, Activation.SOFTMAX, null, Task.MULTICLASS));
        assertTrue(v1.contains("\"format_version\": 1"), v1);
        assertTrue(!v1.contains("\"values\"") && !v1.contains("layer_norm"), v1);
    }

    @Test
    void logitsAreWrittenAsVersion2AndScoredAsProbabilities() throws Exception {
        Network n = network(OutputValues.LOGITS, Activation.IDENTITY, null, Task.MULTICLASS);
        String t = text(n);
        assertTrue(t.contains("\"format_version\": 2") && t.contains("\"values\": \"logits\""), t);
        Network back = ModelFile.read(t.getBytes(StandardCharsets.UTF_8));
        assertEquals(OutputValues.LOGITS, back.output().values());
        // inputs (1, 3): hidden relu (1, 3, 4), logits (1, 3); softmax = (1, e²)/(1 + e²)
        double e2 = Math.exp(2);
        assertArrayEquals(new double[] {1 / (1 + e2), e2 / (1 + e2)}, back.newScorer().score(new double[] {1, 3}), 1e-15);
    }

    @Test
    void layerNormIsWrittenReadAndScoredByItsFormula() throws Exception {
        LayerNorm norm = new LayerNorm(0.5, new double[] {2, 1, 1}, new double[] {0, 0, 10});
        Network n = network(OutputValues.PROBABILITIES, Activation.SOFTMAX, norm, Task.MULTICLASS);
        String t = text(n);
        assertTrue(t.contains("\"format_version\": 2") && t.contains("\"layer_norm\""), t);
        Network back = ModelFile.read(t.getBytes(StandardCharsets.UTF_8));
        assertEquals(0.5, back.layers().get(0).layerNorm().epsilon());
        // inputs (1, 3): net (1, 3, 4), mean 8/3, biased variance ((5/3)² + (1/3)² + (4/3)²)/3 = 42/27,
        // sd √(42/27 + 1/2); normalized (−5/3·2, 1/3, 4/3 + 10·sd)/sd, then ReLU, then softmax of the first two.
        double sd = Math.sqrt(42.0 / 27 + 0.5);
        double h0 = Math.max(0, -5.0 / 3 / sd * 2);
        double h1 = Math.max(0, 1.0 / 3 / sd);
        double z = Math.exp(h0) + Math.exp(h1);
        assertArrayEquals(new double[] {Math.exp(h0) / z, Math.exp(h1) / z}, back.newScorer().score(new double[] {1, 3}),
                1e-15);
    }

    @Test
    void version1FilesCannotHoldTheNewFields() {
        String t = text(network(OutputValues.LOGITS, Activation.IDENTITY, null, Task.MULTICLASS))
                .replace("\"format_version\": 2", "\"format_version\": 1");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.read(t.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("output: unknown field 'values'"), e.getMessage());
    }

    @Test
    void aClassifierWhoseLastLayerGivesNoProbabilitiesIsRefusedNamingTheField() {
        String t = text(network(OutputValues.PROBABILITIES, Activation.SOFTMAX, null, Task.MULTICLASS))
                .replace("\"activation\": \"softmax\"", "\"activation\": \"identity\"");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.read(t.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("output: a multiclass network's last layer (2 outputs, activation identity)"
                + " does not produce probabilities") && e.getMessage().contains("the 'values' field of 'output'"), e.getMessage());
    }

    @Test
    void whatTheOutputsAreDeclaredMustFitTheLastLayer() {
        // logits after a softmax: probabilities would go through softmax twice
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> network(OutputValues.LOGITS, Activation.SOFTMAX, null, Task.MULTICLASS));
        assertTrue(twice.getMessage().contains("already probabilities"), twice.getMessage());
        // log-probabilities need a log_softmax, else e^x need not be a probability
        assertThrows(IllegalArgumentException.class,
                () -> network(OutputValues.LOG_PROBABILITIES, Activation.IDENTITY, null, Task.MULTICLASS));
        // a regression network's outputs are never converted
        assertThrows(IllegalArgumentException.class,
                () -> network(OutputValues.LOGITS, Activation.IDENTITY, null, Task.REGRESSION));
        Network logSoftmax = network(OutputValues.LOG_PROBABILITIES, Activation.LOG_SOFTMAX, null, Task.MULTICLASS);
        double e2 = Math.exp(2);
        assertArrayEquals(new double[] {1 / (1 + e2), e2 / (1 + e2)}, logSoftmax.newScorer().score(new double[] {1, 3}),
                1e-15);
    }

    @Test
    void oneLogitIsTurnedIntoAProbabilityByTheSigmoid() {
        Layer out = new Layer(new double[][] {{1, -1}}, new double[] {0.5}, Summation.WEIGHTED_SUM, Activation.IDENTITY,
                Map.of());
        Network n = new Network(ModelInfo.named("b"), InputSpec.named(List.of("a", "b")), List.of(out),
                new OutputSpec(Task.BINARY, List.of(), 0.5, OutputValues.LOGITS));
        // logit 2 − 1 + 0.5 = 1.5
        assertArrayEquals(new double[] {1 / (1 + Math.exp(-1.5))}, n.newScorer().score(new double[] {2, 1}), 1e-16);
        assertThrows(IllegalArgumentException.class, () -> new Network(ModelInfo.named("b"),
                InputSpec.named(List.of("a", "b")), List.of(out), OutputSpec.of(Task.BINARY)));
    }
}
