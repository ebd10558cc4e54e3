package io.annscore.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annscore.network.Network;
import io.annscore.network.Scorer;
import io.annscore.testing.NeutralModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every oracle network, converted from its neutral dump, written in our format and read back,
 * scores the fixture's rows as scikit-learn and PyTorch did.
 */
class ModelFileFixturesTest {

    @ParameterizedTest
    @ValueSource(strings = {"breast_cancer_logistic_binary", "diabetes_tanh_regression", "diabetes_dirty_rows",
        "iris_relu_multiclass", "iris_dirty_rows", "torch_matmul_add_multiclass", "torch_mixed_activations_regression"})
    void aNetworkWrittenAndReadBackScoresAsTheReference(String caseName) throws Exception {
        Path dir = Path.of(getClass().getResource("/fixtures/" + caseName).toURI());
        byte[] file = ModelFile.write(NeutralModels.load(dir.resolve("model.json")));
        Network network = ModelFile.read(file);
        assertArrayEquals(file, ModelFile.write(network));

        JsonNode caseJson = new ObjectMapper().readTree(dir.resolve("case.json").toFile());
        List<String> featureColumns = new ArrayList<>();
        caseJson.get("feature_columns").forEach(c -> featureColumns.add(c.asText()));
        assertEquals(featureColumns, network.input().features());

        // data.csv by id; the dirty cases' broken rows are not in expected.csv, so they are never looked up.
        List<String> data = Files.readAllLines(dir.resolve("data.csv"));
        List<String> header = Arrays.asList(data.get(0).split(","));
        Map<String, String[]> rowsById = new HashMap<>();
        for (String line : data.subList(1, data.size())) {
            String[] fields = line.split(",", -1);
            rowsById.put(fields[0], fields);
        }

        List<String> expected = Files.readAllLines(dir.resolve("expected.csv"));
        List<String> expectedHeader = Arrays.asList(expected.get(0).split(","));
        int predictedClassColumn = expectedHeader.indexOf("predicted_class");
        Scorer scorer = network.newScorer();
        int rows = 0;
        for (String line : expected.subList(1, expected.size())) {
            String[] want = line.split(",");
            String[] row = rowsById.get(want[0]);
            double[] x = new double[featureColumns.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = Double.parseDouble(row[header.indexOf(featureColumns.get(i))]);
            }
            double[] out = scorer.score(x);
            for (int k = 0; k < network.outputSize(); k++) {
                double reference = Double.parseDouble(want[expectedHeader.indexOf("out_" + k)]);
                assertClose(reference, out[k], caseName + " id " + want[0] + " out_" + k);
            }
            if (predictedClassColumn >= 0) {
                assertEquals(Integer.parseInt(want[predictedClassColumn]), network.output().predictedClass(out),
                        caseName + " id " + want[0] + " predicted class");
            }
            rows++;
        }
        assertTrue(rows >= 100, caseName + ": only " + rows + " reference rows");
    }

    /** Within 1e-9 relative, or 1e-12 absolute near zero. */
    private static void assertClose(double expected, double actual, String what) {
        double tolerance = Math.max(1e-9 * Math.abs(expected), 1e-12);
        assertTrue(Math.abs(actual - expected) <= tolerance, () -> what + ": expected " + expected + ", found " + actual);
    }
}
