package io.annscore.metrics;

import io.annscore.network.Scorer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
 * Chan, Golub and LeVeque. A block's rows are folded column by column ({@link #addRows}), by the
 * Vector API when the JVM has it (as {@link Scorer} chooses: {@code -Dannscore.kernel}).
 *
 * <p>Mutable, not thread-safe.
 */
public final class ColumnProfiles implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rows kept by the bottom-k sample when the bins are not known. */
    public static final int SAMPLE_ROWS = 1024;

    /** The padding of the rows: a whole number of vectors of doubles for any vector size up to 512 bits. */
    private static final int PAD = 8;

    private final int features;
    private final int outputs;
    private final double[][] edges;
    /** Columns (features, then outputs) rounded up to whole vectors: each row is folded from a copy padded with 0. */
    private final int width;
    private final int maxEdges;
    /** Edge i of column c at [i·width + c]; +∞ where a column has fewer edges (no finite value reaches those). */
    private final double[] edgeRows;
    /** Column c's bin b at [c·(maxEdges + 1) + b]; a sampled column counts all in its bin 0, unread. */
    private final long[] hist;
    private final long[] missing;
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
    /** Whether rows are folded by the Vector API ({@link Vectorized}) or by the loops: the same bits. */
    private final boolean vector;
    /** A block's included rows, each padded to {@link #width}. */
    private transient double[] block;
    private transient double[] bins;

    /**
     * @param edges per column (features, then outputs) its ascending inner bin edges, null for a
     *     column whose bins are chosen at the end from the sample; null for all of them
     */
    public ColumnProfiles(int features, int outputs, double[][] edges) {
        this(features, outputs, edges, Scorer.vectorKernelChosen());
    }

    ColumnProfiles(int features, int outputs, double[][] edges, boolean vector) {
        this.features = features;
        this.outputs = outputs;
        this.vector = vector;
        int n = features + outputs;
        if (edges != null && edges.length != n) {
            throw new IllegalArgumentException("bin edges for " + edges.length + " columns, the profile has " + n);
        }
        this.edges = edges == null ? new double[n][] : edges.clone();
        boolean sample = false;
        int most = 0;
        for (int c = 0; c < n; c++) {
            double[] e = this.edges[c];
            sample |= e == null;
            most = Math.max(most, e == null ? 0 : checkEdges(e, c).length);
        }
        width = (n + PAD - 1) / PAD * PAD;
        maxEdges = most;
        edgeRows = new double[maxEdges * width];
        Arrays.fill(edgeRows, Double.POSITIVE_INFINITY);
        for (int c = 0; c < n; c++) {
            double[] e = this.edges[c];
            for (int i = 0; e != null && i < e.length; i++) {
                edgeRows[i * width + c] = e[i];
            }
        }
        hist = new long[n * (maxEdges + 1)];
        missing = new long[features];
        shift = new double[width];
        s1 = new double[width];
        s2 = new double[width];
        mean = new double[n];
        m2 = new double[n];
        min = new double[width];
        max = new double[width];
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
        if (block == null || block.length < n * width) {
            block = new double[n * width]; // the padding stays 0
            bins = new double[n * width];
        }
        int m = 0;
        for (int k = 0; k < n; k++) {
            if (!include[k]) {
                continue;
            }
            System.arraycopy(featureBlock, k * features, block, m * width, features);
            System.arraycopy(outputBlock, k * outputs, block, m * width + features, outputs);
            m++;
            if (samplePriority != null) {
                sample(featureBlock, k, outputBlock);
            }
            rowNumber++;
        }
        if (m == 0) {
            return;
        }
        if (liveRows == 0) {
            System.arraycopy(block, 0, shift, 0, width);
        }
        liveRows += m;
        rows += m;
        if (vector) {
            Vectorized.addRows(this, m);
        } else {
            addRows(m);
        }
        int columns = features + outputs;
        int stride = maxEdges + 1;
        for (int r = 0; r < m; r++) {
            for (int c = 0, at = r * width; c < columns; c++) {
                hist[c * stride + (int) bins[at + c]]++;
            }
        }
    }

    /**
     * Folds the first m rows of {@link #block} into the shifted sums, the min and the max, and puts
     * each value's bin in {@link #bins}. Per value: a subtraction, two additions, a min, a max and
     * one comparison per edge, with no division and no branch on the data.
     */
    private void addRows(int m) {
        double[] v = block;
        for (int r = 0; r < m; r++) {
            int row = r * width;
            for (int c = 0; c < width; c++) {
                double x = v[row + c];
                double d = x - shift[c];
                s1[c] += d;
                s2[c] += d * d;
                min[c] = Math.min(min[c], x);
                max[c] = Math.max(max[c], x);
            }
            for (int c = 0; c < width; c++) {
                double x = v[row + c];
                int bin = 0;
                for (int i = 0, e = c; i < maxEdges; i++, e += width) {
                    bin += x >= edgeRows[e] ? 1 : 0;
                }
                bins[row + c] = bin;
            }
        }
    }

    /** {@link #addRows} a vector of columns at a time: the same operations in the same order, so the same bits. */
    private static final class Vectorized {
        private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

        static void addRows(ColumnProfiles p, int m) {
            double[] v = p.block;
            int width = p.width;
            int edges = p.maxEdges;
            DoubleVector one = DoubleVector.broadcast(D, 1);
            for (int c = 0; c < width; c += D.length()) {
                DoubleVector sh = DoubleVector.fromArray(D, p.shift, c);
                DoubleVector a = DoubleVector.fromArray(D, p.s1, c);
                DoubleVector b = DoubleVector.fromArray(D, p.s2, c);
                DoubleVector lo = DoubleVector.fromArray(D, p.min, c);
                DoubleVector hi = DoubleVector.fromArray(D, p.max, c);
                for (int r = 0, at = c; r < m; r++, at += width) {
                    DoubleVector x = DoubleVector.fromArray(D, v, at);
                    DoubleVector d = x.sub(sh);
                    a = a.add(d);
                    b = b.add(d.mul(d));
                    lo = lo.min(x);
                    hi = hi.max(x);
                    DoubleVector bin = DoubleVector.zero(D);
                    for (int i = 0, e = c; i < edges; i++, e += width) {
                        bin = bin.add(one, x.compare(VectorOperators.GE, DoubleVector.fromArray(D, p.edgeRows, e)));
                    }
                    bin.intoArray(p.bins, at);
                }
                a.intoArray(p.s1, c);
                b.intoArray(p.s2, c);
                lo.intoArray(p.min, c);
                hi.intoArray(p.max, c);
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
                counts = Arrays.copyOfRange(hist, c * (maxEdges + 1), c * (maxEdges + 1) + e.length + 1);
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
