package io.annscore.importers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells what kind of model a path holds, by its content rather than its name. */
public final class ModelSources {

    /** The kinds of model annscore reads. */
    public enum Kind {
        /** annscore's own JSON model file. */
        JSON,
        /** An ONNX model file. */
        ONNX,
        /** A directory saved by Spark MLlib. */
        MLLIB
    }

    private ModelSources() {
    }

    /**
     * A directory with a {@code metadata/} folder is an MLlib model; a file whose first character
     * (after white space and a byte-order mark) is '{' is our JSON format; a file that parses as an
     * ONNX ModelProto with a graph is ONNX.
     *
     * @throws ImportException when the path is none of these, naming why
     */
    public static Kind detect(Path path) throws IOException, ImportException {
        if (Files.isDirectory(path)) {
            if (Files.isDirectory(path.resolve("metadata"))) {
                return Kind.MLLIB;
            }
            throw new ImportException(path + " is a directory without a metadata/ folder, so not a saved MLlib model");
        }
        try {
            return detect(Files.readAllBytes(path));
        } catch (ImportException e) {
            throw new ImportException(path + " " + e.getMessage(), e);
        }
    }

    /**
     * The kind of a model file from its content (for files read from elsewhere than the local disk,
     * such as HDFS or S3): {@link Kind#JSON} when the first character (after white space and a
     * byte-order mark) is '{', {@link Kind#ONNX} when the bytes parse as an ONNX ModelProto with a
     * graph.
     *
     * @throws ImportException when the bytes are neither; the message starts with "is not a model
     *     annscore reads" for the caller to put the file's name before
     */
    public static Kind detect(byte[] bytes) throws ImportException {
        if (startsWithBrace(bytes)) {
            return Kind.JSON;
        }
        try {
            OnnxImporter.parse(bytes);
            return Kind.ONNX;
        } catch (ImportException e) {
            throw new ImportException("is not a model annscore reads: not JSON (it does not start with '{'),"
                    + " not ONNX (" + e.getMessage() + "), not an MLlib model directory", e);
        }
    }

    /** Whether the first character, after a byte-order mark and white space, is '{'. */
    static boolean startsWithBrace(byte[] bytes) {
        int k = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            k = 3;
        }
        while (k < bytes.length && (bytes[k] == ' ' || bytes[k] == '\t' || bytes[k] == '\n' || bytes[k] == '\r')) {
            k++;
        }
        return k < bytes.length && bytes[k] == '{';
    }
}
