package io.annscore.job;

import java.io.Serializable;

/**
 * What the driver broadcasts: the model file's bytes and their SHA-256 (the model's identity),
 * never the Java-serialized network. Executors build the network from the bytes once per JVM
 * ({@link ExecutorNetworks}).
 *
 * @param bytes the model file
 * @param sha256 lower-case hex SHA-256 of {@code bytes}
 * @param decoder how to read the bytes
 */
record ModelPayload(byte[] bytes, String sha256, ModelDecoder decoder) implements Serializable {
}
