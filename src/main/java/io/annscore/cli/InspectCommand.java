package io.annscore.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code inspect}: prints a network's layers, sizes, functions, parameter count, task and SHA-256. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Prints a network: layers, sizes, summation and activation functions, parameter count, task, SHA-256.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", description = "Our model file (JSON).")
    Path model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelPaths.requireExists("model", model.toString());
        throw new UnsupportedOperationException("the model codec (branch codec) is not merged into this build yet");
    }
}
