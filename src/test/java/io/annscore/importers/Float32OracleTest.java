package io.annscore.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annscore.network.Network;
import io.annscore.network.Precision;
import io.annscore.network.Scorer;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float32 forward pass against PyTorch's float32 run of the same networks: the clean oracle
 * fixtures' ONNX exports (float32 weights), scored with {@link Precision#FLOAT32}, against
 * {@code expected_float32.csv} (made by {@code src/test/python/float32_reference.py}: PyTorch 1.13,
 * float32 throughout), and against the float64 reference ({@code expected.csv}) within the
 * fixture's own float32 error ({@code float32_max_abs_error_vs_reference} in case.json).
 *
 * <p>"Float32 rounding" here: every output within {@value #ULPS} float32 units in the last place
 * of that output's scale (its largest magnitude over the fixture's rows) — the two compute each sum
 * in a different order (PyTorch's sgemm blocks them), so they differ by a few roundings of the
 * terms, and a regression output near 0 after cancellation is off by as much as a large one.
 */
class Float32OracleTest {
    static final int ULPS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"breast_cancer_logistic_binary", "diabetes_tanh_regression", "iris_relu_multiclass",
        "torch_matmul_add_multiclass", "torch_mixed_activations_regression"})
    void agreesWithPyTorchFloat32ToFloat32Rounding(String name) throws Exception {
        URL url = Float32OracleTest.class.getClassLoader().getResource("fixtures/" + name);
        Path dir = Paths.get(url.toURI());
        JsonNode meta = JSON.readTree(dir.resolve("case.json").toFile());
        Network network = OnnxImporter.read(dir.resolve("model.onnx"));
        Scorer float32 = network.newScorer(Precision.FLOAT32);
        Scorer float64 = network.newScorer(Precision.FLOAT64);
        Map<String, double[]> torch32 = outputs(dir.resolve("expected_float32.csv"));
        Map<String, double[]> reference64 = outputs(dir.resolve("expected.csv"));
        double f32Error = meta.get("float32_max_abs_error_vs_reference").asDouble();
        // each output's scale: its largest magnitude over the fixture's rows
        double[] scales = new double[network.outputSize()];
        for (double[] v : torch32.values()) {
            for (int k = 0; k < v.length; k++) {
                scales[k] = Math.max(scales[k], Math.abs(v[k]));
            }
        }

        List<String> lines = Files.readAllLines(dir.resolve("data.csv"), StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(","));
        List<Integer> columns = new ArrayList<>();
        meta.get("feature_columns").forEach(c -> columns.add(header.indexOf(c.asText())));
        int idColumn = header.indexOf(meta.get("id_column").asText());
        double worstUlps = 0;
        double worstVs64 = 0;
        double[] batch = new double[Scorer.BLOCK * columns.size()];
        double[] batchOut = new double[Scorer.BLOCK * network.outputSize()];
        List<String> ids = new ArrayList<>();
        for (int line = 1; line < lines.size(); line++) {
            String[] f = lines.get(line).split(",");
            int slot = ids.size();
            for (int i = 0; i < columns.size(); i++) {
                batch[slot * columns.size() + i] = Double.parseDouble(f[columns.get(i)]);
            }
            ids.add(f[idColumn]);
            if (ids.size() < Scorer.BLOCK && line < lines.size() - 1) {
                continue;
            }
            // Scored a block at a time, as the job does (scoreBatch), and row by row: the same values
            float32.scoreBatch(batch, ids.size(), batchOut);
            for (int r = 0; r < ids.size(); r++) {
                double[] alone = float32.score(batch, r * columns.size());
                double[] want = torch32.get(ids.get(r));
                double[] want64 = reference64.get(ids.get(r));
                double[] wide = float64.score(batch, r * columns.size()).clone();
                for (int k = 0; k < want.length; k++) {
                    double got = batchOut[r * want.length + k];
                    assertEquals(alone[k], got, 0, name + " id " + ids.get(r) + ": scoreBatch and score differ");
                    assertEquals((float) got, got, 0, "a float32 result widened, not a double");
                    double ulps = Math.abs(got - want[k]) / Math.ulp((float) Math.max(Math.abs(want[k]), scales[k]));
                    worstUlps = Math.max(worstUlps, ulps);
                    worstVs64 = Math.max(worstVs64, Math.abs(got - want64[k]));
                    // (the float64 pass over the same float32 weights: the export's own float32 error)
                    assertTrue(Math.abs(wide[k] - want64[k]) <= 2 * f32Error, name + " float64 vs reference");
                }
            }
            ids.clear();
        }
        System.out.printf("%s: float32 vs PyTorch float32 at most %.1f ulps; vs float64 reference %.2e (fixture's float32 error %.2e)%n",
                name, worstUlps, worstVs64, f32Error);
        assertTrue(worstUlps <= ULPS, name + ": " + worstUlps + " float32 ulps from PyTorch's float32 outputs");
        assertTrue(worstVs64 <= 2 * f32Error, name + ": " + worstVs64 + " from the float64 reference, the export's"
                + " float32 error is " + f32Error);
    }

    private static Map<String, double[]> outputs(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(","));
        List<Integer> outs = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).startsWith("out_")) {
                outs.add(i);
            }
        }
        Map<String, double[]> byId = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double[] v = new double[outs.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = Double.parseDouble(f[outs.get(k)]);
            }
            byId.put(f[0], v);
        }
        return byId;
    }
}
