package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelPathsTest {
    private static final String DEFAULT_FS = "spark.hadoop.fs.defaultFS";

    @AfterEach
    void clearDefaultFs() {
        System.clearProperty(DEFAULT_FS);
    }

    @Test
    void aRelativeModelPathIsCheckedOnLocalDiskWhenTheDefaultFileSystemIsLocal() {
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> ModelPaths.requireExistsUnderDefaultFs("model.path", "models/no-such-model.json"));
        assertEquals("model.path models/no-such-model.json: no such file or directory", e.getMessage());
    }

    @Test
    void aRelativeModelPathIsLeftToTheJobWhenTheDefaultFileSystemIsHdfs() {
        // As spark-submit passes --conf spark.hadoop.fs.defaultFS=... to the driver: a system property.
        System.setProperty(DEFAULT_FS, "hdfs://namenode.example:8020");
        assertDoesNotThrow(() -> ModelPaths.requireExistsUnderDefaultFs("model.path", "models/no-such-model.json"));
        // A file: path is local whatever the default file system.
        assertThrows(ModelNotFoundException.class,
                () -> ModelPaths.requireExistsUnderDefaultFs("model.path", "file:/no/such/model.json"));
    }
}
