package io.annscore.job.rows;

import io.annscore.model.ModelFile;
import java.io.Serializable;

/**
 * What the driver broadcasts: the network in our model format and the SHA-256 of those bytes,
 * never the Java-serialized network nor the user's ONNX or MLlib source. Executors build the
 * network from the bytes with {@link ModelFile#read(byte[])}, once per JVM ({@link ExecutorNetworks}).
 *
 * @param bytes our model file (see {@link LoadedModel#modelFile()})
 * @param sha256 lower-case hex SHA-256 of {@code bytes}: checks them on arrival and keys the
 *     executors' cache (for an imported model, not the model's identity, which is its source's)
 */
public record ModelPayload(byte[] bytes, String sha256) implements Serializable {

    public static ModelPayload of(byte[] modelFile) {
        return new ModelPayload(modelFile, ModelFile.sha256(modelFile));
    }
}
