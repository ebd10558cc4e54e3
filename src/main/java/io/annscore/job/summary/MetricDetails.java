package io.annscore.job.summary;

import io.annscore.metrics.MetricStats;
import java.util.List;

/**
 * What a run (or a segment) reports besides the scalar metrics: the weight counts and the tables of a
 * classifier — per-class values and confusion matrix, and the threshold report of a binary network.
 *
 * @param rowsBadWeight scored rows with a usable label left out of the metrics because their weight
 *     was missing, negative or not finite
 * @param weightSum Σ w over the rows in the metrics (their count without a weight column)
 * @param topK the k of top_k_accuracy, or null when the task has none
 * @param classNames the network's class names, or empty
 * @param classes per-class values and confusion matrix, or null for regression
 * @param thresholds the values at each {@code metric-thresholds} threshold, or null unless binary
 */
public record MetricDetails(long rowsBadWeight, double weightSum, Integer topK, List<String> classNames,
                            MetricStats.ClassReport classes, List<MetricStats.ThresholdMetrics> thresholds) {
    public MetricDetails {
        classNames = List.copyOf(classNames);
        thresholds = thresholds == null ? null : List.copyOf(thresholds);
    }
}
