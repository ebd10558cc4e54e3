package io.annscore.cli;

import io.annscore.importers.LoadedModel;
import io.annscore.importers.ModelLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inspect}: prints a network's layers, sizes, functions, parameter count, task and SHA-256.
 * The model is loaded as a job loads it ({@link ModelLoader}: kind by content, ONNX and MLlib
 * imported in memory), in a plain JVM with a default Hadoop configuration.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Prints a network: layers, sizes, summation and activation functions, parameter count,",
                "task and SHA-256. MODEL is our model file, an ONNX file or an MLlib model directory."})
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", description = "Our model file (JSON), an ONNX file or an MLlib model directory.")
    Path model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelPaths.requireExists("model", model.toString());
        LoadedModel loaded = ModelLoader.load(model.toString(), new Configuration(), List.of());
        spec.commandLine().getOut().print(NetworkReport.describe(loaded.network(),
                model + " (" + loaded.describeKind() + ")", loaded.sha256()));
        spec.commandLine().getOut().flush();
        return ExitCode.OK.code();
    }
}
