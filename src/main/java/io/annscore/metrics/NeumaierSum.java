package io.annscore.metrics;

import java.io.Serializable;

/**
 * A sum of doubles with Neumaier's compensated summation: the rounding error of every addition is
 * kept in a separate compensation term and added back when the value is read. The result then hardly
 * depends on the order of the terms or on how they were split into partial sums, which is what lets
 * Spark merge partials in any order: 1e16, 1, −1e16, 1 sums to 2 in every order and split (plain
 * Kahan summation gives 1 for this order, a naive sum 0).
 *
 * <p>Mutable and not thread-safe; {@link #add} allocates nothing.
 */
public final class NeumaierSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private double sum;
    private double compensation;

    /** Adds {@code x}. */
    public void add(double x) {
        double t = sum + x;
        // The bits lost in t belong to the operand of smaller magnitude; recover them from the larger.
        if (Math.abs(sum) >= Math.abs(x)) {
            compensation += (sum - t) + x;
        } else {
            compensation += (x - t) + sum;
        }
        sum = t;
    }

    /** Adds another partial sum: both its running sum and its compensation go through {@link #add}. */
    public void merge(NeumaierSum other) {
        double otherSum = other.sum; // read first: other may be this
        double otherCompensation = other.compensation;
        add(otherSum);
        add(otherCompensation);
    }

    /** The compensated total; ±infinity or NaN if a term was, or the sum overflowed. */
    public double value() {
        // Once the running sum is not finite the compensation is meaningless (inf − inf = NaN).
        return Double.isFinite(sum) ? sum + compensation : sum;
    }
}
