package io.annscore.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * One distributed aggregation of {@link RunStats} over the output rows of the scoring pass: each
 * partition folds its rows, then the partials are merged in partition order — a tree of fixed
 * shape (groups of {@link #FANOUT} consecutive partitions per level, each group sorted by partition
 * index before merging), so that the result does not depend on the order in which tasks finish.
 * Spark's {@code treeAggregate} merges the last level as tasks complete, which makes the last bits
 * of a floating-point sum vary from run to run; this one gives the same bits for the same
 * partitioning, retries and recomputation included. No accumulators.
 */
final class MetricsAggregation {
    static final int FANOUT = 64;

    private MetricsAggregation() {
    }

    static RunStats aggregate(Dataset<Row> union, OutputLayout layout, ScoringSpec spec) {
        JavaRDD<InternalRow> rows = SparkInternals.toInternalRdd(union.select(layout.aggregationColumns())).toJavaRDD();
        JavaRDD<Tuple2<Integer, RunStats>> partials = rows.mapPartitionsWithIndex(
                (index, it) -> List.of(new Tuple2<>(index, fold(it, spec))).iterator(), true);
        int n = partials.getNumPartitions();
        while (n > FANOUT) {
            int groups = (n + FANOUT - 1) / FANOUT;
            partials = partials
                    .mapToPair(t -> new Tuple2<>(t._1() / FANOUT, t))
                    .groupByKey(new HashPartitioner(groups))
                    .map(g -> {
                        List<Tuple2<Integer, RunStats>> group = new ArrayList<>();
                        g._2().forEach(group::add);
                        return new Tuple2<>(g._1(), mergeInOrder(group, spec));
                    });
            n = groups;
        }
        return mergeInOrder(new ArrayList<>(partials.collect()), spec);
    }

    static RunStats mergeInOrder(List<Tuple2<Integer, RunStats>> partials, ScoringSpec spec) {
        List<Tuple2<Integer, RunStats>> sorted = new ArrayList<>(partials);
        Collections.sort(sorted, Comparator.comparing(Tuple2::_1));
        RunStats total = RunStats.empty(spec);
        for (Tuple2<Integer, RunStats> p : sorted) {
            total.merge(p._2());
        }
        return total;
    }

    /**
     * Folds one partition of aggregation rows ({@link OutputLayout#aggregationColumns()}: _kind,
     * outputs, _labels, reason, segments).
     */
    static RunStats fold(Iterator<InternalRow> rows, ScoringSpec spec) {
        RunStats stats = RunStats.empty(spec);
        double[] outputs = new double[spec.outputSize()];
        double[] labels = new double[Math.max(1, spec.labelCount())];
        QuarantineReason[] reasons = QuarantineReason.values();
        UTF8String[] codes = new UTF8String[reasons.length];
        for (QuarantineReason r : reasons) {
            codes[r.ordinal()] = UTF8String.fromString(r.code());
        }
        String[] segmentValues = new String[spec.segmentCount()];
        while (rows.hasNext()) {
            InternalRow row = rows.next();
            RunStats segment = null;
            if (stats.segments != null) {
                for (int i = 0; i < segmentValues.length; i++) {
                    segmentValues[i] = row.isNullAt(4 + i) ? null : row.getUTF8String(4 + i).toString();
                }
                segment = stats.segment(RunStats.key(segmentValues));
            }
            if (row.getInt(0) == OutputLayout.SCORED) {
                ArrayData out = row.getArray(1);
                for (int j = 0; j < outputs.length; j++) {
                    outputs[j] = out.getDouble(j);
                }
                boolean labelled = !row.isNullAt(2);
                if (labelled) {
                    ArrayData l = row.getArray(2);
                    for (int j = 0; j < l.numElements(); j++) {
                        labels[j] = l.getDouble(j);
                    }
                }
                addScored(stats, outputs, labelled ? labels : null);
                if (segment != null) {
                    addScored(segment, outputs, labelled ? labels : null);
                }
            } else {
                UTF8String code = row.getUTF8String(3);
                int reason = -1;
                for (int k = 0; k < codes.length; k++) {
                    if (codes[k].equals(code)) {
                        reason = k;
                    }
                }
                addQuarantined(stats, reason);
                if (segment != null) {
                    addQuarantined(segment, reason);
                }
            }
        }
        return stats;
    }

    private static void addScored(RunStats stats, double[] outputs, double[] labels) {
        stats.scored++;
        if (labels == null) {
            stats.unlabeled++;
        } else {
            stats.metrics.add(outputs, labels);
        }
    }

    private static void addQuarantined(RunStats stats, int reason) {
        stats.quarantined++;
        stats.byReason[reason]++;
    }
}
