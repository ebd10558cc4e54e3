package io.annscore.job;

/** The job's configuration cannot run as given, found by the job rather than the job file loader (exit code 2). */
public class JobConfigException extends RuntimeException {
    public JobConfigException(String message) {
        super(message);
    }
}
