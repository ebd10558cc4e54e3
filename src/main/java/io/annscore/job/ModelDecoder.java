package io.annscore.job;

import io.annscore.model.ModelFile;
import io.annscore.network.Network;
import java.io.Serializable;

/**
 * Turns the bytes of a model file into a runnable {@link Network}, validating it. Runs once on the
 * driver (to check the model before anything else) and once per executor JVM (to build the network
 * from the broadcast bytes). Shipped to the executors, hence serializable.
 */
@FunctionalInterface
public interface ModelDecoder extends Serializable {

    /** Our JSON model file ({@link ModelFile#read(byte[])}). */
    ModelDecoder MODEL_FILE = ModelFile::read;

    /**
     * @throws Exception naming what is wrong with the model (a ModelFormatException for our format)
     */
    Network decode(byte[] modelFile) throws Exception;
}
