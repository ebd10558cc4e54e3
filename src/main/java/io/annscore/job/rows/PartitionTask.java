package io.annscore.job.rows;

import io.annscore.job.summary.RunStats;
import io.annscore.network.Precision;
import io.annscore.network.Scorer;
import java.io.Serializable;
import io.annscore.metrics.ColumnProfiles;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.InputFileBlockHolder;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.Tuple2;

/**
 * The one pass over the data, per partition: takes the network of the broadcast model from this
 * JVM's cache, makes one {@link RowEngine}, and streams the partition's rows through it — each
 * quarantined row written at once to this task's quarantine file, the good ones scored a block of
 * {@link Scorer#BLOCK} at a time and written to its prediction file, each folded into the
 * partition's {@link RunStats}. Nothing more than one block is held: the output rows are reused
 * and handed to Spark's file writers row by row.
 *
 * <p>The task's only result is its {@link Result}: the partition's statistics and the files it
 * wrote. Files go to a folder of their own per task attempt
 * ({@code <staging>/_temporary/<partition>-<attempt>/}); the driver keeps only the files named by
 * the results it received — one per partition, from the attempt Spark counted — so that a failed,
 * retried or speculative attempt leaves nothing behind in the outputs and nothing twice in the
 * statistics. Partition 0 always writes both files (empty ones carry the schema), the others only
 * when they have rows of that kind, as Spark's writer does.
 *
 * <p>With the test hook {@link #FAIL_PARTITION_CONF} set to N, the first attempt of
 * partition N fails after its first row.
 */
public final class PartitionTask implements Function2<Integer, Iterator<InternalRow>, Iterator<Tuple2<Integer, PartitionTask.Result>>> {
    public static final String TEMPORARY = "_temporary";
    /** Test hook: set to N, the first attempt of partition N fails. */
    public static final String FAIL_PARTITION_CONF = "spark.annscore.test.failFirstAttemptOfPartition";

    private final RowSpec spec;
    private final Broadcast<ModelPayload> model;
    private final OutputLayout.Choice output;
    private final Precision precision;
    private final SparkInternals.FileSinkFactory predictions;
    private final String predictionsDir;
    private final SparkInternals.FileSinkFactory quarantine;
    private final String quarantineDir;
    private final String fileId;
    private boolean profiled;
    private double[][] profileEdges;

    /**
     * @param output the prediction columns to write, and their layout
     * @param precision the forward pass's arithmetic
     * @param fileId what makes this run's file names unique (the run id)
     */
    public PartitionTask(RowSpec spec, Broadcast<ModelPayload> model, OutputLayout.Choice output, Precision precision,
                SparkInternals.FileSinkFactory predictions, String predictionsDir,
                SparkInternals.FileSinkFactory quarantine, String quarantineDir, String fileId) {
        this.spec = spec;
        this.model = model;
        this.output = output;
        this.precision = precision;
        this.predictions = predictions;
        this.predictionsDir = predictionsDir;
        this.quarantine = quarantine;
        this.quarantineDir = quarantineDir;
        this.fileId = fileId;
    }

    /**
     * Also profiles the features and outputs of the scored rows ({@link ColumnProfiles}) on these
     * bins (per column, features then outputs; null for a column, or for all, whose bins the sample chooses).
     */
    public PartitionTask profiled(double[][] edges) {
        this.profiled = true;
        this.profileEdges = edges;
        return this;
    }

    /** A partition's statistics and the files it wrote; merged in partition order ({@link MetricsAggregation}). */
    public static final class Result implements Serializable {
        public final RunStats stats;
        /**
         * The rows the input reader produced for this partition, as Spark's reader counts them (the
         * task's input metrics), apart from the scoring's own count: the check that every row read
         * was scored or quarantined compares the two, at no cost of a second scan.
         */
        public long rowsRead;
        public final List<String> predictionFiles = new ArrayList<>();
        public final List<String> quarantineFiles = new ArrayList<>();

        public Result(RunStats stats) {
            this.stats = stats;
        }

        public Result merge(Result other) {
            stats.merge(other.stats);
            rowsRead += other.rowsRead;
            predictionFiles.addAll(other.predictionFiles);
            quarantineFiles.addAll(other.quarantineFiles);
            return this;
        }
    }

    /**
     * Scores the partition; a failure is rethrown naming the partition and the input file, so that
     * the one line the user sees says where (Spark's own trace stays in its logs).
     */
    @Override
    public Iterator<Tuple2<Integer, Result>> call(Integer partition, Iterator<InternalRow> rows) {
        try {
            return score(partition, rows);
        } catch (RuntimeException | Error e) {
            String file = InputFileBlockHolder.getInputFilePath().toString();
            throw new TaskFailure("partition " + partition + (file.isEmpty() ? "" : " (file " + file + ")") + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** A task's failure, with where it happened; the cause is the original exception. */
    public static final class TaskFailure extends RuntimeException {
        TaskFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Iterator<Tuple2<Integer, Result>> score(Integer partition, Iterator<InternalRow> rows) {
        RowEngine scorer = new RowEngine(spec, ExecutorNetworks.get(model.value()), output, precision);
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        boolean failThisAttempt = task != null && spec.failPartition() == partition && attempt == 0;
        Result result = new Result(RunStats.empty(spec));
        RunStats stats = result.stats;
        stats.charts.startPartition(partition);
        if (profiled) {
            stats.profile = new ColumnProfiles(spec.inputSize(), spec.outputSize(), profileEdges);
            stats.profile.startPartition(partition);
            scorer.profileInto(stats.profile);
        }
        String[] segmentValues = new String[spec.segmentCount()];
        RunStats[] queuedSegments = new RunStats[Scorer.BLOCK];
        int s0 = spec.segmentOrdinal();
        try (TaskFiles files = new TaskFiles(partition, attempt)) {
            if (partition == 0) {
                files.scored();
                files.quarantined();
            }
            long seen = 0;
            while (rows.hasNext()) {
                InternalRow in = rows.next();
                if (++seen == 2 && failThisAttempt) {
                    throw injectedFailure(task);
                }
                QuarantineReason reason = scorer.add(in);
                RunStats segment = null;
                if (stats.segments != null) {
                    boolean malformedCsv = reason == QuarantineReason.MALFORMED_RECORD && spec.csv();
                    for (int i = 0; i < segmentValues.length; i++) {
                        segmentValues[i] = malformedCsv || in.isNullAt(s0 + i) ? null : in.getUTF8String(s0 + i).toString();
                    }
                    segment = stats.segment(RunStats.key(segmentValues));
                }
                if (reason == null) {
                    queuedSegments[scorer.queued() - 1] = segment;
                    if (scorer.full()) {
                        writeQueued(scorer, queuedSegments, stats, files);
                    }
                } else {
                    files.quarantined().write(scorer.quarantineRow());
                    stats.addQuarantined(reason);
                    if (stats.profile != null && scorer.failedFeature() >= 0) {
                        stats.profile.addMissing(scorer.failedFeature());
                    }
                    if (segment != null) {
                        segment.addQuarantined(reason);
                    }
                }
            }
            writeQueued(scorer, queuedSegments, stats, files);
            if (failThisAttempt) {
                throw injectedFailure(task);
            }
            files.closeInto(result);
            result.rowsRead = task == null ? seen : task.taskMetrics().inputMetrics().recordsRead();
        }
        return List.of(new Tuple2<>(partition, result)).iterator();
    }

    /** Scores the queued rows, writes their predictions (or, for non-finite outputs, their quarantine rows) and counts them. */
    private static void writeQueued(RowEngine scorer, RunStats[] segments, RunStats stats, TaskFiles files) {
        if (scorer.queued() == 0) {
            return;
        }
        scorer.scoreQueued();
        for (int k = 0; k < scorer.queued(); k++) {
            if (!scorer.scored(k)) {
                files.quarantined().write(scorer.outputQuarantineRow(k));
                stats.addQuarantined(QuarantineReason.NON_FINITE_OUTPUT);
                if (segments[k] != null) {
                    segments[k].addQuarantined(QuarantineReason.NON_FINITE_OUTPUT);
                }
                continue;
            }
            files.scored().write(scorer.predictionRow(k));
            double[] labels = scorer.labelled(k) ? scorer.labels(k) : null;
            stats.addScored(scorer.outputs(k), labels, scorer.weight(k));
            if (segments[k] != null) {
                segments[k].addScored(scorer.outputs(k), labels, scorer.weight(k));
            }
        }
        scorer.clear();
    }

    /** This task attempt's two output files, each opened when first needed. */
    private final class TaskFiles implements AutoCloseable {
        private final int partition;
        private final int attempt;
        private final String folder;
        private final String name;
        private SparkInternals.FileSink scored;
        private SparkInternals.FileSink quarantined;

        TaskFiles(int partition, int attempt) {
            this.partition = partition;
            this.attempt = attempt;
            this.folder = TEMPORARY + "/" + partition + "-" + attempt;
            this.name = String.format("part-%05d-%s-c000", partition, fileId);
        }

        SparkInternals.FileSink scored() {
            if (scored == null) {
                scored = predictions.open(predictionsDir + "/" + folder, name, partition, attempt);
            }
            return scored;
        }

        SparkInternals.FileSink quarantined() {
            if (quarantined == null) {
                quarantined = quarantine.open(quarantineDir + "/" + folder, name, partition, attempt);
            }
            return quarantined;
        }

        /** Closes the files written and names them in the result (a file is named only once it is complete). */
        void closeInto(Result result) {
            if (scored != null) {
                SparkInternals.FileSink s = scored;
                scored = null;
                s.close();
                result.predictionFiles.add(s.path());
            }
            if (quarantined != null) {
                SparkInternals.FileSink q = quarantined;
                quarantined = null;
                q.close();
                result.quarantineFiles.add(q.path());
            }
        }

        /** After a failure: closes what is still open, quietly (the attempt's files are never published). */
        @Override
        public void close() {
            closeQuietly(scored);
            closeQuietly(quarantined);
        }
    }

    private static void closeQuietly(SparkInternals.FileSink sink) {
        if (sink != null) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                // The task is failing already; its attempt's files are never published.
            }
        }
    }

    private static IllegalStateException injectedFailure(TaskContext task) {
        return new IllegalStateException("injected failure (" + FAIL_PARTITION_CONF + ") in partition "
                + task.partitionId() + ", attempt " + task.attemptNumber());
    }
}
