package io.annscore.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import scala.Tuple2;

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

    /**
     * As {@link #requireExists}, for a path the job reads through Hadoop: there a path without a
     * scheme lives on the default file system, which on a cluster is usually HDFS, so it is checked
     * here only when that file system is the local one.
     */
    static void requireExistsUnderDefaultFs(String key, String path) {
        if (hasScheme(path) || defaultFsIsLocal()) {
            requireExists(key, path);
        }
    }

    /**
     * Whether Hadoop's default file system (fs.defaultFS) is the local one: core-site.xml on the
     * class path (spark-submit puts HADOOP_CONF_DIR there), overridden by {@code spark.hadoop.*}
     * settings as Spark overrides it.
     */
    static boolean defaultFsIsLocal() {
        Configuration conf = new Configuration();
        for (Tuple2<String, String> kv : new SparkConf().getAllWithPrefix("spark.hadoop.")) {
            conf.set(kv._1(), kv._2());
        }
        return "file".equals(FileSystem.getDefaultUri(conf).getScheme());
    }

    private static boolean hasScheme(String path) {
        return localPath(path) == null || path.startsWith("file:");
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
