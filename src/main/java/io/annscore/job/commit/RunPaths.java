package io.annscore.job.commit;

import io.annscore.job.JobConfig;
import java.time.LocalDate;
import org.apache.hadoop.fs.Path;

/**
 * Where one run writes: for each output its staging folder and the folder it is published to,
 * computed once from the job and the run date. A dated run writes the date's partition
 * ({@code run_date=…}) of each output and replaces it; an undated run replaces what the
 * predictions and quarantine folders hold and adds its summary to the summary folder.
 *
 * @param summaryStage null when the summary goes to a catalog table
 * @param summaryTarget null when the summary goes to a catalog table
 * @param summaryDate the summary row's {@code run_date}: the run date, else the day the run started (UTC)
 * @param profileStage the profile table's partition of the run in staging; null when profiles are off
 * @param profileTarget its published folder {@code <profile.path>/job_name=…/run_date=…}
 * @param reportStage the report's folder in staging; null when reports are off
 * @param reportTarget its published folder {@code <report.path>/job_name=…/run_date=…}, holding {@code report.html}
 */
public record RunPaths(boolean dated, Path predictionsStage, Path predictionsTarget, Path quarantineStage,
                       Path quarantineTarget, Path summaryStage, Path summaryTarget, LocalDate summaryDate,
                       Path profileStage, Path profileTarget, Path reportStage, Path reportTarget) {

    /** The paths of a run of {@code config}, staged by {@code publisher}; {@code today} dates an undated run's summary. */
    public static RunPaths of(JobConfig config, Publisher publisher, LocalDate today) {
        LocalDate date = config.runDate();
        String[] partition = date == null ? new String[0] : new String[] {"run_date=" + date};
        Path predictions = new Path(config.output().path());
        Path quarantine = new Path(config.quarantinePath());
        LocalDate summaryDate = date != null ? date : today;
        Path summaryStage = null;
        Path summaryTarget = null;
        if (config.summary().path() != null) {
            // job.name holds only [A-Za-z0-9._-] (JobConfig), which a partition folder takes as it is.
            String jobFolder = "job_name=" + config.jobName();
            String dateFolder = "run_date=" + summaryDate;
            summaryStage = publisher.stage(config.summary().path(), "summary", jobFolder, dateFolder);
            summaryTarget = new Path(new Path(config.summary().path(), jobFolder), dateFolder);
        }
        String jobFolder = "job_name=" + config.jobName();
        String dateFolder = "run_date=" + summaryDate;
        Path profileStage = null;
        Path profileTarget = null;
        if (config.profilePath() != null) {
            profileStage = publisher.stage(config.profilePath(), "profile", jobFolder, dateFolder);
            profileTarget = new Path(new Path(config.profilePath(), jobFolder), dateFolder);
        }
        Path reportStage = null;
        Path reportTarget = null;
        if (config.reportPath() != null) {
            reportStage = publisher.stage(config.reportPath(), "report", jobFolder, dateFolder);
            reportTarget = new Path(new Path(config.reportPath(), jobFolder), dateFolder);
        }
        return new RunPaths(date != null,
                publisher.stage(config.output().path(), append("predictions", partition)),
                date == null ? predictions : new Path(predictions, partition[0]),
                publisher.stage(config.quarantinePath(), append("quarantine", partition)),
                date == null ? quarantine : new Path(quarantine, partition[0]),
                summaryStage, summaryTarget, summaryDate, profileStage, profileTarget, reportStage, reportTarget);
    }

    /** The partition this run replaces, as the lock and the journal name it: {@code run_date=…} or {@code undated}. */
    public String partition() {
        return dated ? predictionsTarget.getName() : "undated";
    }

    /** The predictions folder (the date's parent for a dated run), which holds the locks and journals. */
    public Path predictionsRoot() {
        return dated ? predictionsTarget.getParent() : predictionsTarget;
    }

    public Path lock() {
        return RunLock.lockPath(predictionsRoot(), partition());
    }

    public Path journal() {
        return Journal.path(predictionsRoot(), partition());
    }

    private static String[] append(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
