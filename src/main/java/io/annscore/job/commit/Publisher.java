package io.annscore.job.commit;

import io.annscore.job.rows.PartitionTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Staging and publishing through the Hadoop {@link FileSystem} of each path (never java.io: the
 * driver and the executors need not share a disk). Everything is first written under
 * {@code <target>/_staging/<run id>/}, which Spark's readers skip (names starting with {@code _}),
 * on the same file system as the target so that publishing is a rename. Publishing replaces a
 * target folder in three renames' time — the old one aside, the new one in, the old one deleted —
 * and puts the old one back when the second rename fails. A run that fails before publishing
 * leaves the previous outputs as they were; {@link #cleanup()} removes its staging folders.
 *
 * <p>Not atomic across targets (predictions, quarantine, summary are published one after the
 * other), nor on object stores, where a rename is a copy.
 */
public final class Publisher {
    public static final String STAGING = "_staging";

    private final Configuration conf;
    private final String runId;
    private final Set<Path> runFolders = new LinkedHashSet<>();

    public Publisher(Configuration conf, String runId) {
        this.conf = conf;
        this.runId = runId;
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
        Path run = new Path(new Path(target, STAGING), runId);
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

    /** Replaces the folder {@code target} by the staged folder (an absent staged folder removes the target). */
    private void replace(Path staged, Path target) throws IOException {
        FileSystem fs = fs(target);
        fs.mkdirs(target.getParent());
        Path aside = null;
        if (fs.exists(target)) {
            aside = new Path(staged.getParent(), "_previous_" + target.getName());
            rename(fs, target, aside);
        }
        if (fs.exists(staged)) {
            try {
                rename(fs, staged, target);
            } catch (IOException e) {
                if (aside != null) {
                    fs.rename(aside, target);
                }
                throw e;
            }
        }
        if (aside != null) {
            fs.delete(aside, true);
        }
    }

    /** Replaces what {@code target} holds (its visible entries) by the staged folder's visible entries. */
    private void replaceContents(Path staged, Path target) throws IOException {
        FileSystem fs = fs(target);
        fs.mkdirs(target);
        Path aside = new Path(staged.getParent(), "_previous_" + target.getName());
        fs.mkdirs(aside);
        for (FileStatus s : fs.listStatus(target)) {
            if (visible(s.getPath())) {
                rename(fs, s.getPath(), new Path(aside, s.getPath().getName()));
            }
        }
        moveVisible(fs, staged, target);
        fs.delete(aside, true);
    }

    /** Moves the staged folder's visible entries into {@code target}, keeping what it holds. */
    private void addContents(Path staged, Path target) throws IOException {
        FileSystem fs = fs(target);
        fs.mkdirs(target);
        moveVisible(fs, staged, target);
    }

    private static void moveVisible(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.exists(from)) {
            return;
        }
        for (FileStatus s : fs.listStatus(from)) {
            if (visible(s.getPath())) {
                rename(fs, s.getPath(), new Path(to, s.getPath().getName()));
            }
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
     * Publishes a run's staged outputs: the predictions, then the quarantine, then the summary
     * folder (when the summary is not a catalog table).
     */
    public void publish(RunPaths paths) throws IOException {
        if (paths.dated()) {
            replace(paths.predictionsStage(), paths.predictionsTarget());
            replace(paths.quarantineStage(), paths.quarantineTarget());
            if (paths.summaryStage() != null) {
                replace(paths.summaryStage(), paths.summaryTarget());
            }
        } else {
            replaceContents(paths.predictionsStage(), paths.predictionsTarget());
            replaceContents(paths.quarantineStage(), paths.quarantineTarget());
            if (paths.summaryStage() != null) {
                addContents(paths.summaryStage(), paths.summaryTarget());
            }
        }
    }

    /** Deletes this run's staging folders (and the {@code _staging} folders left empty). */
    public void cleanup() {
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
