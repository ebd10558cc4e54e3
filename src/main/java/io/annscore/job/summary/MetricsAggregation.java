package io.annscore.job.summary;

import io.annscore.job.rows.PartitionTask;
import io.annscore.job.rows.RowSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The distributed aggregation of the scoring pass's per-partition results ({@link PartitionTask.Result}:
 * {@link RunStats} and the files written): the partials are merged in partition order — a tree of
 * fixed shape (groups of {@link #FANOUT} consecutive partitions per level, each group sorted by
 * partition index before merging), so that the result does not depend on the order in which tasks
 * finish. Spark's {@code treeAggregate} merges the last level as tasks complete, which makes the
 * last bits of a floating-point sum vary from run to run; this one gives the same bits for the
 * same partitioning, retries and recomputation included. The partials are task results, which
 * Spark takes from exactly one attempt per partition. No accumulators.
 */
public final class MetricsAggregation {
    static final int FANOUT = 64;

    private MetricsAggregation() {
    }

    /** Runs the pass (the action) and merges its partials. */
    public static PartitionTask.Result aggregate(JavaRDD<Tuple2<Integer, PartitionTask.Result>> partials, RowSpec spec) {
        int n = partials.getNumPartitions();
        while (n > FANOUT) {
            int groups = (n + FANOUT - 1) / FANOUT;
            partials = partials
                    .mapToPair(t -> new Tuple2<>(t._1() / FANOUT, t))
                    .groupByKey(new HashPartitioner(groups))
                    .map(g -> {
                        List<Tuple2<Integer, PartitionTask.Result>> group = new ArrayList<>();
                        g._2().forEach(group::add);
                        return new Tuple2<>(g._1(), mergeInOrder(group, spec));
                    });
            n = groups;
        }
        return mergeInOrder(new ArrayList<>(partials.collect()), spec);
    }

    static PartitionTask.Result mergeInOrder(List<Tuple2<Integer, PartitionTask.Result>> partials, RowSpec spec) {
        List<Tuple2<Integer, PartitionTask.Result>> sorted = new ArrayList<>(partials);
        Collections.sort(sorted, Comparator.comparing(Tuple2::_1));
        PartitionTask.Result total = new PartitionTask.Result(RunStats.empty(spec));
        for (Tuple2<Integer, PartitionTask.Result> p : sorted) {
            total.merge(p._2());
        }
        return total;
    }
}
