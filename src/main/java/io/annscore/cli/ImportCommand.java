package io.annscore.cli;

import io.annscore.importers.ImportOptions;
import io.annscore.importers.MllibImporter;
import io.annscore.importers.OnnxImporter;
import io.annscore.model.ModelFile;
import io.annscore.network.Network;
import io.annscore.network.OutputValues;
import io.annscore.network.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code import}: converts an ONNX file or an MLlib model into our model file, with provenance. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Converts an ONNX file or a Spark MLlib MultilayerPerceptronClassificationModel directory",
                "into our model format, recording where it came from (source, its SHA-256, importer, date)."})
final class ImportCommand implements Callable<Integer> {

    enum Source { onnx, mllib }

    @Option(names = "--from", required = true, paramLabel = "onnx|mllib", description = "The kind of SOURCE.")
    Source from;

    @Parameters(paramLabel = "SOURCE", description = "The ONNX file or the MLlib model directory.")
    Path source;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The model file to write (JSON).")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "The model's name (default: from the source).")
    String name;

    @Option(names = "--features", paramLabel = "a,b,c", split = ",",
            description = "Feature names in input order, for a source that does not name its inputs.")
    List<String> features;

    @Option(names = "--features-from", paramLabel = "CSV",
            description = {"Takes the feature names from the header of a CSV file (comma-separated), in its order,",
                    "leaving out the --ignore-columns."})
    Path featuresFrom;

    @Option(names = "--ignore-columns", paramLabel = "a,b", split = ",",
            description = "With --features-from: header columns that are not features (ids, labels).")
    List<String> ignoreColumns;

    @Option(names = "--task", paramLabel = "regression|binary|multiclass",
            description = "The task (default: inferred from the output layer).")
    String task;

    @Option(names = "--outputs", paramLabel = "probabilities|logits|log_probabilities",
            description = {"What the last layer gives (default: log_probabilities after a LogSoftmax, else",
                    "probabilities). A classifier ending in logits (no Softmax/Sigmoid) needs --outputs logits."})
    String outputs;

    @Option(names = "--force", description = "Overwrite FILE when it exists.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelPaths.requireExists("SOURCE", source.toString());
        if (Files.exists(out) && !force) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--out " + out + " exists; give --force to overwrite it");
        }
        if (features != null && featuresFrom != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "give --features or --features-from, not both");
        }
        if (ignoreColumns != null && featuresFrom == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ignore-columns needs --features-from");
        }
        List<String> names = featuresFrom != null ? headerColumns() : features == null ? List.of() : features;
        ImportOptions options = ImportOptions.defaults().withName(name).withFeatures(names);
        if (task != null) {
            try {
                options = options.withTask(Task.parse(task));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--task: " + e.getMessage());
            }
        }
        if (outputs != null) {
            try {
                options = options.withValues(OutputValues.parse(outputs));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--outputs: " + e.getMessage());
            }
        }
        Network network = from == Source.onnx ? OnnxImporter.read(source, options) : MllibImporter.read(source, options);
        byte[] bytes = ModelFile.write(network);
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".import-", ".json");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        spec.commandLine().getOut().println("wrote " + out);
        spec.commandLine().getOut().print(NetworkReport.describe(network, out.toString(), ModelFile.sha256(bytes)));
        spec.commandLine().getOut().flush();
        return ExitCode.OK.code();
    }

    /** The header of --features-from, without the --ignore-columns. */
    private List<String> headerColumns() throws java.io.IOException {
        ModelPaths.requireExists("--features-from", featuresFrom.toString());
        String header;
        try (java.io.BufferedReader in = Files.newBufferedReader(featuresFrom)) {
            header = in.readLine();
        }
        if (header == null || header.isBlank()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--features-from " + featuresFrom + ": the file has no header line");
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        List<String> columns = new java.util.ArrayList<>();
        for (String c : header.split(",", -1)) {
            String t = c.trim();
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                t = t.substring(1, t.length() - 1);
            }
            columns.add(t);
        }
        List<String> ignored = ignoreColumns == null ? List.of() : ignoreColumns;
        for (String i : ignored) {
            if (!columns.contains(i)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ignore-columns: the header of "
                        + featuresFrom + " has no column '" + i + "'; its columns: " + columns);
            }
        }
        columns.removeAll(ignored);
        return columns;
    }
}
