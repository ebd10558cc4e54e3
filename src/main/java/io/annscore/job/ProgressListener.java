package io.annscore.job;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple4;

/**
 * The progress of the scoring stage, on the driver: every {@code progress.interval-seconds} a line
 * on standard error with the tasks done of the stage's total, the rows read so far (the rows
 * scored or quarantined: the scoring stage reads each input row once), the rows per second since
 * the stage started and an estimate of the time left. A line also closes each stage.
 *
 * <p>The rows come from Spark's task metrics (records read): those of finished tasks from their
 * end events, those of running tasks from the executors' heartbeats (every
 * {@code spark.executor.heartbeatInterval}, 10 s by default), so the count between two heartbeats
 * lags. It observes only: the run's counts come from its aggregation, never from here, and nothing
 * here reaches an executor.
 *
 * <p>The scoring stage is recognised by its job description ({@link #SCORING}, set by
 * {@link ScoringJob} before the action).
 */
final class ProgressListener extends SparkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressListener.class);
    /** The part of the job description that marks the scoring stage. */
    static final String SCORING = ": score";
    static final String RECORDS_READ = "internal.metrics.input.recordsRead";

    private final String jobName;
    private final PrintStream err;
    private final LongSupplier clock;
    private final Progress progress;
    private final Map<Integer, String> stageNames = new HashMap<>();
    private ScheduledExecutorService timer;
    private final boolean lines;

    /**
     * @param intervalSeconds seconds between two lines; 0 prints none (stage ends are still logged)
     */
    ProgressListener(String jobName, PrintStream err, int intervalSeconds) {
        this(jobName, err, intervalSeconds, System::nanoTime);
    }

    ProgressListener(String jobName, PrintStream err, int intervalSeconds, LongSupplier clock) {
        this.jobName = jobName;
        this.err = err;
        this.clock = clock;
        this.progress = new Progress();
        this.lines = intervalSeconds > 0;
        if (intervalSeconds > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "annscore-progress");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::print, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        }
    }

    private static boolean scoring(Properties p) {
        String d = p == null ? null : p.getProperty("spark.job.description");
        return d != null && d.contains(SCORING);
    }

    @Override
    public synchronized void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        if (scoring(submitted.properties())) {
            int id = submitted.stageInfo().stageId();
            stageNames.put(id, submitted.stageInfo().name());
            progress.start(id, submitted.stageInfo().numTasks(), clock.getAsLong());
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.stageId() != progress.stage()) {
            return;
        }
        TaskMetrics m = end.taskMetrics();
        boolean success = "Success".equals(end.reason().toString());
        progress.taskEnded(end.taskInfo().taskId(), success, m == null ? 0 : m.inputMetrics().recordsRead());
    }

    @Override
    public synchronized void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        scala.collection.Iterator<Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>>> it =
                update.accumUpdates().iterator();
        while (it.hasNext()) {
            Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t = it.next();
            if ((Integer) t._2() != progress.stage()) {
                continue;
            }
            scala.collection.Iterator<AccumulableInfo> infos = t._4().iterator();
            while (infos.hasNext()) {
                AccumulableInfo info = infos.next();
                if (info.name().isDefined() && RECORDS_READ.equals(info.name().get()) && info.update().isDefined()) {
                    Object v = info.update().get();
                    if (v instanceof Number n) {
                        progress.running((Long) t._1(), n.longValue());
                    }
                }
            }
        }
    }

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted completed) {
        int id = completed.stageInfo().stageId();
        if (id == progress.stage()) {
            if (lines) {
                print();
            }
            LOG.info("{}: stage {} ({}) finished: {} tasks, {} rows read", jobName, id, stageNames.get(id),
                    progress.done(), progress.rowsDone());
            progress.stop();
        }
    }

    /** Prints the progress line, when the scoring stage is running. */
    synchronized void print() {
        String line = progress.line(clock.getAsLong());
        if (line != null) {
            err.println("annscore " + jobName + ": " + line);
            err.flush();
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * The counting behind the line, apart from Spark's events so that it can be tested with
     * numbers: rows of finished tasks, the latest count of each running task, and the times.
     */
    static final class Progress {
        private int stage = -1;
        private int total;
        private int done;
        private long rowsDone;
        private long started;
        private final Map<Long, Long> running = new HashMap<>();

        void start(int stageId, int tasks, long nanos) {
            stage = stageId;
            total = tasks;
            done = 0;
            rowsDone = 0;
            started = nanos;
            running.clear();
        }

        void stop() {
            stage = -1;
        }

        int stage() {
            return stage;
        }

        int done() {
            return done;
        }

        long rowsDone() {
            return rowsDone;
        }

        /** A task ended; a failed attempt's rows are not counted (its partition runs again). */
        void taskEnded(long taskId, boolean success, long records) {
            running.remove(taskId);
            if (success) {
                done++;
                rowsDone += records;
            }
        }

        /** A running task's records read so far. */
        void running(long taskId, long records) {
            running.put(taskId, records);
        }

        long rows() {
            long r = rowsDone;
            for (long v : running.values()) {
                r += v;
            }
            return r;
        }

        /**
         * {@code scoring: 12/40 tasks, 1,234,567 rows, 410,000 rows/s, about 35 s left}. The time
         * left is the time so far scaled by the share of the rows not yet read, the stage's rows
         * estimated from the finished tasks' mean; unknown until a task finished. Null when no
         * scoring stage runs.
         */
        String line(long nanos) {
            if (stage < 0) {
                return null;
            }
            double seconds = (nanos - started) / 1e9;
            long rows = rows();
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "scoring: %d/%d tasks, %,d rows", done, total, rows));
            if (seconds > 0) {
                b.append(String.format(Locale.ROOT, ", %,.0f rows/s", rows / seconds));
            }
            if (done == total && total > 0) {
                b.append(", done");
            } else if (done > 0 && rowsDone > 0) {
                double expected = (double) rowsDone / done * total;
                double share = Math.min(1, rows / expected);
                double left = share > 0 ? seconds * (1 - share) / share : Double.NaN;
                b.append(", about ").append(duration(Math.max(left, 0))).append(" left");
            } else {
                b.append(", time left unknown until a task finishes");
            }
            return b.toString();
        }

        static String duration(double seconds) {
            long s = Math.round(seconds);
            if (s < 60) {
                return s + " s";
            }
            if (s < 3600) {
                return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
            }
            return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
        }
    }
}
