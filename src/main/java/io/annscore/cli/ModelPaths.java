package io.annscore.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before Spark starts, that a model path on the local file system names something. */
final class ModelPaths {
    private ModelPaths() {
    }

    /**
     * Fails with {@link ModelNotFoundException} (exit code 3) when {@code path} is local (no scheme,
     * or {@code file:}) and names nothing. Paths on other file systems (hdfs:, s3a:, ...) are left
     * to the job, which reads them through Hadoop.
     */
    static void requireExists(String key, String path) {
        Path local = localPath(path);
        if (local != null && !Files.exists(local)) {
            throw new ModelNotFoundException(key + " " + path + ": no such file or directory");
        }
    }

    /** The local file a path names, or null when it lives on another file system. */
    static Path localPath(String path) {
        if (path.startsWith("file:")) {
            try {
                return Path.of(new URI(path));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return Path.of(path.substring("file:".length()));
            }
        }
        int colon = path.indexOf(':');
        int slash = path.indexOf('/');
        boolean hasScheme = colon > 1 && (slash < 0 || colon < slash);
        return hasScheme ? null : Path.of(path);
    }
}
