package io.annscore.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.annscore.network.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The annscore model file: a network as human-readable, versioned JSON (docs/model-format.md).
 * Reading validates the whole file before it builds anything and names the place of the first
 * problem; writing then reading gives back the same network, every double bit for bit.
 */
public final class ModelFile {
    /** The value of the {@code format} field. */
    public static final String FORMAT_NAME = "annscore-network";
    /**
     * The newest version this code reads and writes. The writer writes the oldest version that
     * holds the network (see {@link #versionFor}), so a network version 1 can hold keeps the
     * bytes, and so the identity, it always had.
     */
    public static final int FORMAT_VERSION = 2;
    /** The largest file read: 2 GiB less 8 bytes, the largest byte array a JVM allocates. */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;
    /** Under {@link Encoding#AUTO}, numeric arrays with more values than this are written as base64. */
    public static final int BASE64_THRESHOLD = 4096;
    /** The name of the binary encoding of numeric arrays: base64 of little-endian IEEE 754 doubles. */
    public static final String BASE64_F64LE = "base64-f64le";

    /** How the writer stores numeric arrays (weights, biases, means and scales). */
    public enum Encoding {
        /** JSON arrays up to {@link #BASE64_THRESHOLD} values, base64 above. */
        AUTO,
        /** Always JSON arrays: every number readable, but about twice the size and three times the read time. */
        ARRAYS,
        /** Always base64 of little-endian float64. */
        BASE64
    }

    static final JsonFactory JSON = JsonFactory.builder()
            // A base64 weight block is one long string; the file size limit bounds it instead.
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // Schubfach: the shortest text that reads back to the same double, and the same text on
            // every JDK (Double.toString changed in JDK 19), so a network's file and hash are stable.
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private ModelFile() {
    }

    /**
     * The version a network is written in: 2 when it needs a field that version 1 lacks (output
     * {@code values} other than probabilities, a layer's {@code layer_norm}), else 1.
     */
    public static int versionFor(Network network) {
        boolean v2 = network.output().values() != io.annscore.network.OutputValues.PROBABILITIES
                || network.layers().stream().anyMatch(l -> l.layerNorm() != null);
        return v2 ? 2 : 1;
    }

    /** Reads and validates a model file held in memory. */
    public static Network read(byte[] bytes) throws ModelFormatException {
        return read(bytes, MAX_FILE_BYTES);
    }

    /** Reads and validates a model file; the size limit is checked before the file is read. */
    public static Network read(Path path) throws ModelFormatException, IOException {
        return read(path, MAX_FILE_BYTES);
    }

    /** The network as a model file, numeric arrays encoded by size ({@link Encoding#AUTO}). */
    public static byte[] write(Network network) {
        return write(network, Encoding.AUTO);
    }

    public static byte[] write(Network network, Encoding encoding) {
        return ModelWriter.write(network, encoding);
    }

    /** A model's identity: the SHA-256 of its file's bytes, as 64 lower-case hex digits. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    static Network read(byte[] bytes, long maxBytes) throws ModelFormatException {
        checkSize(bytes.length, maxBytes);
        return ModelReader.read(bytes);
    }

    static Network read(Path path, long maxBytes) throws ModelFormatException, IOException {
        try {
            long size = Files.size(path);
            checkSize(size, maxBytes);
            String noRoom = HeapRoom.shortfall(size);
            if (noRoom != null) {
                throw new ModelFormatException("model file " + noRoom);
            }
            return read(Files.readAllBytes(path), maxBytes);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(path + ": " + e.getMessage(), e);
        }
    }

    private static void checkSize(long size, long maxBytes) throws ModelFormatException {
        if (size > maxBytes) {
            throw new ModelFormatException("model file: " + size + " bytes, more than the limit of " + maxBytes + " bytes");
        }
    }
}
