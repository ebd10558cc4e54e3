package io.annscore.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annscore.testing.NeutralModels;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The forward pass against the oracle fixtures: networks trained and run by scikit-learn and
 * PyTorch (float64), whose outputs we must reproduce. Reads the copies under
 * src/test/resources/fixtures/&lt;case&gt;/.
 *
 * <p>Outputs must agree to 1e-9 relative (1e-12 absolute near zero) and the predicted class exactly.
 * In the {@code *_dirty_rows} cases only the rows that the reference scored (the ids in
 * expected.csv) are used; every other line of data.csv must be one that cannot be scored.
 */
class ForwardPassOracleTest {
    private static final double RELATIVE = 1e-9;
    private static final double ABSOLUTE = 1e-12;
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path fixturesRoot() throws URISyntaxException {
        URL url = ForwardPassOracleTest.class.getClassLoader().getResource("fixtures");
        if (url == null) {
            throw new IllegalStateException("no fixtures on the test classpath (src/test/resources/fixtures)");
        }
        return Paths.get(url.toURI());
    }

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> dirs = Files.list(fixturesRoot())) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("model.json")))
                    .map(d -> d.getFileName().toString()).sorted().collect(Collectors.toList()).stream();
        }
    }

    @Test
    void everyFixtureCaseIsPresent() throws Exception {
        // The seven cases of /work/shared/fixtures; a missing copy must not pass silently.
        assertEquals(List.of("breast_cancer_logistic_binary", "diabetes_dirty_rows", "diabetes_tanh_regression",
                "iris_dirty_rows", "iris_relu_multiclass", "torch_matmul_add_multiclass",
                "torch_mixed_activations_regression"), cases().collect(Collectors.toList()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reproducesTheReferenceOutputs(String caseName) throws Exception {
        Path dir = fixturesRoot().resolve(caseName);
        JsonNode caseJson = JSON.readTree(dir.resolve("case.json").toFile());
        Network network = NeutralModels.load(dir.resolve("model.json"));
        Task task = Task.parse(caseJson.get("task").asText());
        assertEquals(task, network.task());

        List<String> featureColumns = new ArrayList<>();
        caseJson.get("feature_columns").forEach(f -> featureColumns.add(f.asText()));
        assertEquals(featureColumns, network.input().features(), "the dump names the case's feature columns in order");
        String idColumn = caseJson.get("id_column").asText();

        // data.csv: the well-formed rows by id.
        List<String> dataLines = Files.readAllLines(dir.resolve("data.csv"), StandardCharsets.UTF_8);
        List<String> header = List.of(dataLines.get(0).split(",", -1));
        int idAt = header.indexOf(idColumn);
        int[] featureAt = featureColumns.stream().mapToInt(header::indexOf).toArray();
        Map<String, double[]> rowsById = new HashMap<>();
        int unusable = 0;
        for (String line : dataLines.subList(1, dataLines.size())) {
            double[] features = parseRow(line, header.size(), featureAt);
            if (features == null) {
                unusable++;
            } else {
                rowsById.put(line.split(",", -1)[idAt], features);
            }
        }

        // expected.csv: id, out_0..out_k, predicted_class for classifiers.
        List<String> expectedLines = Files.readAllLines(dir.resolve("expected.csv"), StandardCharsets.UTF_8);
        List<String> expectedHeader = List.of(expectedLines.get(0).split(","));
        int outputs = (int) expectedHeader.stream().filter(h -> h.startsWith("out_")).count();
        assertEquals(network.outputSize(), outputs, "output count");
        int classAt = expectedHeader.indexOf("predicted_class");
        assertEquals(task != Task.REGRESSION, classAt >= 0, "classifiers have a predicted class");

        int rows = expectedLines.size() - 1;
        assertTrue(rows > 0);
        assertEquals(rowsById.size(), rows, "every well-formed row of data.csv, and only those, has reference outputs");
        if (!Files.exists(dir.resolve("manifest.json"))) {
            assertEquals(0, unusable, "a clean case has no unusable lines");
        }

        int in = network.inputSize();
        double[] batch = new double[rows * in];
        double[][] expected = new double[rows][];
        String[] expectedClass = new String[rows];
        for (int r = 0; r < rows; r++) {
            String[] f = expectedLines.get(r + 1).split(",");
            double[] features = rowsById.get(f[0]);
            if (features == null) {
                fail("expected.csv has id " + f[0] + ", which data.csv lacks or cannot score");
            }
            System.arraycopy(features, 0, batch, r * in, in);
            expected[r] = new double[outputs];
            for (int k = 0; k < outputs; k++) {
                expected[r][k] = Double.parseDouble(f[expectedHeader.indexOf("out_" + k)]);
            }
            expectedClass[r] = classAt >= 0 ? f[classAt] : null;
        }

        Scorer scorer = network.newScorer();
        double[] batchOut = new double[rows * outputs];
        scorer.scoreBatch(batch, rows, batchOut);
        List<String> classNames = network.output().classNames();
        for (int r = 0; r < rows; r++) {
            double[] got = scorer.score(batch, r * in);
            for (int k = 0; k < outputs; k++) {
                double e = expected[r][k];
                assertEquals(e, got[k], Math.max(RELATIVE * Math.abs(e), ABSOLUTE),
                        caseName + " row " + (r + 1) + " out_" + k);
                assertEquals(got[k], batchOut[r * outputs + k], 0.0, "scoreBatch equals score");
            }
            if (classAt >= 0) {
                int predicted = network.output().predictedClass(got);
                String label = classNames.isEmpty() ? Integer.toString(predicted) : classNames.get(predicted);
                assertEquals(expectedClass[r], label, caseName + " row " + (r + 1) + " predicted class");
            }
        }
    }

    /** The row's features, or null when the line is not a well-formed, finite record. */
    private static double[] parseRow(String line, int fields, int[] featureAt) {
        String[] f = line.split(",", -1);
        if (f.length != fields) {
            return null;
        }
        double[] features = new double[featureAt.length];
        for (int k = 0; k < featureAt.length; k++) {
            try {
                features[k] = Double.parseDouble(f[featureAt[k]]);
            } catch (NumberFormatException e) {
                return null;
            }
            if (!Double.isFinite(features[k])) {
                return null;
            }
        }
        return features;
    }

    @Test
    void hardSigmoidOfTheDumpIsPyTorchs() throws Exception {
        // Given a dump whose layer says "hardsigmoid" (PyTorch: clip(x/6 + 1/2, 0, 1))
        Path file = Files.createTempFile("neutral", ".json");
        try {
            Files.writeString(file, "{\"task\":\"regression\",\"features\":[\"a\"],\"layers\":[{\"weights\":[[1.0]],"
                    + "\"bias\":[0.0],\"activation\":\"hardsigmoid\"}]}");
            Scorer scorer = NeutralModels.load(file).newScorer();
            // then x = 1 gives 1/6 + 1/2 = 0.6666666666666666, x = -3 gives 0, x = 3 gives 1
            assertEquals(1.0 / 6 + 0.5, scorer.score(new double[] {1.0})[0], 0.0);
            assertEquals(0.0, scorer.score(new double[] {-3.0})[0], 0.0);
            assertEquals(1.0, scorer.score(new double[] {3.0})[0], 0.0);
            assertFalse(Files.readString(file).contains("params"));
        } finally {
            Files.delete(file);
        }
    }
}
