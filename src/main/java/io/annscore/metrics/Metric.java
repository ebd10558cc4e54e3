package io.annscore.metrics;

import static io.annscore.network.Task.BINARY;
import static io.annscore.network.Task.MULTICLASS;
import static io.annscore.network.Task.REGRESSION;

import io.annscore.network.Task;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A cost metric over all rows with a usable label. The {@link #id()} is the column name in the summary
 * table. Every metric is NaN over zero rows. Notation: n rows, k outputs, ŷ the network's output, y the
 * label; for binary, p = P(class 1) (the single sigmoid output, or the second of two softmax outputs) and
 * y ∈ {0, 1}; the predicted class is 1 when p &gt; threshold (strictly, as scikit-learn and Spark MLlib).
 * Cross-entropies clip the probability of the true class to [1e-15, 1 − 1e-15] and use the natural log.
 */
public enum Metric {
    /**
     * Mean squared error, Σ (ŷ − y)² over rows and outputs divided by n·k, with no ½. For binary, the
     * Brier score: Σ (p − y)² / n.
     */
    MSE("mse", REGRESSION, BINARY),
    /** Root mean squared error, √MSE (for binary, the root of the Brier score). */
    RMSE("rmse", REGRESSION, BINARY),
    /** Mean absolute error, Σ |ŷ − y| over rows and outputs divided by n·k. For binary, Σ |p − y| / n. */
    MAE("mae", REGRESSION, BINARY),
    /**
     * Coefficient of determination, per output 1 − Σ (ŷ − y)² / Σ (y − ȳ)², averaged uniformly over the
     * outputs (scikit-learn's {@code r2_score}, {@code multioutput="uniform_average"}). An output whose
     * labels are all equal scores 1.0 when predicted exactly and 0.0 otherwise (scikit-learn's
     * {@code force_finite=True}, its default); NaN over fewer than 2 rows, as scikit-learn.
     */
    R2("r2", REGRESSION),
    /**
     * Binary cross-entropy (log loss), −Σ [y·ln p + (1 − y)·ln(1 − p)] / n, natural log, with the
     * probability of the true class (p or 1 − p) clipped to [1e-15, 1 − 1e-15]; a confident wrong row
     * costs −ln 1e-15 ≈ 34.54.
     */
    BINARY_CROSS_ENTROPY("binary_cross_entropy", BINARY),
    /**
     * Categorical cross-entropy (log loss), −Σ ln ŷ[y] / n: the natural log of the output for the true
     * class, clipped to [1e-15, 1 − 1e-15], averaged over rows.
     */
    CROSS_ENTROPY("cross_entropy", MULTICLASS),
    /**
     * Share of rows whose predicted class equals the label: binary, p &gt; threshold; multiclass, the
     * index of the largest output (the first one on ties).
     */
    ACCURACY("accuracy", BINARY, MULTICLASS),
    /** TP / (TP + FP) at the threshold, class 1 positive; NaN when nothing is predicted positive. */
    PRECISION("precision", BINARY),
    /** TP / (TP + FN) at the threshold, class 1 positive; NaN when no label is positive. */
    RECALL("recall", BINARY),
    /**
     * 2·TP / (2·TP + FP + FN) at the threshold, the harmonic mean of precision and recall where both
     * are defined (and 0 when TP = 0); NaN when there are neither positive labels nor positive predictions.
     */
    F1("f1", BINARY);

    private final String id;
    private final Set<Task> tasks;

    Metric(String id, Task first, Task... rest) {
        this.id = id;
        this.tasks = EnumSet.of(first, rest);
    }

    /** The lower-case name used in job files and as the summary-table column. */
    public String id() {
        return id;
    }

    /** Whether the metric means something for networks of this task. */
    public boolean appliesTo(Task task) {
        return tasks.contains(task);
    }

    /** The metric with this id; the error lists the known ids. */
    public static Metric parse(String id) {
        for (Metric m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + id + "'; known: " + ids(Arrays.asList(values())));
    }

    static String ids(Collection<Metric> metrics) {
        return metrics.stream().map(Metric::id).collect(Collectors.joining(", "));
    }

    String taskIds() {
        return tasks.stream().map(Task::id).collect(Collectors.joining(", "));
    }
}
