package io.annscore.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code import}: converts an ONNX file or an MLlib model into our model file, with provenance. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Converts an ONNX file or a Spark MLlib MultilayerPerceptron model into our model format,"
                + " recording where it came from (source, its SHA-256, importer, date).")
final class ImportCommand implements Callable<Integer> {

    enum Source { onnx, mllib }

    @Option(names = "--from", required = true, paramLabel = "onnx|mllib", description = "The kind of SOURCE.")
    Source from;

    @Parameters(paramLabel = "SOURCE", description = "The ONNX file or the MLlib model directory.")
    Path source;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The model file to write (JSON).")
    Path out;

    @Option(names = "--force", description = "Overwrite FILE when it exists.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelPaths.requireExists("SOURCE", source.toString());
        throw new UnsupportedOperationException("the importers (branch importers) are not merged into this build yet");
    }
}
