package io.annscore.importers;

/**
 * A network could not be imported: the file is not what it claims to be, is damaged, or describes
 * something annscore cannot run. The message says where (file, node, layer) and what is supported.
 */
public class ImportException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
