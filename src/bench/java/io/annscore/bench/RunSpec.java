package io.annscore.bench;

import java.nio.file.Path;

/**
 * What one measured run works on.
 *
 * @param input the Parquet table ({@code id}, {@code f0..}, {@code label})
 * @param features the number of feature columns
 * @param classes the number of classes (the width of the outputs)
 * @param modelDir holds {@code model.json} (annscore's format) and {@code mllib/} (MLlib's saved model)
 * @param outputDir where the run writes; predictions go to {@code predictions/}, annscore's
 *     quarantine and summary beside them
 */
public record RunSpec(Path input, int features, int classes, Path modelDir, Path outputDir) {

    public Path annscoreModel() {
        return modelDir.resolve("model.json");
    }

    public Path onnxModel() {
        return modelDir.resolve("model.onnx");
    }

    public Path mllibModel() {
        return modelDir.resolve("mllib");
    }

    public Path predictions() {
        return outputDir.resolve("predictions");
    }
}
