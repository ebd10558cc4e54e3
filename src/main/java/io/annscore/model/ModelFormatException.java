package io.annscore.model;

/**
 * A model file that cannot be read as a network. The message says where: the field, the layer
 * index, expected and found sizes, or the unknown name together with the known ones.
 */
public class ModelFormatException extends Exception {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
