package io.annscore.cli;

import io.annscore.cli.jobfile.ConfigurationException;
import io.annscore.importers.ImportException;
import io.annscore.importers.ModelLoadException;
import io.annscore.job.DriftAlarmException;
import io.annscore.job.InputException;
import io.annscore.job.JobConfigException;
import io.annscore.job.QuarantineLimitException;
import io.annscore.job.commit.LockHeldException;
import io.annscore.model.ModelFormatException;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.SparkThrowable;
import picocli.CommandLine.ParameterException;

/**
 * The process exit codes, for schedulers to act on. A failure is classified by the first exception
 * of a known kind in its cause chain (Spark wraps exceptions thrown on the driver in its own).
 */
public enum ExitCode {
    /** The run finished and published its results (or validate found nothing wrong). */
    OK(0, "ok"),
    /** Any other failure while running: a Spark job failed, a path could not be written, a bug. */
    FAILURE(1, "failed"),
    /** A wrong flag or job configuration: unknown key, wrong type, value out of range, malformed date. */
    USAGE(2, "configuration error"),
    /** The model is missing or invalid, or could not be imported. */
    MODEL(3, "model error"),
    /** The input cannot be scored as configured, or there is none for the run date. */
    INPUT(4, "input error"),
    /** More rows were quarantined than quarantine.max-fraction allows; nothing was published. */
    QUARANTINE_LIMIT(5, "quarantine limit exceeded"),
    /** Another run holds the same output and date; this one stopped before reading any data. */
    LOCKED(6, "output locked"),
    /** drift.fail-on-alarm: a feature or output drifted past drift.psi-alarm; the outputs were published. */
    DRIFT_ALARM(7, "drift alarm"),
    /** Stopped by SIGTERM or SIGINT (a scheduler's timeout, Ctrl-C); nothing of the run was published. */
    INTERRUPTED(143, "stopped");

    private final int code;
    private final String label;

    ExitCode(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    /** How the one-line error message names the kind of failure. */
    public String label() {
        return label;
    }

    /**
     * The order in which a backfill's dates' codes make its own, the worst first: what needs a
     * person before anything else (an unexpected failure, a bad configuration or model), then bad
     * data (the quarantine limit), then what may go away by itself (no input yet, a date locked by
     * another run). So a backfill exits with 4 or 6 only when every failed date failed with 4 or 6,
     * and a scheduler can retry on those codes alone.
     */
    private static final java.util.List<ExitCode> SEVERITY = java.util.List.of(INTERRUPTED, FAILURE, USAGE, MODEL,
            QUARANTINE_LIMIT, INPUT, LOCKED, OK);

    /** The worst of {@code codes} by {@link #SEVERITY}; OK for none. */
    public static ExitCode worst(java.util.Collection<ExitCode> codes) {
        ExitCode worst = OK;
        for (ExitCode c : codes) {
            if (SEVERITY.indexOf(c) < SEVERITY.indexOf(worst)) {
                worst = c;
            }
        }
        return worst;
    }

    /** The kind of a failure and the exception of that kind (whose message is shown). */
    public record Classified(ExitCode code, Throwable cause) {
    }

    public static Classified classify(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            ExitCode c = kindOf(t);
            if (c != null) {
                return new Classified(c, t);
            }
        }
        return new Classified(FAILURE, failure);
    }

    private static ExitCode kindOf(Throwable t) {
        if (t instanceof ParameterException || t instanceof ConfigurationException || t instanceof JobConfigException) {
            return USAGE;
        }
        if (t instanceof ModelNotFoundException || t instanceof ModelLoadException || t instanceof ModelFormatException
                || t instanceof ImportException) {
            return MODEL;
        }
        if (t instanceof InputException || isPathNotFound(t)) {
            return INPUT;
        }
        if (t instanceof QuarantineLimitException) {
            return QUARANTINE_LIMIT;
        }
        if (t instanceof LockHeldException) {
            return LOCKED;
        }
        if (t instanceof DriftAlarmException) {
            return DRIFT_ALARM;
        }
        return null;
    }

    /**
     * Spark's own "path does not exist" from reading the input (a glob for the run date that
     * matches nothing). The job reads the model and writes through Hadoop directly, so this
     * condition can only come from input.paths.
     */
    private static boolean isPathNotFound(Throwable t) {
        return t instanceof SparkThrowable st && "PATH_NOT_FOUND".equals(st.getCondition());
    }
}
