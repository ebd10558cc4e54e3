package io.annscore.job.commit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finishes what killed runs left: every journal in a predictions folder is rolled forward under its
 * date's lock (see {@link Journal}). A journal whose lock a live run holds is that run's own commit
 * in progress, and is left to it.
 */
public final class Recovery {
    private Recovery() {
    }

    /**
     * Rolls forward the journals under {@code output}, each under its lock (taken for at most
     * {@code wait}); returns one line per journal finished or left to a live run.
     */
    public static List<String> recoverAll(Configuration conf, Path output, String runId, String job, Duration lease,
                                          Duration wait) throws IOException {
        return recoverAll(conf, output, runId, job, lease, wait, Journal.TableCommitter.NONE);
    }

    /** As {@link #recoverAll(Configuration, Path, String, String, Duration, Duration)}, with {@code tables} for table commits. */
    public static List<String> recoverAll(Configuration conf, Path output, String runId, String job, Duration lease,
                                          Duration wait, Journal.TableCommitter tables) throws IOException {
        List<String> done = new ArrayList<>();
        FileSystem fs = output.getFileSystem(conf);
        Path folder = new Path(output, Journal.FOLDER);
        if (!fs.exists(folder)) {
            return done;
        }
        for (FileStatus s : fs.listStatus(folder)) {
            String name = s.getPath().getName();
            if (!name.startsWith("journal-") || name.contains(".tmp-")) {
                continue;
            }
            String partition = name.substring("journal-".length());
            try (RunLock lock = RunLock.acquire(conf, RunLock.lockPath(output, partition), runId, job, lease, wait)) {
                done.add(recover(conf, output, partition, tables));
            } catch (LockHeldException e) {
                done.add(partition + ": left to the run publishing it (" + e.getMessage() + ")");
            }
        }
        return done;
    }

    /** Rolls forward the journal of one partition; the caller holds its lock. Returns what it did, or null. */
    public static String recover(Configuration conf, Path output, String partition) throws IOException {
        return recover(conf, output, partition, Journal.TableCommitter.NONE);
    }

    /** As {@link #recover(Configuration, Path, String)}, with {@code tables} for table commits. */
    public static String recover(Configuration conf, Path output, String partition, Journal.TableCommitter tables)
            throws IOException {
        Path path = Journal.path(output, partition);
        Journal journal = Journal.read(conf, path);
        if (journal == null) {
            return null;
        }
        journal.apply(conf, path, FaultPoints.NONE, tables);
        return partition + ": finished publishing run " + journal.runId() + " (" + journal.steps().size()
                + " steps), which had been stopped after its commit";
    }
}
