package io.annscore.metrics;

import java.io.Serializable;

/**
 * Count, weight, mean and sum of squared deviations from the mean (M2 = Σ w·(x − x̄)², x̄ the weighted
 * mean) of a stream of weighted doubles, with Welford's update (West's weighted form) on {@link #add}
 * and the parallel merge of Chan, Golub and LeVeque on {@link #merge}. A raw sum of squares is never formed: it cancels catastrophically when the values are
 * large next to their spread (labels around 1e9 varying by a few units).
 *
 * <p>The statistics are kept for {@code x − shift}, where the shift is the first value seen. Plain
 * Welford still loses about 1e-8 relative on such data, because the rounding error of a mean near 1e9
 * enters every update; shifted, the mean is small and M2 stays accurate to about 1e-15.
 *
 * <p>Mutable and not thread-safe; {@link #add} allocates nothing.
 */
public final class RunningMoments implements Serializable {
    private static final long serialVersionUID = 1L;

    private long count;
    private double weight;       // Σ w
    private double shift;        // the first value seen
    private double shiftedMean;  // mean of (x − shift)
    private double m2;           // Σ (x − mean)², the same with or without the shift

    /** Adds one value of weight 1 (Welford's update). */
    public void add(double x) {
        add(x, 1);
    }

    /** Adds one value with a weight w ≥ 0 (West's weighted update); a value of weight 0 is skipped. */
    public void add(double x, double w) {
        if (w == 0) {
            return;
        }
        if (count == 0) {
            shift = x;
        }
        double y = x - shift;
        count++;
        weight += w;
        double delta = y - shiftedMean;
        shiftedMean += delta * (w / weight);
        m2 += w * delta * (y - shiftedMean);
    }

    /** Adds the values behind another partial (Chan's parallel merge). */
    public void merge(RunningMoments other) {
        long otherCount = other.count; // read first: other may be this
        double otherWeight = other.weight;
        double otherShift = other.shift;
        double otherMean = other.shiftedMean;
        double otherM2 = other.m2;
        if (otherCount == 0) {
            return;
        }
        if (count == 0) {
            count = otherCount;
            weight = otherWeight;
            shift = otherShift;
            shiftedMean = otherMean;
            m2 = otherM2;
            return;
        }
        double total = weight + otherWeight;
        // The other mean relative to our shift, minus our mean: all small numbers when the shifts are close.
        double delta = (otherShift - shift) + (otherMean - shiftedMean);
        shiftedMean += delta * (otherWeight / total);
        m2 += otherM2 + delta * delta * (weight * (otherWeight / total));
        count += otherCount;
        weight = total;
    }

    /** The number of values added with a weight above 0. */
    public long count() {
        return count;
    }

    /** Σ w. */
    public double weight() {
        return weight;
    }

    /** The mean; NaN when empty. */
    public double mean() {
        return count == 0 ? Double.NaN : shift + shiftedMean;
    }

    /** Σ w·(x − x̄)², the total sum of squares behind R²; 0 when empty. */
    public double sumOfSquaredDeviations() {
        return m2;
    }

    /** The (weighted) population variance M2 / Σ w; NaN when empty. */
    public double variance() {
        return count == 0 ? Double.NaN : m2 / weight;
    }
}
