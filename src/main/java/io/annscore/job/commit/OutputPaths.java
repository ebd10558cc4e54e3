package io.annscore.job.commit;

import io.annscore.job.JobConfigException;
import io.annscore.job.JobKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Refuses, before any data is read, outputs that would overwrite an input or each other: every
 * input (each glob expanded) and every output (predictions, quarantine, summary, and so their
 * staging folders, which lie inside them) is qualified on its file system, and no two may be equal
 * or one inside the other.
 */
public final class OutputPaths {
    private OutputPaths() {
    }

    private record Named(String key, Path path) {
    }

    /** @throws JobConfigException naming both keys and both paths of the first overlap found */
    public static void check(Configuration conf, List<String> inputs, String predictions, String quarantine, String summary) {
        check(conf, inputs, predictions, quarantine, summary, null, null);
    }

    /** The same with the profile table and the reports' folder (each null when off). */
    public static void check(Configuration conf, List<String> inputs, String predictions, String quarantine, String summary,
                             String profile, String report) {
        List<Named> outputs = new ArrayList<>();
        outputs.add(new Named(JobKeys.OUTPUT_PATH, qualify(conf, predictions)));
        outputs.add(new Named(JobKeys.QUARANTINE_PATH, qualify(conf, quarantine)));
        if (summary != null) {
            outputs.add(new Named(JobKeys.SUMMARY_PATH, qualify(conf, summary)));
        }
        if (profile != null) {
            outputs.add(new Named(JobKeys.PROFILE_PATH, qualify(conf, profile)));
        }
        if (report != null) {
            outputs.add(new Named(JobKeys.REPORT_PATH, qualify(conf, report)));
        }
        for (int i = 0; i < outputs.size(); i++) {
            for (int j = i + 1; j < outputs.size(); j++) {
                refuseOverlap(outputs.get(i), outputs.get(j));
            }
        }
        for (String input : inputs) {
            for (Path p : expand(conf, input)) {
                for (Named out : outputs) {
                    refuseOverlap(out, new Named(JobKeys.INPUT_PATHS, p));
                }
            }
        }
    }

    private static void refuseOverlap(Named a, Named b) {
        String x = a.path().toString();
        String y = b.path().toString();
        String relation = x.equals(y) ? "is the same as" : inside(y, x) ? "contains" : inside(x, y) ? "lies inside" : null;
        if (relation != null) {
            throw new JobConfigException(a.key() + " (" + x + ") " + relation + " " + b.key() + " (" + y + "): outputs"
                    + " must not hold, or lie inside, an input or one another");
        }
    }

    /** Whether {@code child} lies strictly inside the folder {@code parent}. */
    private static boolean inside(String child, String parent) {
        String folder = parent.endsWith("/") ? parent : parent + "/";
        return child.startsWith(folder);
    }

    private static Path qualify(Configuration conf, String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).makeQualified(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + path + ": " + e.getMessage(), e);
        }
    }

    /** The paths a glob matches (itself when it matches nothing: the input check reports that). */
    private static List<Path> expand(Configuration conf, String input) {
        Path q = qualify(conf, input);
        List<Path> out = new ArrayList<>();
        try {
            FileSystem fs = q.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(q);
            if (matches != null) {
                for (FileStatus s : matches) {
                    out.add(fs.makeQualified(s.getPath()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + input + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            out.add(q);
        }
        return out;
    }
}
