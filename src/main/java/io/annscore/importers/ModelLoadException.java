package io.annscore.importers;

/**
 * The model file cannot be read or is not a valid network. Raised on the driver before any task;
 * the cause (for our format a {@code ModelFormatException}) says where the file is wrong.
 */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
