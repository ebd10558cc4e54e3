package io.annscore.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The mergeable statistics behind the report's charts that the metrics do not already keep, over
 * the rows in the metrics (scored, with a usable label and weight):
 * <ul>
 *   <li>multiclass: for each true class c, the weight of its rows by the probability given to c
 *       ({@link #SCORE_BINS} bins of equal width in [0, 1]); and for the calibration diagram, by
 *       the top probability ({@link #CALIBRATION_BINS} bins), Σ w, Σ w·p_top and Σ w over rows
 *       whose top class is right;</li>
 *   <li>regression: a bottom-k sample ({@link #SAMPLE_ROWS} rows, priorities from a hash of
 *       partition and row number, as in {@link ColumnProfiles}) of (prediction, label) of the first
 *       output, for the predicted-against-actual plot and the residual histogram.</li>
 * </ul>
 * Binary networks need nothing here: their {@link ScoreHistogram} has every curve and histogram.
 */
public final class ChartStats implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int SCORE_BINS = 20;
    public static final int CALIBRATION_BINS = 10;
    public static final int SAMPLE_ROWS = 1024;

    private final boolean multiclass;
    private final boolean regression;
    private final int classes;
    private final double[] byClass;       // [c · SCORE_BINS + bin]
    private final double[] calWeight = new double[CALIBRATION_BINS];
    private final double[] calScore = new double[CALIBRATION_BINS];
    private final double[] calCorrect = new double[CALIBRATION_BINS];
    private long[] priority;
    private double[][] pairs;
    private int size;
    private long seed;
    private long row;

    public ChartStats(boolean multiclass, boolean regression, int classes) {
        this.multiclass = multiclass;
        this.regression = regression;
        this.classes = classes;
        this.byClass = multiclass ? new double[classes * SCORE_BINS] : new double[0];
        if (regression) {
            priority = new long[SAMPLE_ROWS];
            pairs = new double[SAMPLE_ROWS][];
        }
    }

    public void startPartition(int partition) {
        seed = (long) partition << 40;
        row = 0;
    }

    private static int bin(double p, int bins) {
        return Math.min(bins - 1, Math.max(0, (int) (p * bins)));
    }

    /** One row in the metrics: the outputs (probabilities for a classifier), the labels, the weight. */
    public void add(double[] outputs, double[] labels, double w) {
        if (multiclass) {
            int y = (int) labels[0];
            int top = 0;
            for (int c = 1; c < outputs.length; c++) {
                if (outputs[c] > outputs[top]) {
                    top = c;
                }
            }
            if (y >= 0 && y < classes) {
                byClass[y * SCORE_BINS + bin(outputs[y], SCORE_BINS)] += w;
            }
            int b = bin(outputs[top], CALIBRATION_BINS);
            calWeight[b] += w;
            calScore[b] += w * outputs[top];
            calCorrect[b] += top == y ? w : 0;
        } else if (regression) {
            long p = ColumnProfiles.priority(seed + row++);
            if (size < SAMPLE_ROWS || p < priority[0]) {
                offer(p, new double[] {outputs[0], labels[0]});
            }
        }
    }

    private void offer(long p, double[] pair) {
        if (size < SAMPLE_ROWS) {
            int i = size++;
            priority[i] = p;
            pairs[i] = pair;
            while (i > 0 && priority[(i - 1) / 2] < priority[i]) {
                swap((i - 1) / 2, i);
                i = (i - 1) / 2;
            }
            return;
        }
        if (p >= priority[0]) {
            return;
        }
        priority[0] = p;
        pairs[0] = pair;
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int big = i;
            if (l < size && priority[l] > priority[big]) {
                big = l;
            }
            if (r < size && priority[r] > priority[big]) {
                big = r;
            }
            if (big == i) {
                return;
            }
            swap(i, big);
            i = big;
        }
    }

    private void swap(int a, int b) {
        long t = priority[a];
        priority[a] = priority[b];
        priority[b] = t;
        double[] x = pairs[a];
        pairs[a] = pairs[b];
        pairs[b] = x;
    }

    public ChartStats merge(ChartStats other) {
        for (int i = 0; i < byClass.length; i++) {
            byClass[i] += other.byClass[i];
        }
        for (int i = 0; i < CALIBRATION_BINS; i++) {
            calWeight[i] += other.calWeight[i];
            calScore[i] += other.calScore[i];
            calCorrect[i] += other.calCorrect[i];
        }
        if (regression) {
            for (int i = 0; i < other.size; i++) {
                offer(other.priority[i], other.pairs[i]);
            }
        }
        return this;
    }

    /** Multiclass: weight of the rows of true class c per bin of the probability given to c. */
    public double[] scoresOfClass(int c) {
        double[] out = new double[SCORE_BINS];
        System.arraycopy(byClass, c * SCORE_BINS, out, 0, SCORE_BINS);
        return out;
    }

    /** Multiclass calibration per bin of the top probability: {weight, mean top probability, accuracy}. */
    public List<double[]> calibration() {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < CALIBRATION_BINS; i++) {
            if (calWeight[i] > 0) {
                out.add(new double[] {calWeight[i], calScore[i] / calWeight[i], calCorrect[i] / calWeight[i]});
            }
        }
        return out;
    }

    /** Regression: the sampled (prediction, label) pairs of the first output, in no particular order. */
    public List<double[]> sample() {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            out.add(pairs[i].clone());
        }
        return out;
    }
}
