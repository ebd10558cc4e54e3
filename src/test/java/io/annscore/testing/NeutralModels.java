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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test code only: builds a {@link Network} from an oracle fixture's neutral dump
 * ({@code model.json}; format in the fixtures' README). Trusts the file; the network's own
 * constructors do the checking.
 */
public final class NeutralModels {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NeutralModels() {
    }

    /** The network in {@code modelJson}, named after the folder it is in (the fixture case). */
    public static Network load(Path modelJson) throws IOException {
        Path folder = modelJson.toAbsolutePath().getParent();
        return parse(Files.readAllBytes(modelJson), folder.getFileName().toString());
    }

    /** The network in the neutral dump {@code json}, named {@code name}. */
    public static Network parse(byte[] json, String name) throws IOException {
        JsonNode root = JSON.readTree(json);
        List<String> features = texts(root.path("features"));
        JsonNode scaling = root.get("input_scaling");
        InputSpec input = scaling == null
                ? InputSpec.named(features)
                : new InputSpec(features, features.size(), numbers(scaling.get("mean")), numbers(scaling.get("scale")));
        List<Layer> layers = new ArrayList<>();
        for (JsonNode l : root.get("layers")) {
            JsonNode w = l.get("weights");
            double[][] weights = new double[w.size()][];
            for (int j = 0; j < weights.length; j++) {
                weights[j] = numbers(w.get(j));
            }
            Map<String, Double> params = new HashMap<>();
            JsonNode p = l.get("params");
            if (p != null) {
                p.fieldNames().forEachRemaining(k -> params.put(k, p.get(k).asDouble()));
            }
            String fn = l.get("activation").asText();
            Activation activation;
            if (fn.equals("hardsigmoid")) {
                // PyTorch's Hardsigmoid is clip(x/6 + 1/2, 0, 1).
                activation = Activation.HARD_SIGMOID;
                params.put("alpha", 1.0 / 6.0);
                params.put("beta", 0.5);
            } else {
                activation = Activation.parse(fn);
            }
            layers.add(new Layer(weights, numbers(l.get("bias")), Summation.WEIGHTED_SUM, activation, params));
        }
        OutputSpec output = new OutputSpec(Task.parse(root.get("task").asText()), texts(root.path("class_names")),
                OutputSpec.DEFAULT_THRESHOLD);
        ModelInfo info = new ModelInfo(name, "", "", Map.of("source", root.path("source").asText()));
        return new Network(info, input, layers, output);
    }

    private static double[] numbers(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private static List<String> texts(JsonNode a) {
        List<String> v = new ArrayList<>();
        for (JsonNode n : a) {
            v.add(n.asText());
        }
        return v;
    }
}
