package io.annscore.job.commit;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's commit record: the renames that publish it, in order, and the folders to delete after
 * them. Written (to a temporary name, then renamed into place, so that it is there whole or not at
 * all) only after every output is staged and checked; from then on the run is committed, and
 * whoever finds the journal — the run itself, or any later run, {@code validate} or
 * {@code recover} — rolls it forward: it performs each rename whose source still exists and whose
 * destination does not yet, then the deletes, then removes the journal. Replaying a journal any
 * number of times, killed at any point, ends in the same state. See docs/commit-protocol.md.
 */
public final class Journal {
    /** The hidden folder, inside the predictions folder, that holds the journals and the locks. */
    public static final String FOLDER = "_annscore";
    private static final String HEADER = "annscore-journal 1";

    /** One step of the publishing: a rename, or a commit to a table. */
    public sealed interface Step permits Move, Commit {
    }

    /** One rename of the publishing. */
    public record Move(Path from, Path to) implements Step {
    }

    /**
     * One commit of a staged folder of Parquet files to a table, which a {@link TableCommitter}
     * performs (the tables' code needs Spark, which this package does not use).
     *
     * @param kind what the target is, for the committer: {@code delta} (a Delta table at a path) or
     *     {@code catalog} (a table of the session's catalog)
     * @param staged the staged Parquet files (without the partition columns)
     * @param target the table's path or name
     * @param partition the partition the run replaces, column → value, in the table's partition order
     * @param replace true: the commit replaces {@code partition}; false: it adds to it
     * @param schema the staged files' schema (Spark's JSON form), so that an empty folder reads too
     */
    public record Commit(String kind, Path staged, String target, java.util.LinkedHashMap<String, String> partition,
                         boolean replace, String schema) implements Step {
        String line() {
            StringBuilder p = new StringBuilder();
            partition.forEach((k, v) -> p.append(p.length() == 0 ? "" : ",").append(k).append('=').append(v));
            return "commit " + kind + '\t' + staged + '\t' + target + '\t' + p + '\t' + (replace ? "replace" : "add")
                    + '\t' + schema;
        }

        static Commit parse(String rest) {
            String[] f = rest.split("\t", -1);
            java.util.LinkedHashMap<String, String> partition = new java.util.LinkedHashMap<>();
            if (!f[3].isEmpty()) {
                for (String kv : f[3].split(",")) {
                    int eq = kv.indexOf('=');
                    partition.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return new Commit(f[0], new Path(f[1]), f[2], partition, f[4].equals("replace"), f[5]);
        }
    }

    /** Performs a journal's table commits; each at most once per run, however often it is replayed. */
    @FunctionalInterface
    public interface TableCommitter {
        /** Without Spark: a journal with a table commit cannot be finished here. */
        TableCommitter NONE = (commit, runId) -> {
            throw new IOException("the journal holds a commit to the table " + commit.target()
                    + ", which needs Spark: run ./submit.sh recover with the job's options");
        };

        /** Commits {@code commit.staged()} to the table, unless the table already has a commit of {@code runId}. */
        void commit(Commit commit, String runId) throws IOException;
    }

    private final String runId;
    private final List<Step> steps;
    private final List<Path> deletes;

    public Journal(String runId, List<? extends Step> steps, List<Path> deletes) {
        this.runId = runId;
        this.steps = List.copyOf(steps);
        this.deletes = List.copyOf(deletes);
    }

    public String runId() {
        return runId;
    }

    /** The staging folders deleted once the renames and commits are done. */
    public List<Path> deletes() {
        return deletes;
    }

    /** The renames and table commits, in the order they are done. */
    public List<Step> steps() {
        return steps;
    }

    /** The journal of {@code output} for {@code partition} (a date folder's name, or "undated"). */
    public static Path path(Path output, String partition) {
        return new Path(new Path(output, FOLDER), "journal-" + partition);
    }

    /** Writes the journal at {@code path}, whole or not at all. */
    public void write(Configuration conf, Path path) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        Path temporary = path.suffix(".tmp-" + runId);
        StringBuilder text = new StringBuilder(HEADER).append('\n').append("run ").append(runId).append('\n');
        for (Step step : steps) {
            if (step instanceof Move m) {
                text.append("move ").append(m.from()).append('\t').append(m.to()).append('\n');
            } else {
                text.append(((Commit) step).line()).append('\n');
            }
        }
        for (Path d : deletes) {
            text.append("delete ").append(d).append('\n');
        }
        text.append("end\n");
        try (OutputStream out = fs.create(temporary, true)) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (!fs.rename(temporary, path)) {
            fs.delete(temporary, false);
            throw new IOException("could not put the journal in place at " + path);
        }
    }

    /** The journal at {@code path}, or null when there is none (or only a part of one that was never put in place). */
    public static Journal read(Configuration conf, Path path) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (FileNotFoundException e) {
            return null;
        }
        if (lines.size() < 3 || !lines.get(0).equals(HEADER) || !lines.get(lines.size() - 1).equals("end")
                || !lines.get(1).startsWith("run ")) {
            throw new IOException("the journal " + path + " is not one annscore wrote; move it away to go on");
        }
        List<Step> moves = new ArrayList<>();
        List<Path> deletes = new ArrayList<>();
        for (String line : lines.subList(2, lines.size() - 1)) {
            if (line.startsWith("move ")) {
                String[] ft = line.substring(5).split("\t", -1);
                moves.add(new Move(new Path(ft[0]), new Path(ft[1])));
            } else if (line.startsWith("commit ")) {
                moves.add(Commit.parse(line.substring(7)));
            } else if (line.startsWith("delete ")) {
                deletes.add(new Path(line.substring(7)));
            } else {
                throw new IOException("the journal " + path + " has a line annscore does not write: " + line);
            }
        }
        return new Journal(lines.get(1).substring(4), moves, deletes);
    }

    /**
     * Rolls the journal forward: each rename whose source exists and whose destination does not,
     * in order; then the journal itself goes, and last the staging folders (with the old versions
     * moved aside into them). The renames are replayable only while the old versions are there to
     * say which renames were done, so the journal never outlives them. {@code faults} is told each
     * step's name.
     */
    public void apply(Configuration conf, Path journalPath, FaultPoints faults) throws IOException {
        apply(conf, journalPath, faults, TableCommitter.NONE);
    }

    /**
     * As {@link #apply(Configuration, Path, FaultPoints)}, with {@code tables} performing the table
     * commits; the steps are counted together ({@code move-N} after the N-th rename or commit).
     */
    public void apply(Configuration conf, Path journalPath, FaultPoints faults, TableCommitter tables) throws IOException {
        int k = 0;
        for (Step step : steps) {
            k++;
            if (step instanceof Commit c) {
                tables.commit(c, runId);
                faults.reached("move-" + k);
                continue;
            }
            Move m = (Move) step;
            FileSystem fs = m.to().getFileSystem(conf);
            if (fs.exists(m.from()) && !fs.exists(m.to())) {
                fs.mkdirs(m.to().getParent());
                if (!fs.rename(m.from(), m.to())) {
                    throw new IOException("could not rename " + m.from() + " to " + m.to());
                }
            }
            faults.reached("move-" + k);
        }
        journalPath.getFileSystem(conf).delete(journalPath, false);
        faults.reached("committed");
        for (Path d : deletes) {
            FileSystem fs = d.getFileSystem(conf);
            fs.delete(d, true);
            Path parent = d.getParent();
            if (fs.exists(parent) && fs.listStatus(parent).length == 0) {
                fs.delete(parent, false);
            }
        }
    }
}
