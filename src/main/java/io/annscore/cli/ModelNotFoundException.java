package io.annscore.cli;

/** The model path names nothing readable; the CLI exits with code 3 before starting Spark. */
public class ModelNotFoundException extends RuntimeException {
    public ModelNotFoundException(String message) {
        super(message);
    }
}
