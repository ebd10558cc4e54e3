package io.annscore.cli;

import io.annscore.importers.MllibImporter;
import io.annscore.importers.ModelSources;
import io.annscore.importers.OnnxImporter;
import io.annscore.importers.Provenance;
import io.annscore.model.ModelFile;
import io.annscore.network.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inspect}: prints a network's layers, sizes, functions, parameter count, task and SHA-256. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Prints a network: layers, sizes, summation and activation functions, parameter count,",
                "task and SHA-256. MODEL is our model file, an ONNX file or an MLlib model directory."})
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", description = "Our model file (JSON), an ONNX file or an MLlib model directory.")
    Path model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelPaths.requireExists("model", model.toString());
        Network network;
        String sha256;
        String kind;
        switch (ModelSources.detect(model)) {
            case JSON -> {
                byte[] bytes = Files.readAllBytes(model);
                network = ModelFile.read(bytes);
                sha256 = ModelFile.sha256(bytes);
                kind = "annscore model file";
            }
            case ONNX -> {
                network = OnnxImporter.read(model);
                sha256 = ModelFile.sha256(Files.readAllBytes(model));
                kind = "ONNX file, imported on the fly";
            }
            default -> {
                network = MllibImporter.read(model);
                sha256 = network.info().provenance().get(Provenance.SOURCE_SHA256);
                kind = "MLlib model directory, imported on the fly";
            }
        }
        spec.commandLine().getOut().print(NetworkReport.describe(network, model + " (" + kind + ")", sha256));
        spec.commandLine().getOut().flush();
        return ExitCode.OK.code();
    }
}
