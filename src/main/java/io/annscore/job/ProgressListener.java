package io.annscore.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of a run from the driver: per stage, the records read and written by the tasks
 * finished so far, at most every {@link #INTERVAL_MILLIS} ms, and a line when a stage completes.
 * (The rows read by the scoring stage are the rows scored or quarantined so far.) Observes only;
 * the job's counts come from its aggregation, never from here.
 */
final class ProgressListener extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressListener.class);
    static final long INTERVAL_MILLIS = 10_000;

    private final String jobName;
    private final Map<Integer, long[]> stages = new LinkedHashMap<>(); // stage → {tasks, read, written}
    private long lastLog = System.currentTimeMillis();

    ProgressListener(String jobName) {
        this.jobName = jobName;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        TaskMetrics m = end.taskMetrics();
        long[] s = stages.computeIfAbsent(end.stageId(), k -> new long[3]);
        s[0]++;
        if (m != null) {
            s[1] += m.inputMetrics().recordsRead();
            s[2] += m.outputMetrics().recordsWritten();
        }
        long now = System.currentTimeMillis();
        if (now - lastLog >= INTERVAL_MILLIS) {
            lastLog = now;
            for (Map.Entry<Integer, long[]> e : stages.entrySet()) {
                LOG.info("{}: stage {}: {} tasks done, {} rows read, {} rows written so far", jobName, e.getKey(),
                        e.getValue()[0], e.getValue()[1], e.getValue()[2]);
            }
        }
    }

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted completed) {
        int id = completed.stageInfo().stageId();
        long[] s = stages.remove(id);
        if (s != null) {
            LOG.info("{}: stage {} ({}) finished: {} tasks, {} rows read, {} rows written", jobName, id,
                    completed.stageInfo().name(), s[0], s[1], s[2]);
        }
    }
}
