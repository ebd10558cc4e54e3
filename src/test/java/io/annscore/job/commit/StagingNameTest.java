package io.annscore.job.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** Staging folder names: whose they are, and which a run holding a lock may remove. */
class StagingNameTest {
    private static final String LOCK = "d38b4db6";
    private static final StagingName HOLDER = new StagingName("nightly", "run_date=2024-05-31", LOCK, "run-b");

    @Test
    void theNameHoldsJobDateLockAndRun() {
        assertEquals("nightly~2024-05-31~d38b4db6~run-b", HOLDER.folder());
        assertEquals(HOLDER, StagingName.parse("nightly~2024-05-31~d38b4db6~run-b"));
        StagingName undated = new StagingName("a.b_c-1", "undated", LOCK, "3f2a9c1e-0000-4000-8000-000000000001");
        assertEquals("a.b_c-1~undated~d38b4db6~3f2a9c1e-0000-4000-8000-000000000001", undated.folder());
        assertEquals(undated, StagingName.parse(undated.folder()));
    }

    /** `printf 'file:/data/out/predictions' | sha256sum | cut -c1-8` gives d38b4db6. */
    @Test
    void theLockTagIsTheShaOfTheQualifiedPredictionsFolder() {
        Configuration conf = new Configuration();
        assertEquals(LOCK, StagingName.lockTag(conf, new Path("/data/out/predictions")));
        assertEquals(LOCK, StagingName.lockTag(conf, new Path("file:///data/out/predictions")));
        assertEquals(LOCK, StagingName.lockTag(conf, new Path(java.net.URI.create("file:///data/out/predictions/"))));
    }

    @Test
    void olderAndForeignNamesDoNotParse() {
        assertNull(StagingName.parse("3f2a9c1e-0000-4000-8000-000000000001"), "the older form: a run id alone");
        assertNull(StagingName.parse("nightly~2024-05-31~d38b4db6"));
        assertNull(StagingName.parse("nightly~2024-5-31~d38b4db6~r"));
        assertNull(StagingName.parse("nightly~2024-02-30~d38b4db6~r"));
        assertNull(StagingName.parse("nightly~2024-05-31~D38B4DB6~r"));
        assertNull(StagingName.parse("night/ly~2024-05-31~d38b4db6~r"));
        assertNull(StagingName.parse("nightly~2024-05-31~d38b4db6~r~x"));
        assertNull(StagingName.parse("_previous_run_date=2024-05-31"));
        assertThrows(IllegalArgumentException.class, () -> new StagingName("a~b", "undated", LOCK, "r"));
    }

    @Test
    void onlyOtherRunsUnderTheSameLockAndNotJournaledAreOrphans() {
        List<String> names = List.of(
                "nightly~2024-05-31~d38b4db6~run-a",      // killed before its journal: an orphan
                "nightly~2024-05-31~d38b4db6~run-b",      // the holder's own
                "nightly~2024-05-31~d38b4db6~run-j",      // named by a journal
                "nightly~2024-05-30~d38b4db6~run-c",      // another date
                "nightly~undated~d38b4db6~run-d",         // the undated partition
                "weekly~2024-05-31~d38b4db6~run-e",       // another job, sharing the folder
                "nightly~2024-05-31~0badc0de~run-f",      // the same job and date with other predictions
                "3f2a9c1e-0000-4000-8000-000000000001");  // the older form
        assertEquals(List.of("nightly~2024-05-31~d38b4db6~run-a"),
                OrphanStaging.select(names, HOLDER, Set.of("nightly~2024-05-31~d38b4db6~run-j")));
        assertEquals(Set.of("run_date=2024-05-30", "run_date=2024-05-31", "undated"),
                OrphanStaging.partitions(names, HOLDER));
    }
}
