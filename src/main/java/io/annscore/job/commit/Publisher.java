package io.annscore.job.commit;

import io.annscore.job.rows.PartitionTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Staging and publishing through the Hadoop {@link FileSystem} of each path (never java.io: the
 * driver and the executors need not share a disk). Everything is first written under
 * {@code <target>/_staging/<job>~<date>~<lock>~<run id>/} ({@link StagingName}), which Spark's readers skip (names starting with {@code _}),
 * on the same file system as the target so that publishing is a rename. Publishing is a list of
 * renames written down first in a {@link Journal}, so that a kill at any instant leaves either the
 * previous state (no journal) or a commit the next run finishes; the only moment a reader sees
 * neither the old nor the new folder is between the two renames of one target. A run that fails
 * before its journal leaves the previous outputs as they were; {@link #cleanup()} removes its
 * staging. See docs/commit-protocol.md.
 */
public final class Publisher {
    public static final String STAGING = "_staging";
    /** The hidden file naming the run that wrote a published folder. */
    public static final String RUN_ID_FILE = "_annscore_run_id";

    private final Configuration conf;
    private final String runId;
    private final StagingName name;
    private final Set<Path> runFolders = new LinkedHashSet<>();
    private boolean committed;

    /** The publisher of the run {@code name}: its staging folders are named by it ({@link StagingName}). */
    public Publisher(Configuration conf, StagingName name) {
        this.conf = conf;
        this.runId = name.runId();
        this.name = name;
    }

    /** The publisher of run {@code runId} of {@code config}. */
    public static Publisher of(Configuration conf, io.annscore.job.JobConfig config, String runId) {
        return new Publisher(conf, StagingName.of(conf, config, runId));
    }

    /** Whose this run's staging is. */
    public StagingName name() {
        return name;
    }

    /** The {@code _staging} folders of the targets staged so far ({@link #stage}). */
    public List<Path> stagings() {
        Set<Path> out = new LinkedHashSet<>();
        for (Path run : runFolders) {
            out.add(run.getParent());
        }
        return List.copyOf(out);
    }

    private FileSystem fs(Path p) {
        try {
            return p.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A staging folder for {@code target} (not created: the writer creates it). */
    public Path stage(String target, String... names) {
        Path run = new Path(new Path(target, STAGING), name.folder());
        runFolders.add(run);
        Path p = run;
        for (String n : names) {
            p = new Path(p, n);
        }
        return p;
    }

    /**
     * Makes the staged folder hold exactly the task files named (written by the scoring pass under
     * {@code staged/_temporary/}, one attempt per partition): moves them in, deletes every other
     * attempt's files, and marks the folder {@code _SUCCESS} as Spark's writer does.
     */
    public void collectTaskFiles(Path staged, List<String> files) throws IOException {
        FileSystem fs = fs(staged);
        fs.mkdirs(staged);
        for (String f : files) {
            Path file = new Path(f);
            rename(fs, file, new Path(staged, file.getName()));
        }
        fs.delete(new Path(staged, PartitionTask.TEMPORARY), true);
        fs.create(new Path(staged, "_SUCCESS"), true).close();
    }

    /**
     * Publishes a run's staged outputs through a {@link Journal} at {@code journalPath}: the renames
     * that replace the predictions, then the quarantine, then the summary (last: it is the run's
     * record, and describes the predictions beside it) are computed from what the targets hold now,
     * written down, and only then performed. Once the journal is in place the run is committed:
     * {@link #cleanup()} no longer removes its staging, and a run that stops here is finished by the
     * next one ({@link Recovery}).
     */
    public void publish(RunPaths paths, Path journalPath, FaultPoints faults) throws IOException {
        publish(paths, journalPath, faults, Map.of(), Journal.TableCommitter.NONE);
    }

    /** Which output a table commit replaces, in {@link #publish(RunPaths, Path, FaultPoints, Map, Journal.TableCommitter)}. */
    public enum Output { PREDICTIONS, QUARANTINE, SUMMARY }

    /**
     * As {@link #publish(RunPaths, Path, FaultPoints)}, where the outputs named in {@code tables} are
     * committed to their table by {@code committer} (one atomic commit each, written down in the
     * journal like the renames and in the same order) instead of renamed into place.
     */
    public void publish(RunPaths paths, Path journalPath, FaultPoints faults, Map<Output, Journal.Commit> tables,
                        Journal.TableCommitter committer) throws IOException {
        List<Journal.Step> steps = new ArrayList<>();
        if (tables.containsKey(Output.PREDICTIONS)) {
            steps.add(tables.get(Output.PREDICTIONS));
        } else if (paths.dated()) {
            replaceFolder(paths.predictionsStage(), paths.predictionsTarget(), steps);
        } else {
            moveEntries(paths.predictionsStage(), paths.predictionsTarget(), true, steps);
        }
        if (tables.containsKey(Output.QUARANTINE)) {
            steps.add(tables.get(Output.QUARANTINE));
        } else if (paths.dated()) {
            replaceFolder(paths.quarantineStage(), paths.quarantineTarget(), steps);
        } else {
            moveEntries(paths.quarantineStage(), paths.quarantineTarget(), true, steps);
        }
        replaceExtras(paths, steps);
        if (tables.containsKey(Output.SUMMARY)) {
            steps.add(tables.get(Output.SUMMARY));
        } else if (paths.summaryStage() != null) {
            if (paths.dated()) {
                replaceFolder(paths.summaryStage(), paths.summaryTarget(), steps);
            } else {
                moveEntries(paths.summaryStage(), paths.summaryTarget(), false, steps);
            }
        }
        requireStaged(steps);
        Journal journal = new Journal(runId, steps, List.copyOf(runFolders));
        faults.reached("staged");
        journal.write(conf, journalPath);
        committed = true;
        faults.reached("journal");
        journal.apply(conf, journalPath, faults, committer);
    }

    /**
     * Refuses to commit when a staged source of a step is gone: a run whose lease ran out while it
     * was alive has lost its lock, and the run that took the lock over removes its staging as an
     * orphan ({@link OrphanStaging}); a journal written then would move the old version aside and
     * have nothing to put in its place.
     */
    private void requireStaged(List<Journal.Step> steps) throws IOException {
        for (Journal.Step step : steps) {
            Path staged = step instanceof Journal.Move m ? m.from() : ((Journal.Commit) step).staged();
            boolean ours = false;
            for (Path run : runFolders) {
                ours |= staged.toString().startsWith(run.toString() + "/") || staged.equals(run);
            }
            if (ours && !fs(staged).exists(staged)) {
                throw new IOException("the staged " + staged + " is gone (did another run take this run's lock over"
                        + " after its lease ran out?); nothing was published");
            }
        }
    }

    /**
     * The profile's and the report's folders (one per job and summary date, dated or not), each
     * replacing the one of the same date, before the summary.
     */
    private void replaceExtras(RunPaths paths, List<Journal.Step> moves) throws IOException {
        if (paths.profileStage() != null && fs(paths.profileStage()).exists(paths.profileStage())) {
            replaceFolder(paths.profileStage(), paths.profileTarget(), moves);
        }
        if (paths.reportStage() != null && fs(paths.reportStage()).exists(paths.reportStage())) {
            replaceFolder(paths.reportStage(), paths.reportTarget(), moves);
        }
    }

    /** The old folder aside (into this run's staging, deleted with it), the staged one in its place. */
    private void replaceFolder(Path staged, Path target, List<Journal.Step> moves) throws IOException {
        if (fs(target).exists(target)) {
            moves.add(new Journal.Move(target, new Path(staged.getParent(), "_previous_" + target.getName())));
        }
        moves.add(new Journal.Move(staged, target));
    }

    /** The target's visible entries aside (with {@code replace}), then the staged folder's visible entries in. */
    private void moveEntries(Path staged, Path target, boolean replace, List<Journal.Step> moves) throws IOException {
        FileSystem fs = fs(target);
        if (replace && fs.exists(target)) {
            Path aside = new Path(staged.getParent(), "_previous_" + target.getName());
            for (FileStatus s : fs.listStatus(target)) {
                if (published(s.getPath())) {
                    moves.add(new Journal.Move(s.getPath(), new Path(aside, s.getPath().getName())));
                }
            }
        }
        if (fs.exists(staged)) {
            for (FileStatus s : fs.listStatus(staged)) {
                if (published(s.getPath())) {
                    moves.add(new Journal.Move(s.getPath(), new Path(target, s.getPath().getName())));
                }
            }
        }
    }

    /** What a folder's publishing moves: what readers see, and the run-id marker. */
    private static boolean published(Path p) {
        return visible(p) || p.getName().equals(RUN_ID_FILE);
    }

    /**
     * Marks a staged folder with the run that wrote it ({@value #RUN_ID_FILE}, hidden from Spark's
     * readers): the summary's {@code run_id} and the predictions' marker match whenever nothing is
     * being published.
     */
    public void markRun(Path staged) throws IOException {
        try (java.io.OutputStream out = fs(staged).create(new Path(staged, RUN_ID_FILE), true)) {
            out.write(runId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static boolean visible(Path p) {
        String name = p.getName();
        return !name.startsWith("_") && !name.startsWith(".");
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("could not rename " + from + " to " + to);
        }
    }

    /**
     * Deletes this run's staging folders (and the {@code _staging} folders left empty), unless the
     * run is committed: then its journal needs them, and deletes them when it is done.
     */
    public void cleanup() {
        if (committed) {
            return;
        }
        for (Path run : runFolders) {
            try {
                FileSystem fs = fs(run);
                fs.delete(run, true);
                Path parent = run.getParent();
                FileStatus[] left = fs.exists(parent) ? fs.listStatus(parent) : null;
                if (left != null && left.length == 0) {
                    fs.delete(parent, false);
                }
            } catch (IOException | UncheckedIOException e) {
                // Best effort: a leftover staging folder is invisible to readers.
            }
        }
    }
}
