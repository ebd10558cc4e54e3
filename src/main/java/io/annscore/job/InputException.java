package io.annscore.job;

/**
 * The input cannot be scored as configured: a missing or non-numeric column, a feature count that
 * does not match the network, no input for the run date. Raised before any task runs.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
