package io.annscore.importers;

import io.annscore.network.Network;

/**
 * A model as a run uses it, loaded on the driver by {@link ModelLoader#load}.
 *
 * @param network the validated network, exactly as the executors decode it from {@code modelFile}
 * @param modelFile the network in our model format, the only thing broadcast to the executors: the
 *     user's bytes for our own model file, {@link io.annscore.model.ModelFile#write} of the imported
 *     network for an ONNX file or an MLlib directory
 * @param sha256 the model's identity, reported in the summary: the SHA-256 of the source the user
 *     gave (the file's bytes; for an MLlib directory, the importer's hash of its data files)
 * @param kind what the source was, recognised by its content
 * @param location the source, qualified with its file system ({@code file:/…}, {@code hdfs://…})
 */
public record LoadedModel(Network network, byte[] modelFile, String sha256, ModelSources.Kind kind, String location) {

    /** The kind of source, for people: "ONNX file, imported in memory". */
    public String describeKind() {
        return switch (kind) {
            case JSON -> "annscore model file";
            case ONNX -> "ONNX file, imported in memory";
            case MLLIB -> "MLlib model directory, imported in memory";
        };
    }
}
