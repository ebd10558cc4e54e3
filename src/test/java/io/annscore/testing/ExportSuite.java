package io.annscore.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annscore.importers.ImportOptions;
import io.annscore.network.OutputValues;
import io.annscore.network.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The suite of real exports under src/test/resources/exports, made by
 * src/test/python/make_onnx_exports.py: networks trained by PyTorch on scikit-learn's data sets,
 * exported by torch.onnx.export, with PyTorch's own float64 outputs and scikit-learn's metrics.
 */
public final class ExportSuite {
    private ExportSuite() {
    }

    /** One ONNX file of a case, with what the case says about it. */
    public record Export(String caseName, Path dir, Path onnx, int opset, JsonNode json) {
        public Task task() {
            return Task.parse(json.get("task").asText());
        }

        public OutputValues outputs() {
            return OutputValues.parse(json.get("outputs").asText());
        }

        public List<String> features() {
            return strings("feature_columns");
        }

        public List<String> labels() {
            return strings("label_columns");
        }

        /** Logits must be declared; log-probabilities are inferred from the trailing LogSoftmax. */
        public ImportOptions options() {
            ImportOptions o = ImportOptions.defaults().withFeatures(features());
            return outputs() == OutputValues.LOGITS ? o.withTask(task()).withValues(OutputValues.LOGITS) : o;
        }

        public Path data() {
            return dir.resolve("data.csv");
        }

        /** The PyTorch probabilities of a classifier (prob_k), the outputs of a regression network (out_k). */
        public double[][] expected() throws IOException {
            List<String> lines = Files.readAllLines(dir.resolve("expected.csv"));
            String[] header = lines.get(0).split(",");
            String prefix = task() == Task.REGRESSION ? "out_" : "prob_";
            List<Integer> cols = new ArrayList<>();
            for (int k = 0; k < header.length; k++) {
                if (header[k].startsWith(prefix)) {
                    cols.add(k);
                }
            }
            double[][] out = new double[lines.size() - 1][cols.size()];
            for (int r = 1; r < lines.size(); r++) {
                String[] f = lines.get(r).split(",");
                for (int j = 0; j < cols.size(); j++) {
                    out[r - 1][j] = Double.parseDouble(f[cols.get(j)]);
                }
            }
            return out;
        }

        /** The feature and label values of data.csv, by row. */
        public double[][] columns(List<String> names) throws IOException {
            List<String> lines = Files.readAllLines(data());
            List<String> header = List.of(lines.get(0).split(","));
            double[][] out = new double[lines.size() - 1][names.size()];
            for (int r = 1; r < lines.size(); r++) {
                String[] f = lines.get(r).split(",");
                for (int j = 0; j < names.size(); j++) {
                    out[r - 1][j] = Double.parseDouble(f[header.indexOf(names.get(j))]);
                }
            }
            return out;
        }

        public double metric(String id) {
            JsonNode m = json.get("metrics").get(id);
            if (m == null) {
                throw new IllegalArgumentException(caseName + " has no metric " + id);
            }
            return m.asDouble();
        }

        public List<String> metricIds() {
            List<String> ids = new ArrayList<>();
            json.get("metrics").fieldNames().forEachRemaining(ids::add);
            ids.remove("rows");
            return ids;
        }

        private List<String> strings(String field) {
            List<String> out = new ArrayList<>();
            json.get(field).forEach(n -> out.add(n.asText()));
            return out;
        }

        @Override
        public String toString() {
            return caseName + "/" + onnx.getFileName();
        }
    }

    public static Path root() {
        try {
            return Path.of(ExportSuite.class.getResource("/exports").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every ONNX file of every case, in name order. */
    public static List<Export> all() {
        List<Export> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root())) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                JsonNode json = new ObjectMapper().readTree(dir.resolve("case.json").toFile());
                for (JsonNode e : json.get("exports")) {
                    out.add(new Export(dir.getFileName().toString(), dir, dir.resolve(e.get("file").asText()),
                            e.get("opset").asInt(), json));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static Export get(String caseName, int opset) {
        return all().stream().filter(e -> e.caseName().equals(caseName) && e.opset() == opset).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no export " + caseName + " at opset " + opset));
    }
}
