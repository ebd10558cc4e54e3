package io.annscore.job.summary;

import io.annscore.job.rows.QuarantineReason;
import io.annscore.job.rows.RowSpec;
import io.annscore.metrics.MetricStats;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts and cost statistics of a run (or of one segment of it): rows scored, quarantined (per
 * reason), scored without a usable label, and scored with a label but a missing, negative or
 * non-finite weight, and the {@link MetricStats} over the scored rows with a label and a weight. Mergeable; per-segment statistics hang under the run's. Filled per partition in the
 * scoring pass and returned as the task's result, merged in one distributed aggregation
 * ({@link MetricsAggregation}), never by accumulators, so a retried or recomputed task cannot count
 * twice.
 */
public final class RunStats implements Serializable {
    public long scored;
    public long quarantined;
    public long unlabeled;
    public long badWeight;
    public final long[] byReason = new long[QuarantineReason.values().length];
    public final MetricStats metrics;
    /** The profiles of the features and outputs (the run's statistics only; null inside a segment or when off). */
    public io.annscore.metrics.ColumnProfiles profile;
    /** The report's chart statistics (the run's only; null inside a segment). */
    public final io.annscore.metrics.ChartStats charts;
    /** Segment values → that segment's statistics (without segments of its own); null inside a segment. */
    public final Map<List<String>, RunStats> segments;
    private final RowSpec spec;

    private RunStats(RowSpec spec, boolean withSegments) {
        this.spec = spec;
        this.metrics = spec.newMetricStats();
        this.segments = withSegments && spec.segmentCount() > 0 ? new HashMap<>() : null;
        this.charts = withSegments ? new io.annscore.metrics.ChartStats(spec.task() == io.annscore.network.Task.MULTICLASS,
                spec.task() == io.annscore.network.Task.REGRESSION, spec.outputSize()) : null;
    }

    public static RunStats empty(RowSpec spec) {
        return new RunStats(spec, true);
    }

    public RunStats segment(List<String> key) {
        return segments.computeIfAbsent(key, k -> new RunStats(spec, false));
    }

    /** One scored row: its outputs, labels (null when it has no usable label) and weight (1 without a weight column). */
    public void addScored(double[] outputs, double[] labels, double weight) {
        scored++;
        if (labels == null) {
            unlabeled++;
        } else if (!MetricStats.isValidWeight(weight)) {
            badWeight++;
        } else {
            metrics.add(outputs, labels, weight);
            if (charts != null) {
                charts.add(outputs, labels, weight);
            }
        }
    }

    /** One quarantined row. */
    public void addQuarantined(QuarantineReason reason) {
        quarantined++;
        byReason[reason.ordinal()]++;
    }

    public long rows() {
        return scored + quarantined;
    }

    /** Adds this run's partial {@code other} (merging in a fixed order keeps the result reproducible). */
    public RunStats merge(RunStats other) {
        scored += other.scored;
        quarantined += other.quarantined;
        unlabeled += other.unlabeled;
        badWeight += other.badWeight;
        for (int i = 0; i < byReason.length; i++) {
            byReason[i] += other.byReason[i];
        }
        metrics.merge(other.metrics);
        if (charts != null && other.charts != null) {
            charts.merge(other.charts);
        }
        if (other.profile != null) {
            profile = profile == null ? other.profile : profile.merge(other.profile);
        }
        if (segments != null) {
            List<List<String>> keys = sortedKeys(other.segments);
            for (List<String> key : keys) {
                segment(key).merge(other.segments.get(key));
            }
        }
        return this;
    }

    public static List<List<String>> sortedKeys(Map<List<String>, RunStats> segments) {
        List<List<String>> keys = new ArrayList<>(segments.keySet());
        keys.sort(KEY_ORDER);
        return keys;
    }

    /** Segment keys in order, value by value, nulls first. */
    static final Comparator<List<String>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Comparator.nullsFirst(Comparator.<String>naturalOrder()).compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    public static List<String> key(String[] values) {
        return Arrays.asList(values.clone());
    }
}
