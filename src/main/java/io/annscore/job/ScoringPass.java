package io.annscore.job;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The scoring pass over one partition: takes the network of the broadcast model from this JVM's
 * cache, makes one {@link RowScorer} for the partition and maps every input row to one output row,
 * lazily (the partition streams through). With the test hook {@link ScoringJob#FAIL_PARTITION_CONF}
 * set to N, the first attempt of partition N fails after its first row.
 */
final class ScoringPass implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private final ScoringSpec spec;
    private final Broadcast<ModelPayload> model;

    ScoringPass(ScoringSpec spec, Broadcast<ModelPayload> model) {
        this.spec = spec;
        this.model = model;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
        RowScorer scorer = new RowScorer(spec, ExecutorNetworks.get(model.value()));
        TaskContext task = TaskContext.get();
        boolean failThisAttempt = task != null && spec.failPartition() == task.partitionId() && task.attemptNumber() == 0;
        return new Iterator<>() {
            private long seen;

            @Override
            public boolean hasNext() {
                boolean more = rows.hasNext();
                if (!more && failThisAttempt) {
                    throw injectedFailure(task);
                }
                return more;
            }

            @Override
            public InternalRow next() {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                if (failThisAttempt && ++seen == 2) {
                    throw injectedFailure(task);
                }
                return scorer.process(rows.next());
            }
        };
    }

    private static IllegalStateException injectedFailure(TaskContext task) {
        return new IllegalStateException("injected failure (" + ScoringJob.FAIL_PARTITION_CONF + ") in partition "
                + task.partitionId() + ", attempt " + task.attemptNumber());
    }
}
