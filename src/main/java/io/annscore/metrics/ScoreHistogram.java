package io.annscore.metrics;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A mergeable histogram of binary scores p = P(class 1), one weight per class per bin, with bins of
 * equal width in logit space, logit(p) = ln p − ln(1 − p): the ROC and PR curves are read off it in
 * one sweep, with no sort of the rows. Bins uniform in p fail on the scores that matter most (a
 * Gaussian naive Bayes or an over-confident network crowds its scores within 1e-12 of 0 and 1),
 * while in logit space those tails are as finely resolved as the middle.
 *
 * <p>Bin b at level ℓ holds the scores with ⌊logit(p)·2^{@value #FINEST_BITS} / 2^ℓ⌋ = b; p = 0 and
 * p = 1 get a bin of their own below and above every other. The bins are stored sparsely (an
 * open-addressing table of the occupied bins only), so the size follows the number of distinct
 * scores, not the range. When more than {@link #maxBins} bins are occupied, the level goes up by one
 * (bins pair up: b → b &gt;&gt; 1) until they fit. The final level is the smallest at which all the
 * rows fit, whatever the split into partials or the order of the merges, so merged results equal a
 * single pass up to the rounding of the weight sums.
 *
 * <p>Each bin also keeps the smallest and largest score it received. Pairs of scores in different
 * bins are ordered exactly (bins are disjoint intervals: the bin index is a non-decreasing function
 * of p, computed with {@link StrictMath} so that every JVM puts a score in the same bin). Pairs in
 * one bin are taken as ties, which is exact when the bin holds a single distinct score (min = max) —
 * the case for few distinct scores, and for the fine default bins on any moderate number of rows.
 * The error of each curve area is bounded by what the tied-in-a-bin pairs could change, see
 * {@link #rocAuc()}, {@link #averagePrecision()} and {@link #prAuc()}.
 *
 * <p>Rows of weight 0 are left out. Mutable, not thread-safe; {@link #add} allocates nothing once the
 * table has grown to the number of occupied bins.
 */
public final class ScoreHistogram implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The finest bins are 2^−20 ≈ 9.5e-7 wide in logit (a relative change of about 1e-6 in p or 1 − p). */
    public static final int FINEST_BITS = 20;
    /** Occupied bins allowed before the bins are coarsened: 2^17, at most about 6 MB per histogram. */
    public static final int DEFAULT_MAX_BINS = 1 << 17;

    private static final long ZERO_KEY = -(1L << 42);  // below every finite logit·2^20 (|logit| ≤ 745)
    private static final long ONE_KEY = 1L << 42;
    private static final long EMPTY = Long.MIN_VALUE;

    private final int maxBins;
    private int level;
    private int size;
    private double minPositiveWeight = Double.POSITIVE_INFINITY;
    // the table (transient: written compactly by writeObject)
    private transient long[] keys;
    private transient double[] positive;
    private transient double[] negative;
    private transient double[] low;
    private transient double[] high;

    public ScoreHistogram() {
        this(DEFAULT_MAX_BINS);
    }

    /** @param maxBins occupied bins before coarsening, at least 2 */
    public ScoreHistogram(int maxBins) {
        if (maxBins < 2) {
            throw new IllegalArgumentException("maxBins must be at least 2, got " + maxBins);
        }
        this.maxBins = maxBins;
        allocate(16);
    }

    /** The bin index at the finest level: ⌊logit(p)·2^20⌋; p ≤ 0 and p ≥ 1 (and NaN) go to the end bins. */
    static long finestKey(double p) {
        if (!(p > 0)) {
            return ZERO_KEY;
        }
        if (p >= 1) {
            return ONE_KEY;
        }
        // Both terms are monotone in p, so the key never decreases as p grows. 1 − p is exact for p ≥ ½.
        double logit = StrictMath.log(p) - StrictMath.log1p(-p);
        return (long) Math.floor(StrictMath.scalb(logit, FINEST_BITS));
    }

    /** Adds one row's score with its class and weight (w &gt; 0; rows of weight 0 are skipped). */
    public void add(double p, boolean isPositive, double weight) {
        if (weight == 0) {
            return;
        }
        int slot = slot(finestKey(p) >> level);
        if (isPositive) {
            positive[slot] += weight;
            minPositiveWeight = Math.min(minPositiveWeight, weight);
        } else {
            negative[slot] += weight;
        }
        low[slot] = Math.min(low[slot], p);
        high[slot] = Math.max(high[slot], p);
        if (size > maxBins) {
            coarsen(level + 1);
        }
    }

    /** Adds another histogram's bins; both end at the coarser of the two levels (or coarser, to fit). */
    public void merge(ScoreHistogram other) {
        if (other == this) {
            throw new IllegalArgumentException("cannot merge a histogram into itself");
        }
        if (other.maxBins != maxBins) {
            throw new IllegalArgumentException("cannot merge histograms of " + maxBins + " and " + other.maxBins + " bins");
        }
        if (other.level > level) {
            coarsen(other.level);
        }
        int shift = level - other.level;
        for (int i = 0; i < other.keys.length; i++) {
            if (other.keys[i] != EMPTY) {
                int slot = slot(other.keys[i] >> shift);
                positive[slot] += other.positive[i];
                negative[slot] += other.negative[i];
                low[slot] = Math.min(low[slot], other.low[i]);
                high[slot] = Math.max(high[slot], other.high[i]);
            }
        }
        minPositiveWeight = Math.min(minPositiveWeight, other.minPositiveWeight);
        if (size > maxBins) {
            coarsen(level + 1);
        }
    }

    /** The number of occupied bins. */
    public int bins() {
        return size;
    }

    /** The coarsening level: bins are 2^(level − 20) wide in logit. */
    public int level() {
        return level;
    }

    /** An area under a curve, and a bound on how far it can be from the exact area over the scores. */
    public record Area(double value, double errorBound) {
    }

    /**
     * The area under the ROC curve: P(score of a positive &gt; score of a negative) + ½ P(tie), weighted
     * (scikit-learn's {@code roc_auc_score}, MLlib's {@code areaUnderROC}). The error bound is
     * Σ ½·P_b·N_b / (P·N) over the bins holding more than one distinct score and both classes: their
     * pairs are taken as ties (½ each) while their true share lies between 0 and 1. NaN when a class
     * has no weight.
     */
    public Area rocAuc() {
        Bins b = sortedBins();
        double totalPositive = total(b.positive);
        double totalNegative = total(b.negative);
        if (!(totalPositive > 0 && totalNegative > 0)) {
            return new Area(Double.NaN, Double.NaN);
        }
        NeumaierSum area = new NeumaierSum();
        NeumaierSum bound = new NeumaierSum();
        NeumaierSum negativesBelow = new NeumaierSum();
        for (int i = 0; i < b.count; i++) {
            double p = b.positive[i];
            double n = b.negative[i];
            area.add(p * negativesBelow.value());
            area.add(0.5 * p * n);
            if (b.low[i] < b.high[i]) {
                bound.add(0.5 * p * n);
            }
            negativesBelow.add(n);
        }
        double pairs = totalPositive * totalNegative;
        return new Area(area.value() / pairs, bound.value() / pairs);
    }

    /**
     * Average precision, scikit-learn's {@code average_precision_score}: Σ (R_t − R_{t−1})·P_t over the
     * distinct thresholds t from the highest score down, with recall R and precision P of the rows
     * scored at or above t (no interpolation). A bin is one threshold. In a bin holding several distinct
     * scores and positive weight P_b, the true sub-thresholds' precisions lie between the precision with
     * the bin's negatives all ranked first and its smallest positive weight next, and the precision
     * with its positives all first; the bound sums (P_b / P)·(the larger distance from the estimate to
     * those two). NaN when there is no positive weight.
     */
    public Area averagePrecision() {
        Bins b = sortedBins();
        double totalPositive = total(b.positive);
        if (!(totalPositive > 0)) {
            return new Area(Double.NaN, Double.NaN);
        }
        NeumaierSum area = new NeumaierSum();
        NeumaierSum bound = new NeumaierSum();
        NeumaierSum truePositives = new NeumaierSum();
        NeumaierSum falsePositives = new NeumaierSum();
        for (int i = b.count - 1; i >= 0; i--) {
            double p = b.positive[i];
            double n = b.negative[i];
            double tp0 = truePositives.value();
            double fp0 = falsePositives.value();
            truePositives.add(p);
            falsePositives.add(n);
            if (p == 0) {
                continue;
            }
            double share = p / totalPositive;
            double estimate = (tp0 + p) / (tp0 + p + fp0 + n);
            area.add(share * estimate);
            if (b.low[i] < b.high[i]) {
                double lowest = lowestPrecision(tp0, fp0, n, true);
                double highest = (tp0 + p) / (tp0 + p + fp0);
                bound.add(share * Math.max(highest - estimate, estimate - lowest));
            }
        }
        return new Area(area.value(), bound.value());
    }

    /**
     * The area under the precision-recall curve by the trapezoidal rule, as MLlib's
     * {@code BinaryClassificationMetrics.areaUnderPR}: the points (recall, precision) at each distinct
     * threshold from the highest score down, preceded by (0, precision at the highest threshold).
     * The bound sums, over bins holding several distinct scores and positive weight, (P_b / P) times
     * the larger distance from the trapezoid's mean height to the lowest and highest precision that a
     * point inside the bin can have. NaN when there is no positive weight.
     */
    public Area prAuc() {
        Bins b = sortedBins();
        double totalPositive = total(b.positive);
        if (!(totalPositive > 0)) {
            return new Area(Double.NaN, Double.NaN);
        }
        NeumaierSum area = new NeumaierSum();
        NeumaierSum bound = new NeumaierSum();
        NeumaierSum truePositives = new NeumaierSum();
        NeumaierSum falsePositives = new NeumaierSum();
        double previousPrecision = Double.NaN;
        for (int i = b.count - 1; i >= 0; i--) {
            double p = b.positive[i];
            double n = b.negative[i];
            double tp0 = truePositives.value();
            double fp0 = falsePositives.value();
            truePositives.add(p);
            falsePositives.add(n);
            double precision = (tp0 + p) / (tp0 + p + fp0 + n);
            boolean first = Double.isNaN(previousPrecision);
            double left = first ? precision : previousPrecision;
            previousPrecision = precision;
            if (p == 0) {
                continue; // recall does not move: no area
            }
            double share = p / totalPositive;
            double height = (left + precision) / 2;
            area.add(share * height);
            if (b.low[i] < b.high[i]) {
                // points inside the bin: before any of its positives (if a negative can come first) up to
                // all of its positives before its negatives
                double lowest = Math.min(left, lowestPrecision(tp0, fp0, n, false));
                double highest = Math.max(left, (tp0 + p) / (tp0 + p + fp0));
                bound.add(share * Math.max(highest - height, height - lowest));
            }
        }
        return new Area(area.value(), bound.value());
    }

    /**
     * The lowest precision of a point inside a mixed bin with tp0, fp0 above it and negative weight n in
     * it. With negatives in the bin, a point can hold all of them and none of its positives (for the
     * trapezoid, whose points need not add recall) or the smallest positive weight (for average
     * precision, which only counts points that add recall). Without negatives, the smallest positive
     * weight comes first.
     */
    private double lowestPrecision(double tp0, double fp0, double n, boolean needsPositive) {
        double firstPositive = needsPositive || n == 0 ? minPositiveWeight : 0;
        double tp = tp0 + firstPositive;
        double all = tp + fp0 + n;
        return all == 0 ? 1 : tp / all;
    }

    private static double total(double[] weights) {
        NeumaierSum s = new NeumaierSum();
        for (double w : weights) {
            s.add(w);
        }
        return s.value();
    }

    /**
     * The occupied bins in increasing order of score, for charts: each bin's smallest and largest
     * score and its positive and negative weight.
     */
    public record BinView(double[] low, double[] high, double[] positive, double[] negative) {
    }

    public BinView binView() {
        Bins b = sortedBins();
        return new BinView(b.low, b.high, b.positive, b.negative);
    }

    /** The occupied bins in increasing order of score. */
    private record Bins(int count, double[] positive, double[] negative, double[] low, double[] high) {
    }

    private Bins sortedBins() {
        long[] order = new long[size];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                order[n++] = keys[i];
            }
        }
        Arrays.sort(order);
        double[] pos = new double[size];
        double[] neg = new double[size];
        double[] lo = new double[size];
        double[] hi = new double[size];
        for (int i = 0; i < size; i++) {
            int slot = find(order[i]);
            pos[i] = positive[slot];
            neg[i] = negative[slot];
            lo[i] = low[slot];
            hi[i] = high[slot];
        }
        return new Bins(size, pos, neg, lo, hi);
    }

    // ---- the open-addressing table ------------------------------------------------------------------------

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        positive = new double[capacity];
        negative = new double[capacity];
        low = new double[capacity];
        high = new double[capacity];
        Arrays.fill(low, Double.POSITIVE_INFINITY);
        Arrays.fill(high, Double.NEGATIVE_INFINITY);
        size = 0;
    }

    private static int hash(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private int find(long key) {
        int mask = keys.length - 1;
        int i = hash(key, mask);
        while (keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** The slot of a key, inserted (empty) if absent. */
    private int slot(long key) {
        int mask = keys.length - 1;
        int i = hash(key, mask);
        while (true) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == EMPTY) {
                if (2 * (size + 1) > keys.length) {
                    rehash(keys.length * 2, 0);
                    return slot(key);
                }
                keys[i] = key;
                size++;
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /** Moves the bins to a table of the given capacity, shifting their keys right by {@code shift}. */
    private void rehash(int capacity, int shift) {
        long[] oldKeys = keys;
        double[] oldPositive = positive;
        double[] oldNegative = negative;
        double[] oldLow = low;
        double[] oldHigh = high;
        allocate(capacity);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = slot(oldKeys[i] >> shift);
                positive[slot] += oldPositive[i];
                negative[slot] += oldNegative[i];
                low[slot] = Math.min(low[slot], oldLow[i]);
                high[slot] = Math.max(high[slot], oldHigh[i]);
            }
        }
    }

    /** Coarsens to at least {@code target}, and further until the bins fit. */
    private void coarsen(int target) {
        int shift = target - level;
        level = target;
        rehash(keys.length, shift);
        while (size > maxBins) {
            level++;
            rehash(keys.length, 1);
        }
    }

    // ---- compact serialization: only the occupied bins ----------------------------------------------------

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                out.writeLong(keys[i]);
                out.writeDouble(positive[i]);
                out.writeDouble(negative[i]);
                out.writeDouble(low[i]);
                out.writeDouble(high[i]);
            }
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        int bins = size;
        int capacity = 16;
        while (capacity < 2 * bins) {
            capacity *= 2;
        }
        allocate(capacity);
        for (int b = 0; b < bins; b++) {
            int slot = slot(in.readLong());
            positive[slot] = in.readDouble();
            negative[slot] = in.readDouble();
            low[slot] = in.readDouble();
            high[slot] = in.readDouble();
        }
    }
}
