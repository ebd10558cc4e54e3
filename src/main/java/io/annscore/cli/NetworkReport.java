package io.annscore.cli;

import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.Task;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The text {@code inspect} prints: what a network is, layer by layer, and its identity. */
final class NetworkReport {
    private NetworkReport() {
    }

    /**
     * @param source where the network was read from
     * @param sha256 the SHA-256 of the model file's bytes (its identity), or null when not known
     */
    static String describe(Network network, String source, String sha256) {
        StringBuilder out = new StringBuilder();
        var info = network.info();
        row(out, "model", info.name() + (info.version().isEmpty() ? "" : " (version " + info.version() + ")"));
        if (!info.description().isEmpty()) {
            row(out, "description", info.description());
        }
        row(out, "file", source);
        if (sha256 != null) {
            row(out, "sha256", sha256);
        }
        OutputSpec output = network.output();
        String task = output.task().id();
        if (!output.classNames().isEmpty()) {
            task += " (classes: " + String.join(", ", output.classNames()) + ")";
        }
        if (output.task() == Task.BINARY) {
            task += ", threshold " + output.threshold();
        }
        row(out, "task", task);
        switch (output.values()) {
            case LOGITS -> row(out, "", "the last layer gives logits, turned into probabilities by "
                    + (network.outputSize() == 1 ? "the sigmoid" : "softmax"));
            case LOG_PROBABILITIES -> row(out, "", "the last layer gives log-probabilities, turned into probabilities by e^x");
            default -> { }
        }
        InputSpec input = network.input();
        row(out, "inputs", input.size() + (input.hasFeatureNames()
                ? " features: " + String.join(", ", input.features()) : " unnamed features"));
        if (input.isStandardized()) {
            row(out, "", "standardized first: (x - mean) / scale per feature");
        }
        row(out, "outputs", String.valueOf(network.outputSize()));
        row(out, "parameters", String.format("%,d", network.parameterCount()) + " (weights and biases)");
        out.append("layers\n");
        String header = String.format("  %5s  %7s  %7s  %-13s  %-28s  %12s%n", "layer", "inputs", "neurons",
                "summation", "activation", "parameters");
        out.append(header);
        List<Layer> layers = network.layers();
        for (int k = 0; k < layers.size(); k++) {
            Layer l = layers.get(k);
            out.append(String.format("  %5d  %7d  %7d  %-13s  %-28s  %,12d%n", k, l.inputSize(), l.outputSize(),
                    l.summation().id(), activation(l), l.parameterCount()));
        }
        if (!info.provenance().isEmpty()) {
            out.append("provenance\n");
            for (Map.Entry<String, String> e : info.provenance().entrySet()) {
                out.append("  ").append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
            }
        }
        return out.toString();
    }

    private static String activation(Layer l) {
        Map<String, Double> p = l.activationParameters();
        if (p.isEmpty()) {
            return l.activation().id();
        }
        return l.activation().id() + p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format("%-12s %s%n", name, value));
    }
}
