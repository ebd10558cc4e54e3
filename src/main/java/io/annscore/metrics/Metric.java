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
 * Every metric is weighted by the row weights w ({@code input.weight}; 1 without one), as scikit-learn's
 * {@code sample_weight} and MLlib's {@code weightCol}; "weighted share" means Σ w over the rows counted
 * divided by Σ w. Per-class values and the confusion matrix are in {@link MetricStats#classReport()}.
 */
public enum Metric {
    /**
     * Mean squared error, Σ w·(ŷ − y)² over rows and outputs divided by Σ w·k, with no ½. For binary,
     * the Brier score: Σ w·(p − y)² / Σ w (also reported as {@link #BRIER_SCORE}).
     */
    MSE("mse", REGRESSION, BINARY),
    /** Root mean squared error, √MSE (for binary, the root of the Brier score). */
    RMSE("rmse", REGRESSION, BINARY),
    /** Mean absolute error, Σ w·|ŷ − y| over rows and outputs divided by Σ w·k. For binary, Σ w·|p − y| / Σ w. */
    MAE("mae", REGRESSION, BINARY),
    /**
     * Coefficient of determination, per output 1 − Σ w·(ŷ − y)² / Σ w·(y − ȳ)² (ȳ the weighted mean),
     * averaged uniformly over the outputs (scikit-learn's {@code r2_score}, {@code
     * multioutput="uniform_average"}). An output whose labels are all equal scores 1.0 when predicted
     * exactly and 0.0 otherwise (scikit-learn's {@code force_finite=True}, its default); NaN over fewer
     * than 2 rows, as scikit-learn.
     */
    R2("r2", REGRESSION),
    /**
     * Explained variance score, per output 1 − Var_w(y − ŷ) / Var_w(y), averaged uniformly over the
     * outputs (scikit-learn's {@code explained_variance_score}); NaN where R² is. Unlike R², a constant
     * bias in ŷ costs nothing.
     */
    EXPLAINED_VARIANCE("explained_variance", REGRESSION),
    /**
     * Spark MLlib's {@code explainedVariance} ({@code RegressionEvaluator} metric {@code var}), not a
     * ratio: Σ w·(ŷ − ȳ)² / Σ w, the weighted variance of the predictions around the mean label,
     * averaged over the outputs.
     */
    EXPLAINED_VARIANCE_MLLIB("explained_variance_mllib", REGRESSION),
    /**
     * Mean absolute percentage error as scikit-learn's {@code mean_absolute_percentage_error}: Σ w·|ŷ − y|
     * / max(|y|, 2^−52) over rows and outputs divided by Σ w·k. A ratio, not a percentage (0.1 is 10%);
     * huge where a label is near 0.
     */
    MAPE("mape", REGRESSION),
    /** The largest |ŷ − y| over the rows of positive weight and all outputs (scikit-learn's {@code max_error}). */
    MAX_ERROR("max_error", REGRESSION),
    /**
     * Binary cross-entropy (log loss), −Σ w·[y·ln p + (1 − y)·ln(1 − p)] / Σ w, natural log, with the
     * probability of the true class (p or 1 − p) clipped to [1e-15, 1 − 1e-15]; a confident wrong row
     * costs −ln 1e-15 ≈ 34.54.
     */
    BINARY_CROSS_ENTROPY("binary_cross_entropy", BINARY),
    /**
     * Categorical cross-entropy (log loss), −Σ w·ln ŷ[y] / Σ w: the natural log of the output for the
     * true class, clipped to [1e-15, 1 − 1e-15], averaged over rows.
     */
    CROSS_ENTROPY("cross_entropy", MULTICLASS),
    /** The Brier score, Σ w·(p − y)² / Σ w: the binary {@link #MSE} under its own name. */
    BRIER_SCORE("brier_score", BINARY),
    /**
     * Area under the ROC curve, the weighted share of (positive, negative) pairs in which the positive
     * scores higher, ties counting ½ (scikit-learn's {@code roc_auc_score}, MLlib's {@code areaUnderROC}).
     * From a score histogram ({@link ScoreHistogram#rocAuc()}), with its error bound in
     * {@code roc_auc_error_bound}. NaN when a class has no weight.
     */
    ROC_AUC("roc_auc", true, BINARY),
    /**
     * Average precision, scikit-learn's {@code average_precision_score}: Σ (R_t − R_{t−1})·P_t over the
     * distinct score thresholds, no interpolation ({@link ScoreHistogram#averagePrecision()}), with its
     * error bound. NaN without positive weight.
     */
    AVERAGE_PRECISION("average_precision", true, BINARY),
    /**
     * Area under the precision-recall curve by the trapezoidal rule, as MLlib's {@code areaUnderPR}
     * (the curve starts at recall 0 with the precision of the highest threshold;
     * {@link ScoreHistogram#prAuc()}), with its error bound. NaN without positive weight.
     */
    PR_AUC("pr_auc", true, BINARY),
    /**
     * Weighted share of rows whose predicted class equals the label: binary, p &gt; threshold;
     * multiclass, the index of the largest output (the first one on ties).
     */
    ACCURACY("accuracy", BINARY, MULTICLASS),
    /** TP / (TP + FP) at the threshold (weighted counts), class 1 positive; NaN when nothing is predicted positive. */
    PRECISION("precision", BINARY),
    /** TP / (TP + FN) at the threshold, class 1 positive; NaN when no label is positive. */
    RECALL("recall", BINARY),
    /**
     * 2·TP / (2·TP + FP + FN) at the threshold, the harmonic mean of precision and recall where both
     * are defined (and 0 when TP = 0); NaN when there are neither positive labels nor positive predictions.
     */
    F1("f1", BINARY),
    /** TN / (TN + FP) at the threshold, the recall of class 0; NaN when no label is negative. */
    SPECIFICITY("specificity", BINARY),
    /**
     * The mean of the per-class recalls over the classes with labels of positive weight (scikit-learn's
     * {@code balanced_accuracy_score}, not adjusted).
     */
    BALANCED_ACCURACY("balanced_accuracy", BINARY, MULTICLASS),
    /**
     * Weighted share of rows whose label is among the k classes of largest output (k from
     * {@code metrics.top-k}; ties broken toward the lower class index, so k = 1 gives the accuracy).
     * scikit-learn's {@code top_k_accuracy_score} breaks ties toward the higher index.
     */
    TOP_K_ACCURACY("top_k_accuracy", MULTICLASS),
    /**
     * The unweighted mean of the per-class precisions over the classes that occur as a label or as a
     * prediction, a class never predicted counting 0 (scikit-learn's {@code average="macro"}).
     */
    MACRO_PRECISION("macro_precision", BINARY, MULTICLASS),
    /** The unweighted mean of the per-class recalls, over the classes as for {@link #MACRO_PRECISION}. */
    MACRO_RECALL("macro_recall", BINARY, MULTICLASS),
    /** The unweighted mean of the per-class F1 = 2·TP / (2·TP + FP + FN), over the classes as for macro precision. */
    MACRO_F1("macro_f1", BINARY, MULTICLASS),
    /**
     * The per-class precisions averaged with the classes' label weights as weights (scikit-learn's
     * {@code average="weighted"}, MLlib's {@code weightedPrecision}).
     */
    WEIGHTED_PRECISION("weighted_precision", BINARY, MULTICLASS),
    /** The per-class recalls averaged by label weight: equals the accuracy (MLlib's {@code weightedRecall}). */
    WEIGHTED_RECALL("weighted_recall", BINARY, MULTICLASS),
    /** The per-class F1 averaged by label weight (MLlib's {@code weightedFMeasure}). */
    WEIGHTED_F1("weighted_f1", BINARY, MULTICLASS);

    private final String id;
    private final boolean hasErrorBound;
    private final Set<Task> tasks;

    Metric(String id, Task first, Task... rest) {
        this(id, false, first, rest);
    }

    Metric(String id, boolean hasErrorBound, Task first, Task... rest) {
        this.id = id;
        this.hasErrorBound = hasErrorBound;
        this.tasks = EnumSet.of(first, rest);
    }

    /** Whether the value is an estimate that comes with an error bound ({@link MetricStats#errorBounds()}). */
    public boolean hasErrorBound() {
        return hasErrorBound;
    }

    /** The summary column of the error bound ({@code <id>_error_bound}), or null without one. */
    public String errorBoundId() {
        return hasErrorBound ? id + "_error_bound" : null;
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
