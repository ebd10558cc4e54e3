package io.annscore.metrics;

import io.annscore.network.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Mergeable statistics behind the {@link Metric}s of one network over many rows: {@link #create} an
 * empty one per partition, {@link #add} each row with a usable label and weight, {@link #merge} the
 * partials (in any order and grouping, as Spark's {@code treeAggregate} does), then read
 * {@link #results()}, {@link #errorBounds()}, {@link #classReport()} and {@link #thresholdReport()}.
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
 * <p>Every row has a weight w ≥ 0 (1 when the job names no weight column); every metric is weighted.
 * Sums are compensated ({@link NeumaierSum}, {@link CompensatedSums}), the variances behind R² and the
 * explained variance use Welford/Chan ({@link RunningMoments}), and the curve areas come from a
 * {@link ScoreHistogram}, so merged results agree with a single pass to about 1e-15 relative.
 * Serializable, mutable, not thread-safe; {@link #add} allocates nothing (once the score histogram of
 * a binary network has grown to its bins).
 */
public final class MetricStats implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Probabilities are clipped to [EPSILON, 1 − EPSILON] before the log, as scikit-learn and MLlib do. */
    public static final double PROBABILITY_EPSILON = 1e-15;
    /** The smallest |y| a percentage error divides by, numpy's float64 eps as in scikit-learn's MAPE. */
    public static final double MAPE_EPSILON = 0x1p-52;
    /** The k of {@link Metric#TOP_K_ACCURACY} when none is given. */
    public static final int DEFAULT_TOP_K = 2;

    private final Task task;
    private final int outputCount;
    private final double threshold;
    private final List<Metric> metrics;
    private final double[] extraThresholds;
    private final int topK;
    private final int classCount; // 2 for binary, outputCount for multiclass, 0 for regression

    private long rows;
    private final NeumaierSum weight = new NeumaierSum();
    private final NeumaierSum[] squaredError; // per output; one (p vs label) for binary, none for multiclass
    private final NeumaierSum absoluteError = new NeumaierSum();
    private final NeumaierSum absolutePercentageError = new NeumaierSum();
    private double maxError = Double.NaN;
    private final RunningMoments[] labelMoments;    // per output, regression only
    private final RunningMoments[] residualMoments; // y − ŷ per output, regression only
    private final RunningMoments[] outputMoments;   // ŷ per output, regression only
    private final NeumaierSum crossEntropy = new NeumaierSum();
    private final CompensatedSums confusion;        // [label · classCount + predicted], weighted
    private final long[] labelRows;                 // rows per label class (unweighted, for the macro class set)
    private final long[] predictedRows;             // rows per predicted class
    private final CompensatedSums thresholdCounts;  // per extra threshold: TP, FP, TN, FN
    private final NeumaierSum topKCorrect = new NeumaierSum();
    private final ScoreHistogram histogram;         // binary only

    private MetricStats(Task task, int outputCount, double threshold, List<Metric> metrics,
                        double[] extraThresholds, int topK) {
        this.task = task;
        this.outputCount = outputCount;
        this.threshold = threshold;
        this.metrics = metrics;
        this.extraThresholds = extraThresholds;
        this.topK = topK;
        this.classCount = switch (task) {
            case REGRESSION -> 0;
            case BINARY -> 2;
            case MULTICLASS -> outputCount;
        };
        int errorColumns = task == Task.REGRESSION ? outputCount : task == Task.BINARY ? 1 : 0;
        this.squaredError = new NeumaierSum[errorColumns];
        for (int j = 0; j < squaredError.length; j++) {
            squaredError[j] = new NeumaierSum();
        }
        int regressionOutputs = task == Task.REGRESSION ? outputCount : 0;
        this.labelMoments = moments(regressionOutputs);
        this.residualMoments = moments(regressionOutputs);
        this.outputMoments = moments(regressionOutputs);
        this.confusion = new CompensatedSums(classCount * classCount);
        this.labelRows = new long[classCount];
        this.predictedRows = new long[classCount];
        this.thresholdCounts = new CompensatedSums(task == Task.BINARY ? 4 * extraThresholds.length : 0);
        this.histogram = task == Task.BINARY ? new ScoreHistogram() : null;
    }

    private static RunningMoments[] moments(int n) {
        RunningMoments[] m = new RunningMoments[n];
        for (int j = 0; j < n; j++) {
            m[j] = new RunningMoments();
        }
        return m;
    }

    /** {@link #create(Task, int, double, List, List, int)} with no extra thresholds and k = {@value #DEFAULT_TOP_K}. */
    public static MetricStats create(Task task, int outputCount, double threshold, List<Metric> metrics) {
        return create(task, outputCount, threshold, metrics, List.of(), DEFAULT_TOP_K);
    }

    /**
     * Empty statistics for a network.
     *
     * @param task            what the outputs mean
     * @param outputCount     number of network outputs; binary networks have 1 (P(class 1)) or 2 softmax
     *                        outputs (P(class 1) = outputs[1]), multiclass networks one per class (at least 2)
     * @param threshold       binary decision threshold in [0, 1] (class 1 when p &gt; threshold); ignored
     *                        for the other tasks
     * @param metrics         the metrics to report, in this order; empty for {@link #defaultMetrics(Task)}
     * @param extraThresholds binary: further thresholds in [0, 1] for {@link #thresholdReport()}, each
     *                        once; ignored for the other tasks
     * @param topK            the k of top-k accuracy, at least 1
     * @throws IllegalArgumentException for an output count the task cannot have, a threshold outside
     *                                  [0, 1] or repeated, a k below 1, a metric meaningless for the
     *                                  task, or a metric listed twice
     */
    public static MetricStats create(Task task, int outputCount, double threshold, List<Metric> metrics,
                                     List<Double> extraThresholds, int topK) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(extraThresholds, "extraThresholds");
        checkOutputCount(task, outputCount);
        if (task == Task.BINARY && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("the binary decision threshold must be in [0, 1], got " + threshold);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("the k of top-k accuracy must be at least 1, got " + topK);
        }
        double[] thresholds = new double[task == Task.BINARY ? extraThresholds.size() : 0];
        for (int i = 0; i < thresholds.length; i++) {
            double t = extraThresholds.get(i);
            if (!(t >= 0 && t <= 1)) {
                throw new IllegalArgumentException("a threshold must be in [0, 1], got " + t);
            }
            for (int j = 0; j < i; j++) {
                if (thresholds[j] == t) {
                    throw new IllegalArgumentException("threshold " + t + " is listed twice");
                }
            }
            thresholds[i] = t;
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
        return new MetricStats(task, outputCount, threshold, chosen, thresholds, topK);
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

    /** The metrics reported when none are asked for: every metric of the task, in {@link Metric} order. */
    public static List<Metric> defaultMetrics(Task task) {
        return applicableMetrics(task);
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

    /** Whether a row weight is usable: finite and not negative (0 is allowed and counts for nothing). */
    public static boolean isValidWeight(double w) {
        return w >= 0 && w < Double.POSITIVE_INFINITY;
    }

    /** Adds one row of weight 1. */
    public void add(double[] outputs, double[] labels) {
        add(outputs, labels, 1);
    }

    /**
     * Adds one row.
     *
     * @param outputs the output layer's activations, {@code outputCount} of them
     * @param labels  regression: one value per output; binary: labels[0] ∈ {0, 1}; multiclass:
     *                labels[0] = class index 0..k−1. The caller has already checked them with
     *                {@link #isValidLabel(double[])}.
     * @param w       the row's weight, already checked with {@link #isValidWeight(double)}
     */
    public void add(double[] outputs, double[] labels, double w) {
        checkOutputs(outputs);
        rows++;
        weight.add(w);
        switch (task) {
            case REGRESSION -> addRegression(outputs, labels, w);
            case BINARY -> addBinary(Task.positiveProbability(outputs), labels[0] == 1, w);
            case MULTICLASS -> addMulticlass(outputs, (int) labels[0], w);
        }
    }

    private void addRegression(double[] outputs, double[] labels, double w) {
        for (int j = 0; j < outputCount; j++) {
            double y = labels[j];
            double error = outputs[j] - y;
            double absolute = Math.abs(error);
            squaredError[j].add(w * (error * error));
            absoluteError.add(w * absolute);
            absolutePercentageError.add(w * (absolute / Math.max(Math.abs(y), MAPE_EPSILON)));
            if (w > 0 && !(absolute <= maxError)) {
                maxError = absolute; // also replaces the initial NaN
            }
            labelMoments[j].add(y, w);
            residualMoments[j].add(y - outputs[j], w);
            outputMoments[j].add(outputs[j], w);
        }
    }

    private void addBinary(double p, boolean positive, double w) {
        double error = positive ? 1 - p : p;
        squaredError[0].add(w * (error * error));
        absoluteError.add(w * Math.abs(error));
        crossEntropy.add(w * binaryCrossEntropy(p, positive));
        int label = positive ? 1 : 0;
        int predicted = Task.binaryClass(p, threshold);
        confusion.add(label * 2 + predicted, w);
        labelRows[label]++;
        predictedRows[predicted]++;
        for (int i = 0; i < extraThresholds.length; i++) {
            boolean predictedPositive = p > extraThresholds[i];
            int cell = predictedPositive ? (positive ? 0 : 1) : (positive ? 3 : 2); // TP, FP, TN, FN
            thresholdCounts.add(4 * i + cell, w);
        }
        histogram.add(p, positive, w);
    }

    private void addMulticlass(double[] outputs, int label, double w) {
        crossEntropy.add(w * logLoss(outputs[label]));
        int predicted = Task.argMax(outputs);
        confusion.add(label * classCount + predicted, w);
        labelRows[label]++;
        predictedRows[predicted]++;
        if (rankOf(outputs, label) < topK) {
            topKCorrect.add(w);
        }
    }

    /** How many classes rank above class c: larger outputs, and equal outputs of a lower index. */
    private static int rankOf(double[] outputs, int c) {
        int rank = 0;
        double score = outputs[c];
        for (int j = 0; j < outputs.length; j++) {
            if (outputs[j] > score || (outputs[j] == score && j < c)) {
                rank++;
            }
        }
        return rank;
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
            case BINARY -> binaryCrossEntropy(Task.positiveProbability(outputs), labels[0] == 1);
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
        return task.predictedClass(outputs, threshold);
    }

    /**
     * Adds the rows of another partial to this one.
     *
     * @return this (mutated)
     * @throws IllegalArgumentException when the other was created with another task, output count,
     *                                  threshold, thresholds, k or metric list
     */
    /** Binary networks: the score histogram behind the curve areas (for charts); null otherwise. */
    public ScoreHistogram scoreHistogram() {
        return histogram;
    }

    public MetricStats merge(MetricStats other) {
        if (other == this) {
            throw new IllegalArgumentException("cannot merge statistics into themselves");
        }
        if (task != other.task || outputCount != other.outputCount
                || Double.compare(threshold, other.threshold) != 0 || !metrics.equals(other.metrics)
                || !Arrays.equals(extraThresholds, other.extraThresholds) || topK != other.topK) {
            throw new IllegalArgumentException("cannot merge statistics of different networks or metric lists: "
                    + this + " and " + other);
        }
        rows += other.rows;
        weight.merge(other.weight);
        for (int j = 0; j < squaredError.length; j++) {
            squaredError[j].merge(other.squaredError[j]);
        }
        for (int j = 0; j < labelMoments.length; j++) {
            labelMoments[j].merge(other.labelMoments[j]);
            residualMoments[j].merge(other.residualMoments[j]);
            outputMoments[j].merge(other.outputMoments[j]);
        }
        absoluteError.merge(other.absoluteError);
        absolutePercentageError.merge(other.absolutePercentageError);
        if (!(other.maxError <= maxError)) {
            maxError = Double.isNaN(other.maxError) ? maxError : other.maxError;
        }
        crossEntropy.merge(other.crossEntropy);
        confusion.merge(other.confusion);
        for (int c = 0; c < classCount; c++) {
            labelRows[c] += other.labelRows[c];
            predictedRows[c] += other.predictedRows[c];
        }
        thresholdCounts.merge(other.thresholdCounts);
        topKCorrect.merge(other.topKCorrect);
        if (histogram != null) {
            histogram.merge(other.histogram);
        }
        return this;
    }

    /** Number of rows added (directly or through merges), whatever their weight. */
    public long rows() {
        return rows;
    }

    /** Σ w over the rows added. */
    public double weight() {
        return weight.value();
    }

    /** The metrics reported, in order. */
    public List<Metric> metrics() {
        return metrics;
    }

    /** The task these statistics are for. */
    public Task task() {
        return task;
    }

    /** The k of {@link Metric#TOP_K_ACCURACY}. */
    public int topK() {
        return topK;
    }

    /**
     * Each metric's value, in the order of {@link #metrics()}; NaN where undefined (no rows or no
     * weight; a zero denominator; R² over fewer than 2 rows), which the job writes as null.
     */
    public Map<Metric, Double> results() {
        Map<Metric, Double> results = new LinkedHashMap<>();
        Curves curves = curves();
        ClassReport report = classCount > 0 ? classReport() : null;
        boolean empty = !(weight.value() > 0);
        for (Metric m : metrics) {
            results.put(m, empty ? Double.NaN : value(m, curves, report));
        }
        return results;
    }

    /**
     * The error bound of each metric with one ({@link Metric#hasErrorBound()}) among {@link #metrics()}:
     * the exact value over the rows lies within value ± bound. 0 where the histogram is exact; NaN where
     * the value is.
     */
    public Map<Metric, Double> errorBounds() {
        Map<Metric, Double> bounds = new LinkedHashMap<>();
        Curves curves = curves();
        for (Metric m : metrics) {
            if (m.hasErrorBound()) {
                ScoreHistogram.Area a = curves.of(m);
                bounds.put(m, Double.isNaN(a.value()) ? Double.NaN : a.errorBound());
            }
        }
        return bounds;
    }

    private record Curves(ScoreHistogram.Area roc, ScoreHistogram.Area averagePrecision, ScoreHistogram.Area pr) {
        static final ScoreHistogram.Area NONE = new ScoreHistogram.Area(Double.NaN, Double.NaN);

        ScoreHistogram.Area of(Metric m) {
            return switch (m) {
                case ROC_AUC -> roc;
                case AVERAGE_PRECISION -> averagePrecision;
                case PR_AUC -> pr;
                default -> throw new IllegalArgumentException(m.id() + " is not a curve area");
            };
        }
    }

    private Curves curves() {
        if (histogram == null) {
            return new Curves(Curves.NONE, Curves.NONE, Curves.NONE);
        }
        boolean any = metrics.stream().anyMatch(Metric::hasErrorBound);
        return any
                ? new Curves(histogram.rocAuc(), histogram.averagePrecision(), histogram.prAuc())
                : new Curves(Curves.NONE, Curves.NONE, Curves.NONE);
    }

    private double value(Metric metric, Curves curves, ClassReport report) {
        double w = weight.value();
        return switch (metric) {
            case MSE -> meanSquaredError();
            case BRIER_SCORE -> meanSquaredError();
            case RMSE -> Math.sqrt(meanSquaredError());
            // squaredError has one entry per error column: k outputs for regression, p for binary
            case MAE -> absoluteError.value() / (w * squaredError.length);
            case MAPE -> absolutePercentageError.value() / (w * outputCount);
            case MAX_ERROR -> maxError;
            case R2 -> r2();
            case EXPLAINED_VARIANCE -> averageOverOutputs(
                    j -> 1 - residualMoments[j].sumOfSquaredDeviations() / labelMoments[j].sumOfSquaredDeviations());
            case EXPLAINED_VARIANCE_MLLIB -> mllibExplainedVariance();
            case BINARY_CROSS_ENTROPY, CROSS_ENTROPY -> crossEntropy.value() / w;
            case ROC_AUC, AVERAGE_PRECISION, PR_AUC -> curves.of(metric).value();
            case ACCURACY -> trace() / w;
            case PRECISION -> report.classes().get(1).precision();
            case RECALL -> report.classes().get(1).recall();
            case F1 -> report.classes().get(1).f1();
            case SPECIFICITY -> report.classes().get(0).recall();
            case BALANCED_ACCURACY -> balancedAccuracy(report);
            case TOP_K_ACCURACY -> topKCorrect.value() / w;
            case MACRO_PRECISION -> macro(report, ClassMetrics::precision);
            case MACRO_RECALL -> macro(report, ClassMetrics::recall);
            case MACRO_F1 -> macro(report, ClassMetrics::f1);
            case WEIGHTED_PRECISION -> weighted(report, ClassMetrics::precision);
            case WEIGHTED_RECALL -> weighted(report, ClassMetrics::recall);
            case WEIGHTED_F1 -> weighted(report, ClassMetrics::f1);
        };
    }

    private double meanSquaredError() {
        double sum = 0;
        for (NeumaierSum s : squaredError) {
            sum += s.value();
        }
        return sum / (weight.value() * squaredError.length);
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

    /** The mean over the outputs; NaN when an output's labels are constant (a zero total sum of squares). */
    private double averageOverOutputs(java.util.function.IntToDoubleFunction perOutput) {
        double sum = 0;
        for (int j = 0; j < outputCount; j++) {
            if (labelMoments[j].sumOfSquaredDeviations() == 0) {
                return Double.NaN; // constant labels (or a single row): undefined
            }
            sum += perOutput.applyAsDouble(j);
        }
        return sum / outputCount;
    }

    private double mllibExplainedVariance() {
        double sum = 0;
        for (int j = 0; j < outputCount; j++) {
            // Σ w·(ŷ − ȳ)² = Σ w·(ŷ − mean ŷ)² + Σw·(mean ŷ − ȳ)²
            double shift = outputMoments[j].mean() - labelMoments[j].mean();
            sum += (outputMoments[j].sumOfSquaredDeviations() + outputMoments[j].weight() * shift * shift)
                    / outputMoments[j].weight();
        }
        return sum / outputCount;
    }

    private double trace() {
        double sum = 0;
        for (int c = 0; c < classCount; c++) {
            sum += confusion.get(c * classCount + c);
        }
        return sum;
    }

    private double balancedAccuracy(ClassReport report) {
        double sum = 0;
        int classes = 0;
        for (ClassMetrics c : report.classes()) {
            if (c.support() > 0) {
                sum += c.recall();
                classes++;
            }
        }
        return classes == 0 ? Double.NaN : sum / classes;
    }

    /** The mean over the classes that occur as a label or a prediction, an undefined value counting 0. */
    private double macro(ClassReport report, java.util.function.ToDoubleFunction<ClassMetrics> value) {
        double sum = 0;
        int classes = 0;
        for (ClassMetrics c : report.classes()) {
            if (labelRows[c.index()] > 0 || predictedRows[c.index()] > 0) {
                double v = value.applyAsDouble(c);
                sum += Double.isNaN(v) ? 0 : v;
                classes++;
            }
        }
        return classes == 0 ? Double.NaN : sum / classes;
    }

    /** The mean weighted by the classes' label weight (support); classes without support count for nothing. */
    private double weighted(ClassReport report, java.util.function.ToDoubleFunction<ClassMetrics> value) {
        double sum = 0;
        double support = 0;
        for (ClassMetrics c : report.classes()) {
            if (c.support() > 0) {
                double v = value.applyAsDouble(c);
                sum += c.support() * (Double.isNaN(v) ? 0 : v);
                support += c.support();
            }
        }
        return support == 0 ? Double.NaN : sum / support;
    }

    /**
     * One class's values from the confusion matrix (weighted counts).
     *
     * @param index     the class index (binary: 0 negative, 1 positive)
     * @param support   Σ w of the rows labelled with the class
     * @param predicted Σ w of the rows predicted as the class
     * @param precision TP / predicted; NaN when nothing is predicted as the class
     * @param recall    TP / support; NaN without support
     * @param f1        2·TP / (support + predicted); NaN when both are 0
     */
    public record ClassMetrics(int index, double support, double predicted, double precision, double recall,
                               double f1) {
    }

    /**
     * The per-class values and the confusion matrix of a classifier.
     *
     * @param classes   one entry per class, in index order
     * @param confusion confusion[label][predicted] = Σ w of those rows (scikit-learn's {@code
     *                  confusion_matrix} layout: rows are the true class)
     */
    public record ClassReport(List<ClassMetrics> classes, double[][] confusion) {
    }

    /** The per-class values and confusion matrix; null for regression. */
    public ClassReport classReport() {
        if (classCount == 0) {
            return null;
        }
        double[][] matrix = new double[classCount][classCount];
        double[] support = new double[classCount];
        double[] predicted = new double[classCount];
        for (int l = 0; l < classCount; l++) {
            for (int p = 0; p < classCount; p++) {
                double w = confusion.get(l * classCount + p);
                matrix[l][p] = w;
                support[l] += w;
                predicted[p] += w;
            }
        }
        List<ClassMetrics> classes = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            double tp = matrix[c][c];
            classes.add(new ClassMetrics(c, support[c], predicted[c], ratio(tp, predicted[c]), ratio(tp, support[c]),
                    ratio(2 * tp, support[c] + predicted[c])));
        }
        return new ClassReport(List.copyOf(classes), matrix);
    }

    /**
     * A binary network's threshold metrics at one threshold: class 1 when p &gt; threshold. NaN for a
     * zero denominator, as the metrics of the same name.
     */
    public record ThresholdMetrics(double threshold, double precision, double recall, double f1,
                                   double specificity, double accuracy) {
    }

    /** The values at each extra threshold given to {@link #create}, in that order; empty for other tasks. */
    public List<ThresholdMetrics> thresholdReport() {
        List<ThresholdMetrics> report = new ArrayList<>();
        for (int i = 0; i < extraThresholds.length; i++) {
            double tp = thresholdCounts.get(4 * i);
            double fp = thresholdCounts.get(4 * i + 1);
            double tn = thresholdCounts.get(4 * i + 2);
            double fn = thresholdCounts.get(4 * i + 3);
            report.add(new ThresholdMetrics(extraThresholds[i], ratio(tp, tp + fp), ratio(tp, tp + fn),
                    ratio(2 * tp, 2 * tp + fp + fn), ratio(tn, tn + fp), ratio(tp + tn, tp + fp + tn + fn)));
        }
        return report;
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? Double.NaN : numerator / denominator;
    }

    private static double binaryCrossEntropy(double p, boolean positive) {
        // Clip the true class's probability itself, so that p = 1 with label 0 costs exactly −ln 1e-15.
        return logLoss(positive ? p : 1 - p);
    }

    /** −ln of the probability given to the true class, clipped to [1e-15, 1 − 1e-15]. */
    private static double logLoss(double trueClassProbability) {
        return -Math.log(Math.min(Math.max(trueClassProbability, PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON));
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
