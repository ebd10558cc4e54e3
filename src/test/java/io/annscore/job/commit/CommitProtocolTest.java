package io.annscore.job.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.job.JobConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The commit protocol on the local file system, without Spark: a run that stops right after each
 * step of publishing (simulated by a fault point that throws, after which nothing of the run is
 * cleaned up, as after a kill -9) leaves the previous state or one the journal finishes; the
 * only state with neither the old nor the new predictions is between the two renames of that
 * target, with the journal there to finish it.
 */
class CommitProtocolTest {
    private static final LocalDate DAY = LocalDate.of(2024, 5, 31);
    private static final Configuration CONF = new Configuration();

    @TempDir
    Path tmp;

    /** What a kill leaves: the fault point throws this, and nothing after it runs. */
    private static final class Killed extends RuntimeException {
        Killed(String step) {
            super("killed after " + step);
        }
    }

    private JobConfig config() {
        return new JobConfig("job", DAY, "m.json", JobConfig.InputConfig.csv(List.of(tmp.resolve("in.csv").toString()),
                List.of(), List.of()), new JobConfig.OutputConfig(tmp.resolve("out/predictions").toString(),
                JobConfig.Format.PARQUET), tmp.resolve("out/quarantine").toString(), 0.01,
                JobConfig.SummaryConfig.atPath(tmp.resolve("out/summary").toString()), List.of(), List.of());
    }

    /** Stages one run's three outputs, each a folder holding one file whose content names the run. */
    private RunPaths stageRun(Publisher publisher, String runId) throws IOException {
        RunPaths paths = RunPaths.of(config(), publisher, DAY);
        for (org.apache.hadoop.fs.Path staged : List.of(paths.predictionsStage(), paths.quarantineStage(), paths.summaryStage())) {
            Path dir = Path.of(staged.toString());
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("part-" + runId), runId);
        }
        publisher.markRun(paths.predictionsStage());
        return paths;
    }

    private void publish(String runId, String killAfter) throws IOException {
        Publisher publisher = Publisher.of(CONF, config(), runId);
        RunPaths paths = stageRun(publisher, runId);
        publisher.publish(paths, paths.journal(), step -> {
            if (step.equals(killAfter)) {
                throw new Killed(step);
            }
        });
        publisher.cleanup();
    }

    /** Which run each output's date folder holds: its file's content, or "none" when the folder is absent. */
    private Map<String, String> state() throws IOException {
        return Map.of("predictions", holder("out/predictions/run_date=" + DAY),
                "quarantine", holder("out/quarantine/run_date=" + DAY),
                "summary", holder("out/summary/job_name=job/run_date=" + DAY));
    }

    private String holder(String folder) throws IOException {
        Path dir = tmp.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return "none";
        }
        List<String> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                runs.add(Files.readString(f));
            }
        }
        assertEquals(1, runs.size(), folder + " holds the files of " + runs);
        return runs.get(0);
    }

    private boolean journalThere() {
        return Files.exists(tmp.resolve("out/predictions/_annscore/journal-run_date=" + DAY));
    }

    @Test
    void aWholeRunReplacesEveryOutputAndLeavesNothingBehind() throws IOException {
        publish("old", null);
        assertEquals(Map.of("predictions", "old", "quarantine", "old", "summary", "old"), state());
        publish("new", null);
        assertEquals(Map.of("predictions", "new", "quarantine", "new", "summary", "new"), state());
        assertFalse(journalThere());
        assertFalse(Files.exists(tmp.resolve("out/predictions/_staging")), "staging is removed");
        assertEquals("new", Files.readString(tmp.resolve("out/predictions/run_date=" + DAY + "/" + Publisher.RUN_ID_FILE)));
    }

    /**
     * A kill after each step. Before the journal: the old state, whole. After it: every target is
     * old, new or (for one target at most, between its two renames) absent; the journal finishes
     * the run, and replaying it again changes nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"staged", "journal", "move-1", "move-2", "move-3", "move-4", "move-5", "move-6", "committed"})
    void aKillAtAnyStepLeavesOldOrFinishableState(String step) throws IOException {
        publish("old", null);
        assertThrows(Killed.class, () -> publish("new", step));
        Map<String, String> afterKill = state();
        long absent = afterKill.values().stream().filter("none"::equals).count();
        assertTrue(absent <= 1, "more than one target missing after a kill at " + step + ": " + afterKill);
        if (step.equals("committed")) {
            assertEquals(Map.of("predictions", "new", "quarantine", "new", "summary", "new"), afterKill);
            assertFalse(journalThere());
            return;
        }
        if (step.equals("staged")) {
            assertEquals(Map.of("predictions", "old", "quarantine", "old", "summary", "old"), afterKill);
            assertFalse(journalThere());
            return;
        }
        assertTrue(journalThere(), "the journal is there after " + step);
        // Everything new comes before anything old in the order of publishing, summary last.
        List<String> order = List.of(afterKill.get("predictions"), afterKill.get("quarantine"), afterKill.get("summary"));
        assertTrue(String.join(",", order).matches("(new,)*(none,)?(old,?)*|(new,)*(new|none)"), step + ": " + order);

        String done = Recovery.recover(CONF, new org.apache.hadoop.fs.Path(tmp.resolve("out/predictions").toUri()),
                "run_date=" + DAY);
        assertNotNull(done);
        assertEquals(Map.of("predictions", "new", "quarantine", "new", "summary", "new"), state());
        assertFalse(journalThere());
        assertNull(Recovery.recover(CONF, new org.apache.hadoop.fs.Path(tmp.resolve("out/predictions").toUri()),
                "run_date=" + DAY), "nothing left to do");
        assertEquals(Map.of("predictions", "new", "quarantine", "new", "summary", "new"), state());
    }

    @Test
    void replayingAJournalTwiceEndsTheSame() throws IOException {
        publish("old", null);
        assertThrows(Killed.class, () -> publish("new", "move-3"));
        org.apache.hadoop.fs.Path journalPath = new org.apache.hadoop.fs.Path(
                tmp.resolve("out/predictions/_annscore/journal-run_date=" + DAY).toUri());
        Journal journal = Journal.read(CONF, journalPath);
        assertEquals("new", journal.runId());
        // A recovery killed after its first rename, then recovery again.
        assertThrows(Killed.class, () -> journal.apply(CONF, journalPath, s -> {
            if (s.equals("move-4")) {
                throw new Killed(s);
            }
        }));
        Journal.read(CONF, journalPath).apply(CONF, journalPath, FaultPoints.NONE);
        assertEquals(Map.of("predictions", "new", "quarantine", "new", "summary", "new"), state());
    }

    @Test
    void aHalfWrittenJournalIsNoCommit() throws IOException {
        publish("old", null);
        Path temporary = tmp.resolve("out/predictions/_annscore/journal-run_date=" + DAY + ".tmp-new");
        Files.writeString(temporary, "annscore-journal 1\nrun new\nmove /a\t/b\n");
        assertEquals(List.of(), Recovery.recoverAll(CONF, new org.apache.hadoop.fs.Path(tmp.resolve("out/predictions").toUri()),
                "r", "job", java.time.Duration.ofSeconds(5), java.time.Duration.ZERO));
        assertEquals(Map.of("predictions", "old", "quarantine", "old", "summary", "old"), state());
    }

    /**
     * A run killed before its journal leaves its staging; the next run of the job and date, holding
     * the date's lock, removes it, and nothing of another job, date, predictions folder or of the
     * older naming.
     */
    @Test
    void theNextRunRemovesTheStagingOfARunKilledBeforeItsJournal() throws IOException {
        publish("old", null);
        assertThrows(Killed.class, () -> publish("killed", "staged"));
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(tmp.resolve("out/predictions").toUri());
        String lock = StagingName.lockTag(CONF, root);
        Path orphan = tmp.resolve("out/quarantine/_staging/job~" + DAY + "~" + lock + "~killed");
        assertTrue(Files.isDirectory(orphan.resolve("quarantine/run_date=" + DAY)), "the killed run's staging is there: "
                + java.util.Arrays.toString(tmp.resolve("out/quarantine/_staging").toFile().list()));
        List<Path> kept = List.of(tmp.resolve("out/quarantine/_staging/other~" + DAY + "~" + lock + "~r1"),
                tmp.resolve("out/quarantine/_staging/job~2024-05-30~" + lock + "~r2"),
                tmp.resolve("out/quarantine/_staging/job~" + DAY + "~0badc0de~r3"),
                tmp.resolve("out/summary/_staging/3f2a9c1e-0000-4000-8000-000000000001"));
        for (Path k : kept) {
            Files.createDirectories(k.resolve("x"));
        }
        Publisher next = Publisher.of(CONF, config(), "next");
        RunPaths paths = RunPaths.of(config(), next, DAY);
        try (RunLock held = RunLock.acquire(CONF, paths.lock(), "next", "job", java.time.Duration.ofMinutes(1),
                java.time.Duration.ZERO)) {
            assertNull(Recovery.recover(CONF, root, paths.partition()));
            List<org.apache.hadoop.fs.Path> removed = OrphanStaging.remove(CONF, root, next.stagings(), next.name());
            assertEquals(3, removed.size(), removed.toString()); // predictions, quarantine, summary
        }
        for (String target : List.of("predictions", "quarantine", "summary")) {
            assertFalse(Files.exists(tmp.resolve("out/" + target + "/_staging/job~" + DAY + "~" + lock + "~killed")), target);
        }
        assertFalse(Files.exists(tmp.resolve("out/predictions/_staging")), "an emptied staging folder goes too");
        for (Path k : kept) {
            assertTrue(Files.isDirectory(k.resolve("x")), k + " is not the run's to remove");
        }
        assertEquals(Map.of("predictions", "old", "quarantine", "old", "summary", "old"), state());
    }

    /** recover and validate: each date with orphans, under its lock; a date a live run holds is left to it. */
    @Test
    void recoverRemovesOrphansOfEachDateWhoseLockItTakes() throws IOException {
        publish("old", null);
        assertThrows(Killed.class, () -> publish("killed", "staged"));
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(tmp.resolve("out/predictions").toUri());
        String lock = StagingName.lockTag(CONF, root);
        Path otherDate = tmp.resolve("out/summary/_staging/job~2024-05-30~" + lock + "~killed-too");
        Files.createDirectories(otherDate.resolve("summary"));
        Path halfJournal = tmp.resolve("out/predictions/_annscore/journal-run_date=" + DAY + ".tmp-killed");
        Files.writeString(halfJournal, "annscore-journal 1\nrun killed\n");
        Publisher recovering = Publisher.of(CONF, config(), "recovering");
        RunPaths paths = RunPaths.of(config(), recovering, DAY);
        java.time.Duration lease = java.time.Duration.ofMinutes(1);
        try (RunLock live = RunLock.acquire(CONF, RunLock.lockPath(root, "run_date=2024-05-30"), "live", "job", lease,
                java.time.Duration.ZERO)) {
            List<String> lines = OrphanStaging.removeAll(CONF, root, recovering.stagings(), recovering.name(), lease,
                    java.time.Duration.ZERO, Journal.TableCommitter.NONE);
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("run_date=2024-05-30: staging left to the run holding it"), lines.get(0));
            assertEquals("run_date=" + DAY + ": removed 3 staging folder(s) of runs killed before their commit", lines.get(1));
        }
        assertTrue(Files.isDirectory(otherDate), "the held date's staging is left");
        assertFalse(Files.exists(halfJournal), "a journal the killed run left half written goes too");
        assertFalse(Files.exists(tmp.resolve("out/quarantine/_staging/job~" + DAY + "~" + lock + "~killed")));
        assertEquals(Map.of("predictions", "old", "quarantine", "old", "summary", "old"), state());
    }

    /** A run whose staging was removed (its lock taken over) writes no journal, and the old outputs stay. */
    @Test
    void aRunWhoseStagingIsGoneWritesNoJournal() throws IOException {
        publish("old", null);
        Publisher publisher = Publisher.of(CONF, config(), "overtaken");
        RunPaths paths = stageRun(publisher, "overtaken");
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(CONF);
        fs.delete(paths.quarantineStage(), true);
        IOException e = assertThrows(IOException.class, () -> publisher.publish(paths, paths.journal(), FaultPoints.NONE));
        assertTrue(e.getMessage().contains("is gone"), e.getMessage());
        assertFalse(journalThere());
        assertEquals(Map.of("predictions", "old", "quarantine", "old", "summary", "old"), state());
    }
}
