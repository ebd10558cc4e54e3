package io.annscore.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Mergeable profiles of a run's columns — each feature of the network, then each output — over the
 * scored rows: the count, the rows missing the value, the mean, the population standard deviation,
 * the min, the max and a histogram on fixed bins. Folded a block of rows at a time in the scoring
 * pass and merged like the metrics; plain Java.
 *
 * <p><b>Bins.</b> Column c's bins are given by its inner edges e₀ &lt; e₁ &lt; … &lt; e_{m−1}: bin 0 is
 * (−∞, e₀), bin i is [e_{i−1}, e_i), bin m is [e_{m−1}, +∞), so every finite value has a bin. The
 * edges come from a reference profile, or from an earlier profile of the job. When there are none
 * ({@link #sampling}), the profile keeps instead a <em>bottom-k sample</em> of the rows: each row
 * gets a pseudo-random priority from a hash of (partition, row number), and the {@link #SAMPLE_ROWS}
 * rows of the smallest priorities are kept, which merges exactly (the bottom k of a union is the
 * bottom k of the partials' bottom k) and does not depend on the split or the merge order. Only the
 * rows that enter the sample cost anything (about k·ln(n/k) of n), so sampling needs no extra pass.
 * {@link #columns()} then takes the edges from the sample's quantiles, and that run's histogram is
 * the sample's (its counts add up to the sample size, not to the rows).
 *
 * <p><b>Moments.</b> Within a partial, each column's sums are kept for x − s, s the first value the
 * partial saw (a sum and a sum of squares of values near 0); partials merge with the formula of
 * Chan, Golub and LeVeque. The hot loop is a subtraction, two additions, a min, a max and m
 * comparisons per value, with no division and no branch on the data but the bin count.
 *
 * <p>Mutable, not thread-safe.
 */
public final class ColumnProfiles implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rows kept by the bottom-k sample when the bins are not known. */
    public static final int SAMPLE_ROWS = 1024;

    private final int features;
    private final int outputs;
    private final double[][] edges;
    private final int[] offset;
    private final long[] hist;
    private final long[] missing;
    /** All columns' edges one after another; column c's are [edgeOffset[c], edgeOffset[c + 1]), none for a sampled column. */
    private final double[] flatEdges;
    private final int[] edgeOffset;
    private long rows;
    /** This partial's shifts and shifted sums, folded into the merged moments by {@link #fold}. */
    private final double[] shift;
    private final double[] s1;
    private final double[] s2;
    private long liveRows;
    /** Merged moments: mean and M2 per column, over {@link #rows} − {@link #liveRows} rows. */
    private final double[] mean;
    private final double[] m2;
    private final double[] min;
    private final double[] max;
    /** Sampling: the sample's priorities and rows (features then outputs), null when the bins are known. */
    private long[] samplePriority;
    private double[][] sampleRows;
    private int sampleSize;
    private long sampleSeed;
    private long rowNumber;

    /**
     * @param edges per column (features, then outputs) its ascending inner bin edges, null for a
     *     column whose bins are chosen at the end from the sample; null for all of them
     */
    public ColumnProfiles(int features, int outputs, double[][] edges) {
        this.features = features;
        this.outputs = outputs;
        int n = features + outputs;
        if (edges != null && edges.length != n) {
            throw new IllegalArgumentException("bin edges for " + edges.length + " columns, the profile has " + n);
        }
        this.edges = edges == null ? new double[n][] : edges.clone();
        this.offset = new int[n + 1];
        boolean sample = false;
        for (int c = 0; c < n; c++) {
            double[] e = this.edges[c];
            sample |= e == null;
            offset[c + 1] = offset[c] + (e == null ? 0 : checkEdges(e, c).length + 1);
        }
        hist = new long[offset[n]];
        edgeOffset = new int[n + 1];
        int total = 0;
        for (int c = 0; c < n; c++) {
            total += this.edges[c] == null ? 0 : this.edges[c].length;
        }
        flatEdges = new double[total];
        int at = 0;
        for (int c = 0; c < n; c++) {
            double[] e = this.edges[c];
            if (e != null) {
                System.arraycopy(e, 0, flatEdges, at, e.length);
                at += e.length;
            }
            edgeOffset[c + 1] = at;
        }
        missing = new long[features];
        shift = new double[n];
        s1 = new double[n];
        s2 = new double[n];
        mean = new double[n];
        m2 = new double[n];
        min = new double[n];
        max = new double[n];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        if (sample) {
            samplePriority = new long[SAMPLE_ROWS];
            sampleRows = new double[SAMPLE_ROWS][];
        }
    }

    private static double[] checkEdges(double[] e, int column) {
        for (int i = 0; i < e.length; i++) {
            if (!Double.isFinite(e[i]) || i > 0 && !(e[i] > e[i - 1])) {
                throw new IllegalArgumentException("column " + column + ": bin edges must be finite and ascending, found "
                        + Arrays.toString(e));
            }
        }
        return e;
    }

    /** Whether the bins of some column are chosen at the end from a sample (no edges were given for it). */
    public boolean sampling() {
        return samplePriority != null;
    }

    /** Seeds the sample's priorities: a partial's rows are numbered from 0 within its partition. */
    public void startPartition(int partition) {
        sampleSeed = (long) partition << 40;
        rowNumber = 0;
    }

    /** A row quarantined because feature {@code f} was missing, empty, not a number or not finite. */
    public void addMissing(int f) {
        missing[f]++;
    }

    /**
     * Adds the rows k &lt; {@code n} of a block whose {@code include[k]} is true: features
     * {@code features[k·F … k·F + F)} and outputs {@code outputs[k·O … k·O + O)}.
     */
    public void addBlock(double[] featureBlock, double[] outputBlock, int n, boolean[] include) {
        for (int k = 0; k < n; k++) {
            if (!include[k]) {
                continue;
            }
            if (liveRows == 0) {
                for (int j = 0; j < features; j++) {
                    shift[j] = featureBlock[k * features + j];
                }
                for (int j = 0; j < outputs; j++) {
                    shift[features + j] = outputBlock[k * outputs + j];
                }
            }
            liveRows++;
            rows++;
            addValues(featureBlock, k * features, features, 0);
            addValues(outputBlock, k * outputs, outputs, features);
            if (samplePriority != null) {
                sample(featureBlock, k, outputBlock);
            }
            rowNumber++;
        }
    }

    private void addValues(double[] block, int from, int count, int column0) {
        double[] sh = shift;
        double[] a = s1;
        double[] b = s2;
        double[] lo = min;
        double[] hi = max;
        double[] flat = flatEdges;
        int[] eo = edgeOffset;
        int[] ho = offset;
        long[] h = hist;
        for (int j = 0; j < count; j++) {
            int c = column0 + j;
            double v = block[from + j];
            double d = v - sh[c];
            a[c] += d;
            b[c] += d * d;
            // plain comparisons: the values are finite (Math.min/max would also order NaN and −0.0)
            if (v < lo[c]) {
                lo[c] = v;
            }
            if (v > hi[c]) {
                hi[c] = v;
            }
            int e0 = eo[c];
            int e1 = eo[c + 1];
            if (ho[c + 1] > ho[c]) { // the column has bins (a sampled one has no histogram slots)
                int bin = 0;
                for (int i = e0; i < e1; i++) {
                    bin += v >= flat[i] ? 1 : 0;
                }
                h[ho[c] + bin]++;
            }
        }
    }

    /** SplitMix64's finalizer: a well-mixed 64-bit hash of the row's number. */
    static long priority(long key) {
        long z = key + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> 1;
    }

    private void sample(double[] featureBlock, int k, double[] outputBlock) {
        long p = priority(sampleSeed + rowNumber);
        if (sampleSize == SAMPLE_ROWS && p >= samplePriority[0]) {
            return;
        }
        double[] row = new double[features + outputs];
        System.arraycopy(featureBlock, k * features, row, 0, features);
        System.arraycopy(outputBlock, k * outputs, row, features, outputs);
        offer(p, row);
    }

    /** Keeps the row if its priority is among the smallest {@link #SAMPLE_ROWS} (a max-heap on priority). */
    private void offer(long p, double[] row) {
        if (sampleSize < SAMPLE_ROWS) {
            int i = sampleSize++;
            samplePriority[i] = p;
            sampleRows[i] = row;
            while (i > 0 && samplePriority[(i - 1) / 2] < samplePriority[i]) {
                swap((i - 1) / 2, i);
                i = (i - 1) / 2;
            }
        } else if (p < samplePriority[0]) {
            samplePriority[0] = p;
            sampleRows[0] = row;
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                int r = l + 1;
                int big = i;
                if (l < sampleSize && samplePriority[l] > samplePriority[big]) {
                    big = l;
                }
                if (r < sampleSize && samplePriority[r] > samplePriority[big]) {
                    big = r;
                }
                if (big == i) {
                    break;
                }
                swap(i, big);
                i = big;
            }
        }
    }

    private void swap(int a, int b) {
        long p = samplePriority[a];
        samplePriority[a] = samplePriority[b];
        samplePriority[b] = p;
        double[] r = sampleRows[a];
        sampleRows[a] = sampleRows[b];
        sampleRows[b] = r;
    }

    /** Folds this partial's shifted sums into its merged moments (Chan's merge). */
    private void fold() {
        if (liveRows == 0) {
            return;
        }
        long before = rows - liveRows;
        double nb = liveRows;
        for (int c = 0; c < mean.length; c++) {
            double m = s1[c] / nb;
            double q = Math.max(0, s2[c] - s1[c] * m);
            combine(c, before, mean[c], m2[c], nb, shift[c] + m, q);
            s1[c] = 0;
            s2[c] = 0;
        }
        liveRows = 0;
    }

    private void combine(int c, double na, double meanA, double m2A, double nb, double meanB, double m2B) {
        if (na == 0) {
            mean[c] = meanB;
            m2[c] = m2B;
            return;
        }
        double n = na + nb;
        double delta = meanB - meanA;
        mean[c] = meanA + delta * (nb / n);
        m2[c] = m2A + m2B + delta * delta * (na * (nb / n));
    }

    /** Adds the rows of another partial with the same columns and bins. */
    public ColumnProfiles merge(ColumnProfiles other) {
        if (other.features != features || other.outputs != outputs || other.sampling() != sampling()
                || other.hist.length != hist.length) {
            throw new IllegalArgumentException("profiles of different columns or bins cannot be merged");
        }
        fold();
        other.fold();
        double na = rows;
        double nb = other.rows;
        if (nb > 0) {
            for (int c = 0; c < mean.length; c++) {
                combine(c, na, mean[c], m2[c], nb, other.mean[c], other.m2[c]);
                min[c] = Math.min(min[c], other.min[c]);
                max[c] = Math.max(max[c], other.max[c]);
            }
        }
        rows += other.rows;
        for (int i = 0; i < hist.length; i++) {
            hist[i] += other.hist[i];
        }
        for (int f = 0; f < features; f++) {
            missing[f] += other.missing[f];
        }
        if (sampling()) {
            for (int i = 0; i < other.sampleSize; i++) {
                offer(other.samplePriority[i], other.sampleRows[i]);
            }
        }
        return this;
    }

    /** The rows profiled (scored rows whose outputs were finite). */
    public long rows() {
        return rows;
    }

    /**
     * One column's profile.
     *
     * @param count the rows with a value (the scored rows)
     * @param missing features: rows quarantined because this feature was missing, empty, not a number or not finite
     *     (a row is quarantined at its first bad feature); outputs: 0
     * @param std the population standard deviation (NaN without rows)
     * @param edges the inner bin edges
     * @param counts rows per bin, {@code edges.length + 1} of them
     * @param sampled whether the counts are those of the sample that chose the bins
     */
    public record Column(int index, boolean output, long count, long missing, double mean, double std, double min,
                         double max, double[] edges, long[] counts, boolean sampled) {
        public Column {
            Objects.requireNonNull(edges, "edges");
            if (counts.length != edges.length + 1) {
                throw new IllegalArgumentException(counts.length + " bin counts for " + edges.length + " edges");
            }
        }
    }

    /**
     * The columns' profiles, features then outputs. When sampling, each column's edges are the
     * {@code i/bins} quantiles of the sample (the sample's ⌊i·k/bins⌋-th smallest value, i = 1 …
     * bins − 1), repeated values dropped, and its counts are the sample's.
     */
    public List<Column> columns(int bins) {
        fold();
        List<Column> out = new ArrayList<>();
        for (int c = 0; c < features + outputs; c++) {
            double[] e;
            long[] counts;
            boolean sampled = edges[c] == null;
            if (sampled) {
                double[] values = new double[sampleSize];
                for (int i = 0; i < sampleSize; i++) {
                    values[i] = sampleRows[i][c];
                }
                Arrays.sort(values);
                e = quantileEdges(values, bins);
                counts = histogram(values, e);
            } else {
                e = edges[c].clone();
                counts = Arrays.copyOfRange(hist, offset[c], offset[c + 1]);
            }
            boolean empty = rows == 0;
            out.add(new Column(c < features ? c : c - features, c >= features, rows, c < features ? missing[c] : 0,
                    empty ? Double.NaN : mean[c], empty ? Double.NaN : Math.sqrt(m2[c] / rows),
                    empty ? Double.NaN : min[c], empty ? Double.NaN : max[c], e, counts, sampled));
        }
        return out;
    }

    /** The inner edges at the {@code i/bins} quantiles of sorted values, without repeats. */
    public static double[] quantileEdges(double[] sorted, int bins) {
        if (sorted.length == 0) {
            return new double[0];
        }
        double[] e = new double[bins - 1];
        int m = 0;
        for (int i = 1; i < bins; i++) {
            double q = sorted[(int) ((long) i * sorted.length / bins)];
            if (m == 0 || q > e[m - 1]) {
                e[m++] = q;
            }
        }
        return Arrays.copyOf(e, m);
    }

    /** Counts values in the bins of {@code edges} (as {@link #addBlock} does). */
    public static long[] histogram(double[] values, double[] edges) {
        long[] counts = new long[edges.length + 1];
        for (double v : values) {
            int bin = 0;
            for (double x : edges) {
                bin += v >= x ? 1 : 0;
            }
            counts[bin]++;
        }
        return counts;
    }
}
