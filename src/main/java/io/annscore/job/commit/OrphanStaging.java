package io.annscore.job.commit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Removes the staging that runs killed before their journal left behind (orphans): folders under
 * {@code <target>/_staging/} whose {@link StagingName} is of the same job, partition and
 * predictions folder as the run that holds that partition's lock, but of another run, and that no
 * journal names. Such a run never committed (a committed run's journal names its folders, and
 * {@link Recovery} finishes it first), and while the lock is held no run can be writing there, so
 * nothing of them can ever be published. Another job's, another date's or another predictions
 * folder's staging, and folders of the older form ({@code _staging/<run id>}), are never touched.
 */
public final class OrphanStaging {
    private OrphanStaging() {
    }

    /**
     * Of the folder names in a {@code _staging} folder, those that are orphans for {@code holder}
     * (the run holding the lock): the same lock, another run, and not in {@code journaled}.
     */
    public static List<String> select(Collection<String> names, StagingName holder, Set<String> journaled) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            StagingName n = StagingName.parse(name);
            if (n != null && n.sameLock(holder) && !n.runId().equals(holder.runId()) && !journaled.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The partitions that hold staging of {@code holder}'s job and predictions folder, of runs other than its own. */
    public static Set<String> partitions(Collection<String> names, StagingName holder) {
        Set<String> out = new TreeSet<>();
        for (String name : names) {
            StagingName n = StagingName.parse(name);
            if (n != null && n.sameLock(holder.withPartition(n.partition())) && !n.runId().equals(holder.runId())) {
                out.add(n.partition());
            }
        }
        return out;
    }

    /**
     * Deletes {@code holder}'s orphans in each of {@code stagings} (the {@code _staging} folders of
     * the run's targets), and a journal of the partition that a killed run left half written; the
     * caller holds the lock of {@code holder.partition()} and has recovered its journal. Returns the
     * folders deleted.
     */
    public static List<Path> remove(Configuration conf, Path predictionsRoot, Collection<Path> stagings,
                                    StagingName holder) throws IOException {
        Path journalPath = Journal.path(predictionsRoot, holder.partition());
        Set<String> journaled = new TreeSet<>();
        Journal pending = Journal.read(conf, journalPath);
        if (pending != null) {
            for (Path d : pending.deletes()) {
                journaled.add(d.getName());
            }
        }
        List<Path> removed = new ArrayList<>();
        for (Path staging : stagings) {
            FileSystem fs = staging.getFileSystem(conf);
            List<String> names = names(fs, staging);
            for (String orphan : select(names, holder, journaled)) {
                Path p = new Path(staging, orphan);
                if (fs.delete(p, true)) {
                    removed.add(p);
                }
            }
            if (!removed.isEmpty() && fs.exists(staging) && fs.listStatus(staging).length == 0) {
                try {
                    fs.delete(staging, false); // not recursive: a run of another job or date may have just staged there
                } catch (IOException inUse) {
                    // HDFS refuses to delete a folder that is no longer empty; it is that run's now
                }
            }
        }
        FileSystem fs = journalPath.getFileSystem(conf);
        FileStatus[] halfWritten = fs.globStatus(journalPath.suffix(".tmp-*"));
        if (halfWritten != null) {
            for (FileStatus s : halfWritten) {
                if (!s.getPath().getName().endsWith(".tmp-" + holder.runId())) {
                    fs.delete(s.getPath(), false);
                }
            }
        }
        return removed;
    }

    /**
     * For {@code recover} and {@code validate}, which hold no date's lock: removes the orphans of
     * every partition of {@code holder}'s job and predictions folder, each under that partition's
     * lock (taken for at most {@code wait}; a partition another run holds is left to it) and after
     * its journal is recovered. Returns one line per partition cleaned or left.
     */
    public static List<String> removeAll(Configuration conf, Path predictionsRoot, Collection<Path> stagings,
                                         StagingName holder, Duration lease, Duration wait,
                                         Journal.TableCommitter tables) throws IOException {
        Set<String> partitions = new TreeSet<>();
        for (Path staging : stagings) {
            partitions.addAll(partitions(names(staging.getFileSystem(conf), staging), holder));
        }
        List<String> lines = new ArrayList<>();
        for (String partition : partitions) {
            StagingName h = holder.withPartition(partition);
            try (RunLock lock = RunLock.acquire(conf, RunLock.lockPath(predictionsRoot, partition), h.runId(), h.job(),
                    lease, wait)) {
                Recovery.recover(conf, predictionsRoot, partition, tables);
                List<Path> removed = remove(conf, predictionsRoot, stagings, h);
                if (!removed.isEmpty()) {
                    lines.add(partition + ": removed " + removed.size() + " staging folder(s) of runs killed before"
                            + " their commit");
                }
            } catch (LockHeldException e) {
                lines.add(partition + ": staging left to the run holding it (" + e.getMessage() + ")");
            }
        }
        return lines;
    }

    private static List<String> names(FileSystem fs, Path staging) throws IOException {
        List<String> names = new ArrayList<>();
        if (fs.exists(staging)) {
            for (FileStatus s : fs.listStatus(staging)) {
                if (s.isDirectory()) {
                    names.add(s.getPath().getName());
                }
            }
        }
        return names;
    }
}
