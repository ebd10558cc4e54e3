package io.annscore.testing;

import io.annscore.model.ModelFile;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the demo's example files under {@code jobs/}: the iris network converted from the oracle
 * fixture into our model format, and a copy of its data. Run once from the repository root when
 * the fixture or the format changes, and commit the output:
 * {@code java -cp target/classes:target/test-classes:<jackson jars> io.annscore.testing.WriteExampleModels}.
 */
public final class WriteExampleModels {
    private WriteExampleModels() {
    }

    public static void main(String[] args) throws IOException {
        Path fixture = Path.of("src/test/resources/fixtures/iris_relu_multiclass");
        Network neutral = NeutralModels.load(fixture.resolve("model.json"));
        ModelInfo info = new ModelInfo("iris", "1",
                "Iris species (classes 0, 1, 2) from four standardized flower measurements: a 4-16-3 network, ReLU then softmax",
                Map.of("source", neutral.info().provenance().get("source"),
                        "converted_from", "oracle fixture iris_relu_multiclass/model.json"));
        Network iris = new Network(info, neutral.input(), neutral.layers(), neutral.output());

        Files.createDirectories(Path.of("jobs/models"));
        Files.createDirectories(Path.of("jobs/data"));
        Files.write(Path.of("jobs/models/iris.json"), ModelFile.write(iris));
        Files.copy(fixture.resolve("data.csv"), Path.of("jobs/data/iris.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
