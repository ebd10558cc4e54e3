package io.annscore.cli.jobfile;

/**
 * The job configuration is wrong: an unknown key, a value of the wrong type or out of range, a
 * missing required key, a malformed job file. The message names the key (and, where known, the
 * file and line it came from); the CLI exits with code 2.
 */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
