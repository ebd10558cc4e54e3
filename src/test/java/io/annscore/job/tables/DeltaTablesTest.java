package io.annscore.job.tables;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.annscore.job.JobConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refusal of an output folder that holds the other kind of table, on the local file system, without Spark. */
class DeltaTablesTest {
    private final Configuration conf = new Configuration();

    @TempDir
    Path tmp;

    @Test
    void aDeltaOutputInAFolderOfPlainParquetIsRefusedNamingTheKeyAndAnEntry() throws IOException {
        // Given a folder of plain Parquet partitions (and annscore's hidden folders)
        Path out = tmp.resolve("predictions");
        Files.createDirectories(out.resolve("run_date=2024-03-01"));
        Files.createDirectories(out.resolve("_annscore"));

        // When it is to be a Delta table, it is refused; as Parquet it passes
        JobConfigException e = assertThrows(JobConfigException.class,
                () -> DeltaTables.checkFolderKind(conf, out.toString(), "output.path", true));
        assertEquals("key output.path: " + out + " holds plain files (run_date=2024-03-01) and no Delta table (no"
                + " _delta_log); give a new or empty folder for the Delta table, or keep the format parquet", e.getMessage());
        assertDoesNotThrow(() -> DeltaTables.checkFolderKind(conf, out.toString(), "output.path", false));
    }

    @Test
    void aParquetOutputInADeltaTableIsRefused() throws IOException {
        // Given a Delta table's folder (its log)
        Path out = tmp.resolve("quarantine");
        Files.createDirectories(out.resolve("_delta_log"));
        Files.createDirectories(out.resolve("run_date=2024-03-01"));

        JobConfigException e = assertThrows(JobConfigException.class,
                () -> DeltaTables.checkFolderKind(conf, out.toString(), "quarantine.path", false));
        assertEquals("key quarantine.path: " + out + " is a Delta table (it has a _delta_log); set the format to delta"
                + " for it, or give another folder", e.getMessage());
        assertDoesNotThrow(() -> DeltaTables.checkFolderKind(conf, out.toString(), "quarantine.path", true));
    }

    @Test
    void aMissingFolderOrOneWithOnlyHiddenEntriesPassesEitherWay() throws IOException {
        Path missing = tmp.resolve("missing");
        Path hidden = tmp.resolve("hidden");
        Files.createDirectories(hidden.resolve("_staging"));
        Files.createDirectories(hidden.resolve("_annscore"));
        for (boolean delta : new boolean[] {true, false}) {
            assertDoesNotThrow(() -> DeltaTables.checkFolderKind(conf, missing.toString(), "output.path", delta));
            assertDoesNotThrow(() -> DeltaTables.checkFolderKind(conf, hidden.toString(), "output.path", delta));
        }
    }
}
