package io.annscore.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.network.Activation;
import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.Scorer;
import io.annscore.network.Summation;
import io.annscore.network.Task;
import io.annscore.testing.NeutralModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The documented 2-3-1 example, kept as a golden version-1 file: it must keep loading, keep
 * scoring as computed by hand, and stay the file the writer produces for that network.
 */
class ModelFileExampleTest {

    static byte[] golden() throws IOException {
        try (InputStream in = ModelFileExampleTest.class.getResourceAsStream("/model/v1/example-2-3-1.json")) {
            return in.readAllBytes();
        }
    }

    /** The example network, built in code. */
    static Network exampleNetwork() {
        return new Network(
                new ModelInfo("example-2-3-1", "1.0",
                        "A 2-3-1 example: two inputs standardized by the network, three leaky ReLU neurons, one sigmoid output",
                        Map.of("author", "docs/model-format.md", "trained", "by hand")),
                new InputSpec(List.of("age", "income"), 2, new double[] {40, 50000}, new double[] {10, 20000}),
                List.of(new Layer(new double[][] {{1.0, -0.5}, {0.25, 0.75}, {-1.0, 0.0}}, new double[] {0.0, 0.5, -0.25},
                                Summation.WEIGHTED_SUM, Activation.LEAKY_RELU, Map.of("alpha", 0.1)),
                        new Layer(new double[][] {{0.5, -1.0, 2.0}}, new double[] {0.1},
                                Summation.WEIGHTED_SUM, Activation.SIGMOID, Map.of())),
                new OutputSpec(Task.BINARY, List.of("no", "yes"), 0.5));
    }

    @Test
    void theGoldenExampleScoresAsComputedByHand() throws Exception {
        Network network = ModelFile.read(golden());
        Scorer scorer = network.newScorer();

        // age 50, income 70000 standardize to (1, 1); the hidden layer gives 0.5, 1.5 and
        // 0.1·(−1.25) = −0.125; the output is σ(0.25 − 1.5 − 0.25 + 0.1) = σ(−1.4).
        double[] out = scorer.score(new double[] {50, 70000});
        assertEquals(1 / (1 + Math.exp(1.4)), out[0], 1e-15);
        assertEquals(0, network.output().predictedClass(out));

        // age 30, income 30000 standardize to (−1, −1); hidden −0.05, −0.05, 0.75; σ(−0.025 + 0.05 + 1.5 + 0.1) = σ(1.625).
        out = scorer.score(new double[] {30, 30000});
        assertEquals(1 / (1 + Math.exp(-1.625)), out[0], 1e-15);
        assertEquals(1, network.output().predictedClass(out));

        assertEquals("example-2-3-1", network.info().name());
        assertEquals("1.0", network.info().version());
        assertEquals(Map.of("author", "docs/model-format.md", "trained", "by hand"), network.info().provenance());
        assertEquals(List.of("age", "income"), network.input().features());
        assertEquals(List.of("no", "yes"), network.output().classNames());
        assertEquals(Map.of("alpha", 0.1), network.layers().get(0).activationParameters());
    }

    @Test
    void theWriterProducesTheGoldenBytesForTheExampleNetwork() throws Exception {
        // The file's bytes are the model's identity: the same network must always give the same file.
        assertArrayEquals(golden(), ModelFile.write(exampleNetwork()));
        assertArrayEquals(golden(), ModelFile.write(ModelFile.read(golden())));
    }

    @Test
    void theReferencePageShowsTheGoldenExample() throws Exception {
        String page = Files.readString(Path.of("docs/model-format.md"));
        assertTrue(page.contains(new String(golden(), StandardCharsets.UTF_8)),
                "docs/model-format.md must show src/test/resources/model/v1/example-2-3-1.json verbatim");
    }

    @Test
    void theDemoIrisModelIsTheFixtureNetwork() throws Exception {
        Path fixture = Path.of(getClass().getResource("/fixtures/iris_relu_multiclass").toURI());
        Network neutral = NeutralModels.load(fixture.resolve("model.json"));

        Network demo = ModelFile.read(Path.of("jobs/models/iris.json"));

        assertEquals("iris", demo.info().name());
        Network demoRenamed = new Network(neutral.info(), demo.input(), demo.layers(), demo.output());
        ModelFileRoundTripTest.assertSameNetwork(neutral, demoRenamed);
        assertArrayEquals(Files.readAllBytes(fixture.resolve("data.csv")), Files.readAllBytes(Path.of("jobs/data/iris.csv")));
    }

    @Test
    void sha256IsTheHexDigestOfTheBytes() {
        // FIPS 180-2 test vectors.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                ModelFile.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ModelFile.sha256(new byte[0]));
    }
}
