package io.annscore.importers;

import io.annscore.network.Activation;
import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.OutputValues;
import io.annscore.network.Task;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The keys an importer writes into {@link ModelInfo#provenance()}, and the steps every importer
 * shares: naming the features, inferring the task, assembling the network.
 */
public final class Provenance {
    /** Where the network was read from: an absolute file or directory path, or a URI. */
    public static final String SOURCE = "source";
    /** SHA-256 (lower-case hex) of the source file's bytes; for a directory, see {@link MllibImporter}. */
    public static final String SOURCE_SHA256 = "source_sha256";
    /** Which importer: {@code onnx} or {@code mllib}. */
    public static final String IMPORTER = "importer";
    /** The importer's version: changes whenever the same file would import differently. */
    public static final String IMPORTER_VERSION = "importer_version";
    /** When the import ran, UTC, ISO-8601 to the second ({@code 2026-11-29T10:15:30Z}). */
    public static final String IMPORTED_AT = "imported_at";
    /** Where the feature names came from: {@code file}, {@code caller}, {@code generated} or {@code none}. */
    public static final String FEATURE_NAMES_FROM = "feature_names_from";

    private Provenance() {
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * The feature names: those the file gives, else the caller's, else x0..x{n−1}. Records which
     * in {@code provenance}.
     */
    static List<String> featureNames(List<String> fromFile, ImportOptions options, int inputs,
                                     Map<String, String> provenance) throws ImportException {
        List<String> fromCaller = options.features();
        if (!fromFile.isEmpty()) {
            if (fromFile.size() != inputs) {
                throw new ImportException("the file names " + fromFile.size() + " features " + fromFile
                        + " but the network has " + inputs + " inputs");
            }
            provenance.put(FEATURE_NAMES_FROM, "file");
            return fromFile;
        }
        if (!fromCaller.isEmpty()) {
            if (fromCaller.size() != inputs) {
                throw new ImportException("the network has " + inputs + " inputs but " + fromCaller.size()
                        + " feature columns were given: " + fromCaller);
            }
            provenance.put(FEATURE_NAMES_FROM, "caller");
            return fromCaller;
        }
        if (!options.generateNames()) {
            provenance.put(FEATURE_NAMES_FROM, "none");
            return List.of();
        }
        List<String> names = new ArrayList<>(inputs);
        for (int i = 0; i < inputs; i++) {
            names.add("x" + i);
        }
        provenance.put(FEATURE_NAMES_FROM, "generated");
        return names;
    }

    /** How the user declares the task and the kind of outputs, for error messages. */
    static final String DECLARE = "give --task and --outputs to import, score or validate, or set the job keys"
            + " model.task and model.outputs; see docs/onnx.md";

    /**
     * What the last layer produces: as requested, else log-probabilities after a log_softmax and
     * probabilities otherwise.
     */
    static OutputValues values(OutputValues requested, Layer last) {
        if (requested != null) {
            return requested;
        }
        return last.activation() == Activation.LOG_SOFTMAX ? OutputValues.LOG_PROBABILITIES : OutputValues.PROBABILITIES;
    }

    /**
     * The requested task, or the one the output layer implies: softmax or log_softmax with two or
     * more outputs is multiclass, one sigmoid output is binary; declared logits are binary for one
     * output and multiclass for more; anything else is regression.
     */
    static Task task(Task requested, OutputValues values, Layer last) {
        if (requested != null) {
            return requested;
        }
        Activation a = last.activation();
        if ((a == Activation.SOFTMAX || a == Activation.LOG_SOFTMAX) && last.outputSize() >= 2) {
            return Task.MULTICLASS;
        }
        if (a == Activation.SIGMOID && last.outputSize() == 1) {
            return Task.BINARY;
        }
        if (values == OutputValues.LOGITS) {
            return last.outputSize() == 1 ? Task.BINARY : Task.MULTICLASS;
        }
        return Task.REGRESSION;
    }

    /**
     * Builds the network, turning the core's shape and value checks into import errors. A
     * classifier whose last layer does not produce what is declared is refused with the flags and
     * keys that declare it.
     */
    static Network network(ModelInfo info, List<String> features, int inputs, double[] mean, double[] scale,
                           List<Layer> layers, Task task, OutputValues values, double threshold)
            throws ImportException {
        InputSpec input;
        try {
            input = new InputSpec(features, inputs, mean, scale);
        } catch (IllegalArgumentException e) {
            throw new ImportException("the imported network is not valid: " + e.getMessage(), e);
        }
        try {
            return new Network(info, input, layers, new OutputSpec(task, List.of(), threshold, values));
        } catch (IllegalArgumentException e) {
            boolean aboutOutputs = e.getMessage().contains("declare") || e.getMessage().contains("apply to classifiers");
            throw new ImportException("the imported network is not valid: " + e.getMessage()
                    + (aboutOutputs ? " (" + DECLARE + ")" : ""), e);
        }
    }
}
