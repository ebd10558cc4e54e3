package io.annscore.job.commit;

import io.annscore.job.JobConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Whose a staging folder is, written in its name: {@code <job>~<date>~<lock>~<run id>} under
 * {@code <target>/_staging/}, where {@code <date>} is the run date ({@code undated} for an undated
 * run) and {@code <lock>} the first 8 hex digits of the SHA-256 of the qualified predictions folder,
 * which holds the lock of the date. The name is made with the folder, so a run killed at any instant
 * leaves no staging folder that cannot be told apart; the quarantine, summary, profile and report
 * folders may be shared between jobs and dates, and only a run holding the same lock (same job,
 * same date, same predictions folder) may remove another run's staging there
 * ({@link OrphanStaging}). Folders of the older form {@code _staging/<run id>} do not parse and are
 * left alone.
 *
 * @param job the job's name ({@code job.name}: {@code [A-Za-z0-9._-]}, no {@code ~})
 * @param partition the partition the run replaces: {@code run_date=YYYY-MM-DD} or {@code undated}
 * @param lock the tag of the predictions folder that holds the partition's lock
 * @param runId the run's id
 */
public record StagingName(String job, String partition, String lock, String runId) {
    private static final char SEP = '~';
    private static final String UNDATED = "undated";
    private static final String DATED = "run_date=";
    private static final Pattern LOCK = Pattern.compile("[0-9a-f]{8}");
    private static final Pattern RUN = Pattern.compile("[A-Za-z0-9._-]+");

    public StagingName {
        if (!JobConfig.JOB_NAME.matcher(job).matches() || !LOCK.matcher(lock).matches() || !RUN.matcher(runId).matches()
                || !(partition.equals(UNDATED) || partition.startsWith(DATED) && date(partition.substring(DATED.length())))) {
            throw new IllegalArgumentException("not a staging name: " + job + ", " + partition + ", " + lock + ", " + runId);
        }
    }

    /** The name of a run of {@code config} with id {@code runId}. */
    public static StagingName of(Configuration conf, JobConfig config, String runId) {
        String partition = config.runDate() == null ? UNDATED : DATED + config.runDate();
        return new StagingName(config.jobName(), partition, lockTag(conf, new Path(config.output().path())), runId);
    }

    /** The tag of a predictions folder: the first 8 hex digits of the SHA-256 of its qualified path. */
    public static String lockTag(Configuration conf, Path predictionsRoot) {
        try {
            // Re-parsed from its text: a Path made from a URI keeps a trailing '/', which one made from text drops.
            String qualified = new Path(predictionsRoot.getFileSystem(conf).makeQualified(predictionsRoot).toString()).toString();
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(qualified.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 4);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + predictionsRoot + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The staging folder's name. */
    public String folder() {
        String date = partition.equals(UNDATED) ? UNDATED : partition.substring(DATED.length());
        return job + SEP + date + SEP + lock + SEP + runId;
    }

    /** The name a staging folder's name stands for, or null when it is not one (an older run id, say). */
    public static StagingName parse(String folder) {
        String[] f = folder.split(String.valueOf(SEP), -1);
        if (f.length != 4) {
            return null;
        }
        try {
            return new StagingName(f[0], f[1].equals(UNDATED) ? UNDATED : DATED + f[1], f[2], f[3]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code other} is a run under the same lock: the same job, partition and predictions folder. */
    public boolean sameLock(StagingName other) {
        return job.equals(other.job) && partition.equals(other.partition) && lock.equals(other.lock);
    }

    /** The same job, date and lock, for the run {@code otherRun}. */
    public StagingName withRun(String otherRun) {
        return new StagingName(job, partition, lock, otherRun);
    }

    /** The same job and lock, for {@code otherPartition}. */
    public StagingName withPartition(String otherPartition) {
        return new StagingName(job, otherPartition, lock, runId);
    }

    private static boolean date(String s) {
        if (s.length() != 10) {
            return false;
        }
        try {
            LocalDate.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
