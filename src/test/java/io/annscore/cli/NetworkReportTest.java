package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.network.Activation;
import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.Summation;
import io.annscore.network.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkReportTest {
    @Test
    void describesLayersSizesFunctionsAndCounts() {
        // Given 3 inputs -> 2 leaky-ReLU neurons -> 3 softmax outputs:
        // layer 0 has 3*2 + 2 = 8 parameters, layer 1 has 2*3 + 3 = 9; 17 in all.
        Layer hidden = new Layer(new double[][] {{1, 2, 3}, {4, 5, 6}}, new double[] {0, 0},
                Summation.WEIGHTED_SUM, Activation.LEAKY_RELU, Map.of("alpha", 0.1));
        Layer out = new Layer(new double[][] {{1, 0}, {0, 1}, {1, 1}}, new double[] {0, 0, 0},
                Summation.MAXIMUM, Activation.SOFTMAX, Map.of());
        Network n = new Network(new ModelInfo("toy", "3", "", Map.of("source", "hand")),
                InputSpec.named(List.of("a", "b", "c")), List.of(hidden, out),
                new OutputSpec(Task.MULTICLASS, List.of("x", "y", "z"), 0.5));

        String text = NetworkReport.describe(n, "toy.json", "ab12");

        assertTrue(text.contains("model        toy (version 3)\n"), text);
        assertTrue(text.contains("sha256       ab12\n"), text);
        assertTrue(text.contains("task         multiclass (classes: x, y, z)\n"), text);
        assertTrue(text.contains("inputs       3 features: a, b, c\n"), text);
        assertTrue(text.contains("parameters   17 (weights and biases)\n"), text);
        assertTrue(text.matches("(?s).*\\n\\s+0\\s+3\\s+2\\s+weighted_sum\\s+leaky_relu\\(alpha=0.1\\)\\s+8\\n.*"), text);
        assertTrue(text.matches("(?s).*\\n\\s+1\\s+2\\s+3\\s+maximum\\s+softmax\\s+9\\n.*"), text);
        assertTrue(text.contains("  source = hand\n"), text);
    }
}
