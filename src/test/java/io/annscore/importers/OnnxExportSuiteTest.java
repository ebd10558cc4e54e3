package io.annscore.importers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.metrics.Metric;
import io.annscore.testing.ExportSuite;
import io.annscore.metrics.MetricStats;
import io.annscore.model.ModelFile;
import io.annscore.network.Network;
import io.annscore.network.OutputValues;
import io.annscore.network.Scorer;
import io.annscore.network.Task;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real export of the suite ({@link ExportSuite}) imports, scores PyTorch's float64 outputs to
 * 1e-9, and gives scikit-learn's metrics to 1e-9 relative: directly, and after a write and a read
 * of our model file (what {@code import} then {@code score} run).
 */
class OnnxExportSuiteTest {

    static Stream<ExportSuite.Export> exports() {
        return ExportSuite.all().stream();
    }

    @Test
    void theSuiteHoldsTheArchitecturesItShould() {
        Set<String> cases = Set.copyOf(ExportSuite.all().stream().map(ExportSuite.Export::caseName).toList());
        for (String c : List.of("relu_multiclass", "batchnorm_binary", "batchnorm_first", "dropout_multiclass",
                "flatten_2d", "flatten_3d", "layernorm_multiclass", "leaky_relu_regression", "elu_regression",
                "gelu_regression", "gelu_tanh_regression", "silu_regression", "hardswish_regression",
                "mish_regression", "softplus_regression", "softsign_regression", "tanh_regression",
                "sigmoid_binary", "logits_binary", "logits_multiclass", "log_softmax_multiclass", "relu6_regression",
                "hardtanh_regression", "prelu_regression", "celu_regression",
                "multi_output_regression", "standardize_in_forward", "float64_multiclass")) {
            assertTrue(cases.contains(c), c);
        }
        // LayerNorm and HardSwish export differently at opset 17: both forms are in the suite.
        ExportSuite.get("layernorm_multiclass", 17);
        ExportSuite.get("hardswish_regression", 17);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exports")
    void scoresAsPyTorchWithScikitLearnsMetrics(ExportSuite.Export e) throws Exception {
        Network network = OnnxImporter.read(e.onnx(), e.options());
        assertEquals(e.task(), network.task());
        assertEquals(e.outputs(), network.output().values());
        check(e, network);
        Network imported = ModelFile.read(ModelFile.write(network));
        assertEquals(e.outputs(), imported.output().values());
        check(e, imported);
    }

    private static void check(ExportSuite.Export e, Network network) throws Exception {
        double[][] x = e.columns(e.features());
        double[][] y = e.columns(e.labels());
        double[][] want = e.expected();
        assertEquals(want.length, x.length);
        Scorer scorer = network.newScorer();
        List<Metric> metrics = e.metricIds().stream().map(Metric::parse).toList();
        MetricStats stats = MetricStats.create(network.task(), network.outputSize(), 0.5, metrics);
        for (int r = 0; r < x.length; r++) {
            double[] got = scorer.score(x[r]).clone();
            for (int j = 0; j < got.length; j++) {
                assertEquals(want[r][j], got[j], 1e-9 * Math.max(1, Math.abs(want[r][j])),
                        e + " row " + (r + 1) + " output " + j);
            }
            stats.add(got, y[r]);
        }
        Map<Metric, Double> results = stats.results();
        for (String id : e.metricIds()) {
            double sklearn = e.metric(id);
            assertEquals(sklearn, results.get(Metric.parse(id)), 1e-9 * Math.abs(sklearn), e + ": " + id);
        }
    }

    @Test
    void aClassifierEndingInLogitsIsRefusedUntilItsOutputsAreDeclared() {
        for (String name : List.of("logits_multiclass", "logits_binary")) {
            ExportSuite.Export e = ExportSuite.get(name, 13);
            ImportException refused = assertThrows(ImportException.class,
                    () -> OnnxImporter.read(e.onnx(), ImportOptions.defaults().withTask(e.task())));
            String m = refused.getMessage();
            assertTrue(m.contains("does not produce probabilities") && m.contains("--outputs")
                    && m.contains("model.outputs") && !m.contains("\n"), m);
        }
    }

    @Test
    void declaredLogitsAloneMakeAClassifierOfTheOutputCount() throws Exception {
        ExportSuite.Export multi = ExportSuite.get("logits_multiclass", 13);
        Network m = OnnxImporter.read(multi.onnx(), ImportOptions.defaults().withValues(OutputValues.LOGITS));
        assertEquals(Task.MULTICLASS, m.task());
        ExportSuite.Export binary = ExportSuite.get("logits_binary", 13);
        Network b = OnnxImporter.read(binary.onnx(), ImportOptions.defaults().withValues(OutputValues.LOGITS));
        assertEquals(Task.BINARY, b.task());
    }

    @Test
    void withoutDeclarationALogitsGraphIsARegressionNetworkWhoseOutputsAreTheLogits() throws Exception {
        // Nothing in the graph tells logits from a regression output: the raw values, never as probabilities.
        ExportSuite.Export e = ExportSuite.get("logits_binary", 13);
        Network n = OnnxImporter.read(e.onnx(), ImportOptions.defaults());
        assertEquals(Task.REGRESSION, n.task());
        double[] x = e.columns(e.features())[0];
        double logit = Double.parseDouble(java.nio.file.Files.readAllLines(e.dir().resolve("expected.csv"))
                .get(1).split(",")[1]);
        assertArrayEquals(new double[] {logit}, n.newScorer().score(x), 1e-9 * Math.max(1, Math.abs(logit)));
    }
}
