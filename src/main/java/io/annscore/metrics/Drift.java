package io.annscore.metrics;

/**
 * The distance between a column's histogram in a reference and in a run, on the same bins.
 *
 * <p>With p_i and q_i the reference's and the run's shares of bin i (count / total):
 * <ul>
 *   <li>the population stability index PSI = Σ_i (q_i − p_i)·ln(q_i / p_i), natural log, each
 *       share first raised to at least {@link #MIN_SHARE} so that an empty bin gives a large but
 *       finite term (the usual convention; without it one empty bin makes PSI infinite);</li>
 *   <li>the Kolmogorov–Smirnov distance of the two binned distributions,
 *       KS = max_i |Σ_{j ≤ i} q_j − Σ_{j ≤ i} p_j|, on the raw shares: the largest gap between the
 *       two cumulative distributions at a bin edge (a lower bound on the KS distance of the
 *       values themselves).</li>
 * </ul>
 * Both are 0 for identical shares. Common reading of PSI: below 0.1 no change, 0.1–0.25 a moderate
 * shift, above 0.25 a large one (the defaults of {@code drift.psi-warning} and {@code drift.psi-alarm}).
 */
public final class Drift {
    /** Shares below this count as this in PSI: 1e-4, one row in ten thousand. */
    public static final double MIN_SHARE = 1e-4;

    private Drift() {
    }

    /** PSI of {@code run} against {@code reference}; NaN when either is empty or the bins differ in number. */
    public static double psi(long[] reference, long[] run) {
        double p0 = total(reference);
        double q0 = total(run);
        if (reference.length != run.length || p0 == 0 || q0 == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < run.length; i++) {
            double p = Math.max(reference[i] / p0, MIN_SHARE);
            double q = Math.max(run[i] / q0, MIN_SHARE);
            sum += (q - p) * Math.log(q / p);
        }
        return sum;
    }

    /** The binned KS distance; NaN when either is empty or the bins differ in number. */
    public static double ks(long[] reference, long[] run) {
        double p0 = total(reference);
        double q0 = total(run);
        if (reference.length != run.length || p0 == 0 || q0 == 0) {
            return Double.NaN;
        }
        long cp = 0;
        long cq = 0;
        double d = 0;
        for (int i = 0; i < run.length; i++) {
            cp += reference[i];
            cq += run[i];
            d = Math.max(d, Math.abs(cq / q0 - cp / p0));
        }
        return d;
    }

    private static double total(long[] counts) {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** A column's drift level. */
    public enum Level {
        OK, WARNING, ALARM;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** ALARM at or above {@code alarm}, WARNING at or above {@code warning}, else OK (also for NaN). */
        public static Level of(double psi, double warning, double alarm) {
            return psi >= alarm ? ALARM : psi >= warning ? WARNING : OK;
        }
    }
}
