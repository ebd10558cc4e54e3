package io.annscore.importers;

import static io.annscore.importers.Onnx.dims;
import static io.annscore.importers.Onnx.f;
import static io.annscore.importers.Onnx.i;
import static io.annscore.importers.Onnx.node;
import static io.annscore.importers.Onnx.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.annscore.importers.onnx.OnnxIr.GraphProto;
import io.annscore.network.Activation;
import io.annscore.network.Layer;
import io.annscore.network.Network;
import io.annscore.network.Scorer;
import io.annscore.network.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxImporterTest {

    // ---- the oracle fixtures ---------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"breast_cancer_logistic_binary", "diabetes_tanh_regression", "diabetes_dirty_rows",
            "iris_relu_multiclass", "iris_dirty_rows", "torch_matmul_add_multiclass",
            "torch_mixed_activations_regression"})
    void everyFixtureReproducesItsReferenceOutputs(String caseName) throws Exception {
        // Given the case's feature columns, as the job would pass them
        JsonNode c = Fixtures.caseJson(caseName);
        List<String> columns = Fixtures.strings(c.get("feature_columns"));
        double float32Error = c.get("float32_max_abs_error_vs_reference").asDouble();

        // When the ONNX export is imported without telling the task
        Network net = OnnxImporter.read(Fixtures.path(caseName, "model.onnx"),
                ImportOptions.defaults().withFeatures(columns));

        // Then the task is inferred as the case states, the inputs are named after the columns
        assertEquals(Task.parse(c.get("task").asText()), net.task());
        assertEquals(columns, net.input().features());
        // and every well-formed row scores as the float64 reference, within the float32 error of the export
        Map<String, Map<String, String>> data = Fixtures.csvById(Fixtures.path(caseName, "data.csv"));
        Map<String, Map<String, String>> expected = Fixtures.csvById(Fixtures.path(caseName, "expected.csv"));
        Scorer scorer = net.newScorer();
        int checked = 0;
        for (Map.Entry<String, Map<String, String>> e : expected.entrySet()) {
            Map<String, String> row = data.get(e.getKey());
            double[] x = row == null ? null : Fixtures.features(row, columns);
            if (x == null) {
                continue;
            }
            double[] out = scorer.score(x);
            for (int k = 0; k < out.length; k++) {
                double want = Double.parseDouble(e.getValue().get("out_" + k));
                double tol = 1e-5 * Math.abs(want) + float32Error;
                assertEquals(want, out[k], tol, caseName + " id " + e.getKey() + " out_" + k);
            }
            if (e.getValue().containsKey("predicted_class")) {
                assertEquals(Integer.parseInt(e.getValue().get("predicted_class")), net.output().predictedClass(out),
                        caseName + " id " + e.getKey());
            }
            checked++;
        }
        assertTrue(checked >= 100, caseName + ": only " + checked + " rows checked");
    }

    @Test
    void breastCancerStandardizesItsInputWithTheExportedSubAndDiv() throws Exception {
        Network net = OnnxImporter.read(Fixtures.path("breast_cancer_logistic_binary", "model.onnx"));
        assertTrue(net.input().isStandardized());
        assertEquals(30, net.inputSize());
        assertEquals(List.of(Activation.SIGMOID, Activation.SIGMOID, Activation.SIGMOID),
                net.layers().stream().map(Layer::activation).toList());
        // mean radius of the Wisconsin data set, 14.127..., as float32
        assertEquals(14.127292, net.input().mean()[0], 1e-5);
        assertFalse(OnnxImporter.read(Fixtures.path("iris_relu_multiclass", "model.onnx")).input().isStandardized());
    }

    @Test
    void activationParametersKeepTheValueTheUserWrote() throws Exception {
        // torch: ELU(alpha=1.0), LeakyReLU(0.1), Softplus, then a linear output layer
        Network net = OnnxImporter.read(Fixtures.path("torch_mixed_activations_regression", "model.onnx"));
        List<Layer> layers = net.layers();
        assertEquals(List.of(Activation.ELU, Activation.LEAKY_RELU, Activation.SOFTPLUS, Activation.IDENTITY),
                layers.stream().map(Layer::activation).toList());
        assertEquals(0.1, layers.get(1).activationParameters().get("alpha"));   // not 0.10000000149
        assertEquals(List.of(6, 12, 10, 8), layers.stream().map(Layer::inputSize).toList());
    }

    @Test
    void provenanceNamesTheFileItsHashTheImporterAndTheDate() throws Exception {
        Path file = Fixtures.path("iris_relu_multiclass", "model.onnx");
        Instant before = Instant.now().minusSeconds(1);
        Network net = OnnxImporter.read(file);
        Map<String, String> p = net.info().provenance();

        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertEquals(sha, p.get(Provenance.SOURCE_SHA256));
        assertEquals(file.toAbsolutePath().toString(), p.get(Provenance.SOURCE));
        assertEquals("onnx", p.get(Provenance.IMPORTER));
        assertEquals(OnnxImporter.VERSION, p.get(Provenance.IMPORTER_VERSION));
        Instant at = Instant.parse(p.get(Provenance.IMPORTED_AT));
        assertTrue(!at.isBefore(before) && at.isBefore(Instant.now().plus(Duration.ofMinutes(1))), at.toString());
        assertTrue(p.get(Provenance.IMPORTED_AT).endsWith("Z"));
        assertEquals("pytorch 1.13.0", p.get("onnx_producer"));
        assertEquals("13", p.get("onnx_opset"));
        assertEquals("model", net.info().name());
        // no names in the file, none given: x0..x3
        assertEquals(List.of("x0", "x1", "x2", "x3"), net.input().features());
        assertEquals("generated", p.get(Provenance.FEATURE_NAMES_FROM));
    }

    @Test
    void theCallersFeatureListMustFitTheInputs() {
        ImportException e = assertThrows(ImportException.class, () -> OnnxImporter.read(
                Fixtures.path("iris_relu_multiclass", "model.onnx"), ImportOptions.defaults().withFeatures(List.of("a", "b"))));
        assertTrue(e.getMessage().contains("4 inputs but 2 feature columns"), e.getMessage());
    }

    // ---- a hand-built graph: standardization, MatMul+Add, SiLU, Gemm, GELU, no-ops -----------

    /**
     * x (2) → Sub [1, −2] → Mul [0.5, 4] → Identity → MatMul W1 + Add b1 → SiLU (Sigmoid, Mul)
     * → Dropout → Gemm (transB, alpha 2, beta 0.5; float64 weights) → GELU (Div √2, Erf, Add 1,
     * Mul x, Mul 0.5) → Reshape [−1, 2] → MatMul W3 + Add b3. All weights are exact in float32.
     */
    private static byte[] handBuiltModel(String... metadata) {
        GraphProto g = GraphProto.newBuilder()
                .addInput(value("x", 2))
                .addOutput(value("y", 1))
                .addInitializer(Onnx.floatsRaw("mean", dims(2), 1f, -2f))
                .addInitializer(Onnx.floatsRaw("inv_scale", dims(1, 2), 0.5f, 4f))
                .addInitializer(Onnx.floatsRaw("W1", dims(2, 3), 0.5f, -1f, 0.25f, 0.125f, 0.25f, -0.375f))
                .addInitializer(Onnx.floatsTyped("b1", dims(3), 0.125f, 0f, -0.25f))
                .addInitializer(Onnx.doubles("W2", dims(2, 3), 1, -0.5, 2, 0.75, 0.25, -1))
                .addInitializer(Onnx.doubles("b2", dims(2), -0.5, 0.25))
                .addInitializer(Onnx.floatsRaw("one", dims(), 1f))
                .addInitializer(Onnx.floatsRaw("half", dims(), 0.5f))
                .addInitializer(Onnx.floatsRaw("W3", dims(2, 1), 1.5f, -2f))
                .addInitializer(Onnx.floatsRaw("b3", dims(1), 0.5f))
                .addNode(node("Sub", "center", List.of("x", "mean"), "s1"))
                .addNode(node("Mul", "rescale", List.of("s1", "inv_scale"), "s2"))
                .addNode(node("Identity", "id", List.of("s2"), "s3"))
                .addNode(node("MatMul", "dense1", List.of("s3", "W1"), "m1"))
                .addNode(node("Add", "dense1_bias", List.of("m1", "b1"), "z1"))
                .addNode(node("Sigmoid", "silu_sigmoid", List.of("z1"), "sg"))
                .addNode(node("Mul", "silu_mul", List.of("z1", "sg"), "h1"))
                .addNode(node("Dropout", "drop", List.of("h1"), "d1"))
                .addNode(node("Gemm", "dense2", List.of("d1", "W2", "b2"), "z2",
                        i("transB", 1), f("alpha", 2f), f("beta", 0.5f)))
                .addNode(node("Constant", "sqrt2", List.of(), "sqrt2", f("value_float", (float) Math.sqrt(2))))
                .addNode(node("Div", "gelu_div", List.of("z2", "sqrt2"), "q"))
                .addNode(node("Erf", "gelu_erf", List.of("q"), "e"))
                .addNode(node("Add", "gelu_add", List.of("e", "one"), "a"))
                .addNode(node("Mul", "gelu_mul", List.of("z2", "a"), "m"))
                .addNode(node("Mul", "gelu_half", List.of("m", "half"), "g"))
                .addNode(node("Constant", "shape", List.of(), "shape", Onnx.t("value", Onnx.int64s("", -1, 2))))
                .addNode(node("Reshape", "flat", List.of("g", "shape"), "r"))
                .addNode(node("MatMul", "dense3", List.of("r", "W3"), "m3"))
                .addNode(node("Add", "dense3_bias", List.of("m3", "b3"), "y"))
                .build();
        return Onnx.model(g, metadata);
    }

    @Test
    void handBuiltGraphWithSiluGeluAndMatMulAddScoresAsComputedByHand() throws Exception {
        Network net = OnnxImporter.read(handBuiltModel("feature_names", "a, b"), ImportOptions.defaults()
                .withFeatures(List.of("ignored_1", "ignored_2")));

        assertEquals(List.of("a", "b"), net.input().features());
        assertEquals("file", net.info().provenance().get(Provenance.FEATURE_NAMES_FROM));
        assertArrayEquals(new double[] {1, -2}, net.input().mean());
        assertArrayEquals(new double[] {2, 0.25}, net.input().scale());   // Mul by c is scale 1/c
        assertEquals(List.of(Activation.SILU, Activation.GELU, Activation.IDENTITY),
                net.layers().stream().map(Layer::activation).toList());
        assertEquals(Task.REGRESSION, net.task());
        // Gemm: alpha 2 scales W2, beta 0.5 scales b2
        assertEquals(2 * 0.75, net.layers().get(1).weight(1, 0));
        assertEquals(0.5 * -0.5, net.layers().get(1).bias(0));

        // Hand computation (Python, math.erf), for x = (3, −1):
        //   standardized (1, 4); z1 = (1.125, 0, −1.5); h1 = z1·σ(z1);
        //   z2 = 2·W2·h1 + 0.5·b2 = (0.35400557761, 1.94619561176); g = GELU(z2);
        //   y = 1.5·g0 − 2·g1 + 0.5
        Scorer s = net.newScorer();
        assertEquals(-2.952946740609441, s.score(new double[] {3, -1})[0], 1e-12);
        assertEquals(-0.33643180383690763, s.score(new double[] {1, -2})[0], 1e-12);
        assertEquals(-5.103836702775288, s.score(new double[] {-2, 0.5})[0], 1e-12);
    }

    @Test
    void geluAndSiluAreRecognisedInOtherOperandOrders() throws Exception {
        // z = x·W + b; GELU as Mul(z, 0.5) · (1 + Erf(z · 1/√2)) with the constant first in the Add;
        // then SiLU as Mul(Sigmoid(h), h).
        GraphProto g = GraphProto.newBuilder()
                .addInput(value("x", 1)).addOutput(value("y", 1))
                .addInitializer(Onnx.floatsRaw("W", dims(1, 1), 2f))
                .addInitializer(Onnx.floatsRaw("b", dims(1), -0.5f))
                .addInitializer(Onnx.floatsRaw("W2", dims(1, 1), 1f))
                .addInitializer(Onnx.floatsRaw("half", dims(1), 0.5f))
                .addInitializer(Onnx.floatsRaw("inv_sqrt2", dims(), (float) Math.sqrt(0.5)))
                .addInitializer(Onnx.floatsRaw("one", dims(), 1f))
                .addNode(node("Gemm", "dense", List.of("x", "W", "b"), "z"))
                .addNode(node("Mul", "half_z", List.of("z", "half"), "h"))
                .addNode(node("Mul", "scaled", List.of("z", "inv_sqrt2"), "q"))
                .addNode(node("Erf", "erf", List.of("q"), "e"))
                .addNode(node("Add", "plus_one", List.of("one", "e"), "a"))
                .addNode(node("Mul", "product", List.of("a", "h"), "gz"))
                .addNode(node("Gemm", "dense2", List.of("gz", "W2"), "z2"))
                .addNode(node("Sigmoid", "sig", List.of("z2"), "sg"))
                .addNode(node("Mul", "silu", List.of("sg", "z2"), "y"))
                .build();
        Network net = OnnxImporter.read(Onnx.model(g), ImportOptions.defaults());
        assertEquals(List.of(Activation.GELU, Activation.SILU), net.layers().stream().map(Layer::activation).toList());
        // x = 1: z = 1.5, GELU(1.5) = 1.3995715..., SiLU of that = 1.3995715 / (1 + e^−1.3995715)
        double gelu = 0.5 * 1.5 * (1 + 0.8663855974622838);        // erf(1.5/√2) = 0.86638559746228
        double want = gelu / (1 + Math.exp(-gelu));
        assertEquals(want, net.newScorer().score(new double[] {1})[0], 1e-12);
    }

    // ---- refusals --------------------------------------------------------------------------

    @Test
    void anUnsupportedOperatorIsNamedWithItsNodeAndThePageThatListsWhatIsSupported() {
        GraphProto g = GraphProto.newBuilder()
                .addInput(value("x", 3)).addOutput(value("y", 4))
                .addInitializer(Onnx.floatsRaw("W", dims(1, 16, 3), new float[48]))
                .addNode(node("LSTM", "lstm_1", List.of("x", "W"), "y", i("hidden_size", 4)))
                .build();
        ImportException e = assertThrows(ImportException.class,
                () -> OnnxImporter.read(Onnx.model(g), ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("LSTM node 'lstm_1'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("see docs/onnx.md for what annscore reads"), e.getMessage());
    }

    @Test
    void anElementwiseRegionThatIsNoKnownActivationIsRefusedNamingItsNodes() {
        // relu(z) + tanh(z) is element-wise, but no activation annscore has.
        GraphProto g = GraphProto.newBuilder()
                .addInput(value("x", 1)).addOutput(value("y", 1))
                .addInitializer(Onnx.floatsRaw("W", dims(1, 1), 1f))
                .addNode(node("Gemm", "dense", List.of("x", "W"), "z"))
                .addNode(node("Relu", "left", List.of("z"), "l"))
                .addNode(node("Tanh", "right", List.of("z"), "r"))
                .addNode(node("Add", "join", List.of("l", "r"), "y"))
                .build();
        ImportException e = assertThrows(ImportException.class,
                () -> OnnxImporter.read(Onnx.model(g), ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("the element-wise nodes Relu node 'left', Tanh node 'right', Add node 'join'"
                + " compute no activation annscore knows"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; see docs/onnx.md for what annscore reads"), e.getMessage());
    }

    @Test
    void aGraphThatLoopsIsRefusedRatherThanFollowedForever() {
        GraphProto g = GraphProto.newBuilder()
                .addInput(value("x", 1)).addOutput(value("y", 1))
                .addInitializer(Onnx.floatsRaw("W", dims(1, 1), 1f))
                .addNode(node("Gemm", "dense", List.of("x", "W"), "z"))
                .addNode(node("Identity", "again", List.of("z"), "z"))
                .build();
        ImportException e = assertThrows(ImportException.class,
                () -> OnnxImporter.read(Onnx.model(g), ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("loops back on value 'z'"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsRefusedAsUnreadable() throws Exception {
        byte[] whole = Files.readAllBytes(Fixtures.path("breast_cancer_logistic_binary", "model.onnx"));
        byte[] half = Arrays.copyOf(whole, whole.length / 2);
        ImportException e = assertThrows(ImportException.class,
                () -> OnnxImporter.read(half, ImportOptions.defaults()));
        assertTrue(e.getMessage().startsWith("not a readable ONNX model"), e.getMessage());
    }

    @Test
    void aJsonFileIsNotOnnx(@TempDir Path dir) throws Exception {
        Path json = Files.copy(Fixtures.path("iris_relu_multiclass", "case.json"), dir.resolve("model.onnx"));
        ImportException e = assertThrows(ImportException.class, () -> OnnxImporter.read(json));
        assertTrue(e.getMessage().contains("model.onnx: not an ONNX model: the file is JSON"), e.getMessage());
    }

    @Test
    void aTaskThatDoesNotFitTheOutputsIsRefused() {
        ImportException e = assertThrows(ImportException.class, () -> OnnxImporter.read(
                Fixtures.path("iris_relu_multiclass", "model.onnx"), ImportOptions.defaults().withTask(Task.BINARY)));
        assertTrue(e.getMessage().contains("binary network has 1 output"), e.getMessage());
    }
}
