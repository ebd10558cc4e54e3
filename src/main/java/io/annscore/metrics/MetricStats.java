package io.annscore.metrics;

import io.annscore.network.Task;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Mergeable statistics behind the {@link Metric}s of one network over many rows: {@link #create} an
 * empty one per partition, {@link #add} each row with a usable label, {@link #merge} the partials (in any
 * order and grouping, as Spark's {@code treeAggregate} does), then read {@link #results()}.
 *
 * <p>What outputs and labels mean depends on the task:
 * <ul>
 *   <li>regression: k outputs, one label per output;</li>
 *   <li>binary: 1 sigmoid output p = P(class 1), or 2 softmax outputs with p = outputs[1]; one label,
 *       0 or 1; the predicted class is 1 when p &gt; threshold;</li>
 *   <li>multiclass: k ≥ 2 softmax outputs; one label, the class index 0..k−1; the predicted class is the
 *       index of the largest output (the first one on ties).</li>
 * </ul>
 *
 * <p>Sums are compensated ({@link NeumaierSum}) and the label variance behind R² uses Welford/Chan
 * ({@link RunningMoments}), so merged results agree with a single pass to about 1e-15 relative.
 * Serializable, mutable, not thread-safe; {@link #add} allocates nothing.
 */
public final class MetricStats implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Probabilities are clipped to [EPSILON, 1 − EPSILON] before the log, as scikit-learn and MLlib do. */
    public static final double PROBABILITY_EPSILON = 1e-15;

    private final Task task;
    private final int outputCount;
    private final double threshold;
    private final List<Metric> metrics;

    private long rows;
    private final NeumaierSum[] squaredError; // per output; one (p vs label) for binary, none for multiclass
    private final NeumaierSum absoluteError = new NeumaierSum();
    private final RunningMoments[] labelMoments; // per output, regression only: Σ (y − ȳ)² for R²
    private final NeumaierSum crossEntropy = new NeumaierSum();
    private long correct;
    private long truePositives;
    private long falsePositives;
    private long falseNegatives;

    private MetricStats(Task task, int outputCount, double threshold, List<Metric> metrics) {
        this.task = task;
        this.outputCount = outputCount;
        this.threshold = threshold;
        this.metrics = metrics;
        int errorColumns = task == Task.REGRESSION ? outputCount : task == Task.BINARY ? 1 : 0;
        this.squaredError = new NeumaierSum[errorColumns];
        this.labelMoments = new RunningMoments[task == Task.REGRESSION ? outputCount : 0];
        for (int j = 0; j < squaredError.length; j++) {
            squaredError[j] = new NeumaierSum();
        }
        for (int j = 0; j < labelMoments.length; j++) {
            labelMoments[j] = new RunningMoments();
        }
    }

    /**
     * Empty statistics for a network.
     *
     * @param task        what the outputs mean
     * @param outputCount number of network outputs; binary networks have 1 (P(class 1)) or 2 softmax
     *                    outputs (P(class 1) = outputs[1]), multiclass networks one per class (at least 2)
     * @param threshold   binary decision threshold in [0, 1] (class 1 when p &gt; threshold); ignored
     *                    for the other tasks
     * @param metrics     the metrics to report, in this order; empty for {@link #defaultMetrics(Task)}
     * @throws IllegalArgumentException for an output count the task cannot have, a threshold outside
     *                                  [0, 1], a metric meaningless for the task, or a metric listed twice
     */
    public static MetricStats create(Task task, int outputCount, double threshold, List<Metric> metrics) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(metrics, "metrics");
        checkOutputCount(task, outputCount);
        if (task == Task.BINARY && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("the binary decision threshold must be in [0, 1], got " + threshold);
        }
        List<Metric> chosen = metrics.isEmpty() ? defaultMetrics(task) : List.copyOf(metrics);
        Set<Metric> seen = EnumSet.noneOf(Metric.class);
        for (Metric m : chosen) {
            if (!m.appliesTo(task)) {
                throw new IllegalArgumentException("metric '" + m.id() + "' is meaningless for a " + task.id()
                        + " network (it applies to: " + m.taskIds() + "); metrics for " + task.id() + ": "
                        + Metric.ids(applicableMetrics(task)));
            }
            if (!seen.add(m)) {
                throw new IllegalArgumentException("metric '" + m.id() + "' is listed twice");
            }
        }
        return new MetricStats(task, outputCount, threshold, chosen);
    }

    private static void checkOutputCount(Task task, int outputCount) {
        if (outputCount < 1) {
            throw new IllegalArgumentException("a network has at least 1 output, got " + outputCount);
        }
        if (task == Task.BINARY && outputCount > 2) {
            throw new IllegalArgumentException("a binary network has 1 sigmoid output or 2 softmax outputs, got "
                    + outputCount + " outputs; use the multiclass task for 3 or more classes");
        }
        if (task == Task.MULTICLASS && outputCount < 2) {
            throw new IllegalArgumentException("a multiclass network has one softmax output per class (at least 2),"
                    + " got 1 output; use the binary task for a single sigmoid output");
        }
    }

    /**
     * The metrics reported when none are asked for: regression → mse, rmse, mae, r2; binary →
     * binary_cross_entropy, accuracy, precision, recall, f1, mse (Brier score); multiclass →
     * cross_entropy, accuracy.
     */
    public static List<Metric> defaultMetrics(Task task) {
        return switch (task) {
            case REGRESSION -> List.of(Metric.MSE, Metric.RMSE, Metric.MAE, Metric.R2);
            case BINARY -> List.of(Metric.BINARY_CROSS_ENTROPY, Metric.ACCURACY, Metric.PRECISION,
                    Metric.RECALL, Metric.F1, Metric.MSE);
            case MULTICLASS -> List.of(Metric.CROSS_ENTROPY, Metric.ACCURACY);
        };
    }

    private static List<Metric> applicableMetrics(Task task) {
        return EnumSet.allOf(Metric.class).stream().filter(m -> m.appliesTo(task)).toList();
    }

    /**
     * Whether a row's labels are usable for this task: all finite; regression, one per output; binary,
     * a single 0 or 1; multiclass, a single integer in [0, outputCount). Rows failing this are scored
     * but must not be {@link #add added}.
     */
    public static boolean isValidLabel(Task task, int outputCount, double[] labels) {
        if (labels == null) {
            return false;
        }
        if (task == Task.REGRESSION) {
            if (labels.length != outputCount) {
                return false;
            }
            for (double y : labels) {
                if (!Double.isFinite(y)) {
                    return false;
                }
            }
            return true;
        }
        if (labels.length != 1) {
            return false;
        }
        double y = labels[0];
        return task == Task.BINARY
                ? y == 0 || y == 1
                : y >= 0 && y < outputCount && y == Math.rint(y);
    }

    /** {@link #isValidLabel(Task, int, double[])} for this network. */
    public boolean isValidLabel(double[] labels) {
        return isValidLabel(task, outputCount, labels);
    }

    /**
     * Adds one row.
     *
     * @param outputs the output layer's activations, {@code outputCount} of them
     * @param labels  regression: one value per output; binary: labels[0] ∈ {0, 1}; multiclass:
     *                labels[0] = class index 0..k−1. The caller has already checked them with
     *                {@link #isValidLabel(double[])}.
     */
    public void add(double[] outputs, double[] labels) {
        checkOutputs(outputs);
        rows++;
        switch (task) {
            case REGRESSION -> addRegression(outputs, labels);
            case BINARY -> addBinary(positiveProbability(outputs), labels[0] == 1);
            case MULTICLASS -> addMulticlass(outputs, (int) labels[0]);
        }
    }

    private void addRegression(double[] outputs, double[] labels) {
        for (int j = 0; j < outputCount; j++) {
            double error = outputs[j] - labels[j];
            squaredError[j].add(error * error);
            absoluteError.add(Math.abs(error));
            labelMoments[j].add(labels[j]);
        }
    }

    private void addBinary(double p, boolean positive) {
        double error = positive ? 1 - p : p;
        squaredError[0].add(error * error);
        absoluteError.add(Math.abs(error));
        crossEntropy.add(binaryCrossEntropy(p, positive));
        boolean predictedPositive = p > threshold;
        if (predictedPositive == positive) {
            correct++;
        }
        if (predictedPositive && positive) {
            truePositives++;
        } else if (predictedPositive) {
            falsePositives++;
        } else if (positive) {
            falseNegatives++;
        }
    }

    private void addMulticlass(double[] outputs, int label) {
        crossEntropy.add(logLoss(outputs[label]));
        if (argMax(outputs) == label) {
            correct++;
        }
    }

    /**
     * The cost of one row, for a per-row {@code loss} column: regression, the squared error averaged
     * over the outputs (no ½); binary, the binary cross-entropy of the row; multiclass, the categorical
     * cross-entropy of the row (both clipped to [1e-15, 1 − 1e-15], natural log). Labels as for {@link #add}.
     */
    public double rowLoss(double[] outputs, double[] labels) {
        checkOutputs(outputs);
        return switch (task) {
            case REGRESSION -> {
                double sum = 0;
                for (int j = 0; j < outputCount; j++) {
                    double error = outputs[j] - labels[j];
                    sum += error * error;
                }
                yield sum / outputCount;
            }
            case BINARY -> binaryCrossEntropy(positiveProbability(outputs), labels[0] == 1);
            case MULTICLASS -> logLoss(outputs[(int) labels[0]]);
        };
    }

    /**
     * The class this network predicts, the one {@link Metric#ACCURACY} counts: binary, 1 when
     * p &gt; threshold, else 0; multiclass, the index of the largest output (the first one on ties).
     *
     * @throws IllegalStateException for regression, which has no classes
     */
    public int predictedClass(double[] outputs) {
        checkOutputs(outputs);
        return switch (task) {
            case REGRESSION -> throw new IllegalStateException("a regression network predicts no class");
            case BINARY -> positiveProbability(outputs) > threshold ? 1 : 0;
            case MULTICLASS -> argMax(outputs);
        };
    }

    /**
     * Adds the rows of another partial to this one.
     *
     * @return this (mutated)
     * @throws IllegalArgumentException when the other was created with another task, output count,
     *                                  threshold or metric list
     */
    public MetricStats merge(MetricStats other) {
        if (task != other.task || outputCount != other.outputCount
                || Double.compare(threshold, other.threshold) != 0 || !metrics.equals(other.metrics)) {
            throw new IllegalArgumentException("cannot merge statistics of different networks or metric lists: "
                    + this + " and " + other);
        }
        rows += other.rows;
        for (int j = 0; j < squaredError.length; j++) {
            squaredError[j].merge(other.squaredError[j]);
        }
        for (int j = 0; j < labelMoments.length; j++) {
            labelMoments[j].merge(other.labelMoments[j]);
        }
        absoluteError.merge(other.absoluteError);
        crossEntropy.merge(other.crossEntropy);
        correct += other.correct;
        truePositives += other.truePositives;
        falsePositives += other.falsePositives;
        falseNegatives += other.falseNegatives;
        return this;
    }

    /** Number of rows added (directly or through merges). */
    public long rows() {
        return rows;
    }

    /** The metrics reported, in order. */
    public List<Metric> metrics() {
        return metrics;
    }

    /**
     * Each metric's value, in the order of {@link #metrics()}; NaN where undefined (zero rows; precision,
     * recall or F1 with a zero denominator, R² over fewer than 2 rows), which the job writes as null.
     */
    public Map<Metric, Double> results() {
        Map<Metric, Double> results = new LinkedHashMap<>();
        for (Metric m : metrics) {
            results.put(m, rows == 0 ? Double.NaN : value(m));
        }
        return results;
    }

    private double value(Metric metric) {
        return switch (metric) {
            case MSE -> meanSquaredError();
            case RMSE -> Math.sqrt(meanSquaredError());
            // squaredError has one entry per error column: k outputs for regression, p for binary
            case MAE -> absoluteError.value() / ((double) rows * squaredError.length);
            case R2 -> r2();
            case BINARY_CROSS_ENTROPY, CROSS_ENTROPY -> crossEntropy.value() / rows;
            case ACCURACY -> (double) correct / rows;
            case PRECISION -> ratio(truePositives, truePositives + falsePositives);
            case RECALL -> ratio(truePositives, truePositives + falseNegatives);
            case F1 -> ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
        };
    }

    private double meanSquaredError() {
        double sum = 0;
        for (NeumaierSum s : squaredError) {
            sum += s.value();
        }
        return sum / ((double) rows * squaredError.length);
    }

    private double r2() {
        if (rows < 2) {
            return Double.NaN; // scikit-learn too: "not well-defined with less than two samples"
        }
        double sum = 0;
        for (int j = 0; j < outputCount; j++) {
            double totalSquares = labelMoments[j].sumOfSquaredDeviations();
            double residual = squaredError[j].value();
            if (totalSquares == 0) {
                // constant labels: scikit-learn's force_finite convention, 1 when predicted exactly, else 0
                sum += residual == 0 ? 1 : 0;
            } else {
                sum += 1 - residual / totalSquares;
            }
        }
        return sum / outputCount;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    private double positiveProbability(double[] outputs) {
        return outputs[outputCount - 1]; // the sigmoid output, or the second of two softmax outputs
    }

    private static double binaryCrossEntropy(double p, boolean positive) {
        // Clip the true class's probability itself, so that p = 1 with label 0 costs exactly −ln 1e-15.
        return logLoss(positive ? p : 1 - p);
    }

    /** −ln of the probability given to the true class, clipped to [1e-15, 1 − 1e-15]. */
    private static double logLoss(double trueClassProbability) {
        return -Math.log(Math.min(Math.max(trueClassProbability, PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON));
    }

    private static int argMax(double[] outputs) {
        int best = 0;
        for (int j = 1; j < outputs.length; j++) {
            if (outputs[j] > outputs[best]) {
                best = j;
            }
        }
        return best;
    }

    private void checkOutputs(double[] outputs) {
        if (outputs.length != outputCount) {
            throw new IllegalArgumentException("expected " + outputCount + " outputs, got " + outputs.length);
        }
    }

    @Override
    public String toString() {
        return "MetricStats[" + task.id() + ", outputs " + outputCount
                + (task == Task.BINARY ? ", threshold " + threshold : "")
                + ", metrics [" + Metric.ids(metrics) + "], rows " + rows + "]";
    }
}
