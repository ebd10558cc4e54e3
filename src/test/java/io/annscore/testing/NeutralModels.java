package io.annscore.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annscore.network.Activation;
import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.Summation;
import io.annscore.network.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the oracle fixtures' neutral network dump ({@code model.json}, described in the fixtures'
 * README) into a {@link Network}. Test code only: it trusts its input and checks little.
 */
public final class NeutralModels {
    private NeutralModels() {
    }

    /**
     * @param modelJson a fixture's {@code model.json}; the network is named after its folder (the
     *     case name), with the dump's {@code source} as provenance
     */
    public static Network load(Path modelJson) throws IOException {
        String caseName = modelJson.toAbsolutePath().getParent().getFileName().toString();
        return parse(java.nio.file.Files.readAllBytes(modelJson), caseName);
    }

    /** The network in the neutral dump {@code json}, named {@code name}. */
    public static Network parse(byte[] json, String modelName) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        ModelInfo info = new ModelInfo(modelName, "", "", Map.of("source", root.path("source").asText()));

        List<String> features = strings(root.path("features"));
        JsonNode scaling = root.path("input_scaling");
        InputSpec input = scaling.isMissingNode()
                ? InputSpec.named(features)
                : new InputSpec(features, features.size(), doubles(scaling.get("mean")), doubles(scaling.get("scale")));

        List<Layer> layers = new ArrayList<>();
        for (JsonNode layer : root.get("layers")) {
            JsonNode rows = layer.get("weights");
            double[][] weights = new double[rows.size()][];
            for (int j = 0; j < weights.length; j++) {
                weights[j] = doubles(rows.get(j));
            }
            Map<String, Double> parameters = new LinkedHashMap<>();
            layer.path("params").properties().forEach(p -> parameters.put(p.getKey(), p.getValue().doubleValue()));
            String name = layer.get("activation").asText();
            Activation activation;
            if (name.equals("hardsigmoid")) { // PyTorch's Hardsigmoid: clip(x/6 + 1/2, 0, 1)
                activation = Activation.HARD_SIGMOID;
                parameters.put("alpha", 1.0 / 6);
                parameters.put("beta", 0.5);
            } else {
                activation = Activation.parse(name); // knows "logistic" as sigmoid
            }
            layers.add(new Layer(weights, doubles(layer.get("bias")), Summation.WEIGHTED_SUM, activation, parameters));
        }

        Task task = Task.parse(root.get("task").asText());
        OutputSpec output = new OutputSpec(task, strings(root.path("class_names")), OutputSpec.DEFAULT_THRESHOLD);
        return new Network(info, input, layers, output);
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).doubleValue();
        }
        return values;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
