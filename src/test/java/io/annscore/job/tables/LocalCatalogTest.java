package io.annscore.job.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.job.JobConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which catalog a job with a catalog table asks for, without starting Spark (a builder is only configured). */
class LocalCatalogTest {
    @TempDir
    Path tmp;

    /** A class loader that hides Spark's Hive support, as a Spark without spark-hive has it. */
    private static final class WithoutHive extends ClassLoader {
        WithoutHive(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.apache.spark.sql.hive.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void withoutHiveSupportTheRunStopsWithOneLineSayingWhatToAdd() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(new WithoutHive(previous));
        try {
            assertFalse(LocalCatalog.hiveAvailable());
            JobConfigException e = assertThrows(JobConfigException.class, () -> LocalCatalog.configure(
                    new SparkConf(false).setMaster("local[2]"), SparkSession.builder(), tmp.resolve("c").toString(),
                    "output.table"));
            assertEquals("output.table names a catalog table, which needs Spark's Hive support, not on the class path:"
                    + " add --packages org.apache.spark:spark-hive_2.13:4.2.0 (or use a Spark built with Hive), or give"
                    + " --conf spark.sql.catalogImplementation=in-memory for a catalog that lives as long as the run",
                    e.getMessage());
            assertFalse(Files.exists(tmp.resolve("c")));
        } finally {
            t.setContextClassLoader(previous);
        }
        assertTrue(LocalCatalog.hiveAvailable());
    }

    @Test
    void localModeCreatesTheCatalogFolderAndAClusterOrAGivenMetastoreDoesNot() {
        // Local mode with no metastore of its own: the folder is made, for the metastore and the warehouse
        LocalCatalog.configure(new SparkConf(false).setMaster("local[2]"), SparkSession.builder(),
                tmp.resolve("local").toString(), "summary.table");
        assertTrue(Files.isDirectory(tmp.resolve("local")));

        // A cluster, or a session naming its own warehouse: nothing local
        LocalCatalog.configure(new SparkConf(false).setMaster("spark://127.0.0.1:7077"), SparkSession.builder(),
                tmp.resolve("cluster").toString(), "summary.table");
        LocalCatalog.configure(new SparkConf(false).setMaster("local[2]").set("spark.sql.warehouse.dir", "/w"),
                SparkSession.builder(), tmp.resolve("given").toString(), "summary.table");
        // and an explicit in-memory catalog is kept, even without Hive
        LocalCatalog.configure(new SparkConf(false).setMaster("local[2]").set("spark.sql.catalogImplementation", "in-memory"),
                SparkSession.builder(), tmp.resolve("memory").toString(), "summary.table");
        assertFalse(Files.exists(tmp.resolve("cluster")));
        assertFalse(Files.exists(tmp.resolve("given")));
        assertFalse(Files.exists(tmp.resolve("memory")));
        assertTrue(LocalCatalog.ownMetastore(new SparkConf(false).set("spark.hadoop.hive.metastore.uris", "thrift://m:9083")));
        assertFalse(LocalCatalog.ownMetastore(new SparkConf(false)));
    }
}
