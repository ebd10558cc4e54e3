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
 * README) into a {@link Network}. Test code only: the dump is not the project's model format.
 *
 * <p>Activation names map as the README defines them: {@code logistic} is the sigmoid, and
 * {@code hardsigmoid} is PyTorch's {@code clip(x/6 + 1/2, 0, 1)}, i.e. our hard sigmoid with
 * alpha = 1/6 and beta = 1/2 (not its ONNX/Keras defaults 0.2 and 0.5).
 */
public final class NeutralModels {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NeutralModels() {
    }

    public static Network load(Path modelJson) throws IOException {
        JsonNode root = JSON.readTree(modelJson.toFile());
        Task task = Task.parse(text(root, "task"));
        List<String> features = strings(root.get("features"));
        List<String> classNames = strings(root.get("class_names"));

        JsonNode scaling = root.get("input_scaling");
        double[] mean = null;
        double[] scale = null;
        if (scaling != null && !scaling.isNull()) {
            mean = doubles(scaling.get("mean"), "input_scaling.mean");
            scale = doubles(scaling.get("scale"), "input_scaling.scale");
        }

        JsonNode layerNodes = root.get("layers");
        if (layerNodes == null || !layerNodes.isArray()) {
            throw new IllegalArgumentException(modelJson + ": no 'layers' array");
        }
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k < layerNodes.size(); k++) {
            JsonNode node = layerNodes.get(k);
            JsonNode weightRows = node.get("weights");
            double[][] weights = new double[weightRows.size()][];
            for (int j = 0; j < weights.length; j++) {
                weights[j] = doubles(weightRows.get(j), "layers[" + k + "].weights[" + j + "]");
            }
            double[] bias = doubles(node.get("bias"), "layers[" + k + "].bias");
            String name = text(node, "activation");
            Map<String, Double> params = new LinkedHashMap<>();
            Activation activation = activation(name, params, k);
            JsonNode given = node.get("params");
            if (given != null && !given.isNull()) {
                given.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asDouble()));
            }
            layers.add(new Layer(weights, bias, Summation.WEIGHTED_SUM, activation, params));
        }

        int inputs = layers.isEmpty() ? features.size() : layers.get(0).inputSize();
        InputSpec input = new InputSpec(features, inputs, mean, scale);
        String name = modelJson.getParent() == null ? modelJson.getFileName().toString()
                : modelJson.getParent().getFileName().toString();
        String source = root.path("source").asText("");
        ModelInfo info = new ModelInfo(name, "", source, Map.of("source", source));
        return new Network(info, input, layers, new OutputSpec(task, classNames, OutputSpec.DEFAULT_THRESHOLD));
    }

    /** The dump's activation name as ours; puts the parameters a name implies into {@code params}. */
    private static Activation activation(String name, Map<String, Double> params, int layer) {
        switch (name) {
            case "identity": return Activation.IDENTITY;
            case "relu": return Activation.RELU;
            case "logistic": return Activation.SIGMOID;
            case "tanh": return Activation.TANH;
            case "softmax": return Activation.SOFTMAX;
            case "elu": return Activation.ELU;
            case "leaky_relu": return Activation.LEAKY_RELU;
            case "softplus": return Activation.SOFTPLUS;
            case "selu": return Activation.SELU;
            case "gelu": return Activation.GELU;
            case "silu": return Activation.SILU;
            case "softsign": return Activation.SOFTSIGN;
            case "hardsigmoid":
                params.put("alpha", 1.0 / 6.0);
                params.put("beta", 0.5);
                return Activation.HARD_SIGMOID;
            default:
                throw new IllegalArgumentException("layer " + layer + ": unknown activation '" + name + "' in the neutral dump");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing text field '" + field + "'");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && !array.isNull()) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    private static double[] doubles(JsonNode array, String where) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("'" + where + "' is not an array of numbers");
        }
        double[] out = new double[array.size()];
        for (int k = 0; k < out.length; k++) {
            JsonNode v = array.get(k);
            if (!v.isNumber()) {
                throw new IllegalArgumentException("'" + where + "[" + k + "]' is not a number: " + v);
            }
            out[k] = v.asDouble();
        }
        return out;
    }
}
