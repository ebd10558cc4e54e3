package io.annscore.metrics;

import java.io.Serializable;

/**
 * A fixed array of {@link NeumaierSum}s without an object per entry: weighted counts (a confusion
 * matrix, the counts at each threshold) that stay exact for unit weights and agree to about 1e-16
 * relative whatever the order of the rows and merges for other weights. Mutable, not thread-safe;
 * {@link #add} allocates nothing.
 */
final class CompensatedSums implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] sum;
    private final double[] compensation;

    CompensatedSums(int size) {
        sum = new double[size];
        compensation = new double[size];
    }

    int size() {
        return sum.length;
    }

    void add(int i, double x) {
        double s = sum[i];
        double t = s + x;
        if (Math.abs(s) >= Math.abs(x)) {
            compensation[i] += (s - t) + x;
        } else {
            compensation[i] += (x - t) + s;
        }
        sum[i] = t;
    }

    void merge(CompensatedSums other) {
        for (int i = 0; i < sum.length; i++) {
            double otherSum = other.sum[i];
            double otherCompensation = other.compensation[i];
            add(i, otherSum);
            add(i, otherCompensation);
        }
    }

    double get(int i) {
        return Double.isFinite(sum[i]) ? sum[i] + compensation[i] : sum[i];
    }
}
