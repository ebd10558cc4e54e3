package io.annscore.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ColumnProfilesTest {

    private static final boolean[] ALL = {true, true, true, true, true, true, true, true};

    @Test
    void oneFeatureOneOutputByHand() {
        // Given feature values 2, 4, 4, 4, 5, 5, 7, 9 (mean 5, population variance 4: std 2) and
        // outputs 0.1 … 0.8, bins (−∞, 4) [4, 6) [6, +∞) for the feature and (−∞, 0.5) [0.5, +∞)
        ColumnProfiles p = new ColumnProfiles(1, 1, new double[][] {{4, 6}, {0.5}});
        double[] f = {2, 4, 4, 4, 5, 5, 7, 9};
        double[] o = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
        p.addBlock(f, o, 8, ALL);
        p.addMissing(0);
        List<ColumnProfiles.Column> c = p.columns(10);
        ColumnProfiles.Column feature = c.get(0);
        assertEquals(8, feature.count());
        assertEquals(1, feature.missing());
        assertEquals(5.0, feature.mean(), 1e-15);
        assertEquals(2.0, feature.std(), 1e-15);
        assertEquals(2.0, feature.min());
        assertEquals(9.0, feature.max());
        // 2 → bin 0; 4, 4, 4, 5, 5 → bin 1 (4 belongs to [4, 6)); 7, 9 → bin 2
        assertArrayEquals(new long[] {1, 5, 2}, feature.counts());
        assertFalse(feature.sampled());
        ColumnProfiles.Column output = c.get(1);
        assertTrue(output.output());
        assertEquals(0.45, output.mean(), 1e-15);
        assertArrayEquals(new long[] {4, 4}, output.counts());
        assertEquals(0, output.missing());
    }

    @Test
    void excludedRowsAreNotProfiled() {
        ColumnProfiles p = new ColumnProfiles(1, 0, new double[][] {{0}});
        p.addBlock(new double[] {-1, 5, 1}, new double[0], 3, new boolean[] {true, false, true});
        ColumnProfiles.Column c = p.columns(10).get(0);
        assertEquals(2, c.count());
        assertEquals(0.0, c.mean());
        assertArrayEquals(new long[] {1, 1}, c.counts());
    }

    @Test
    void anySplitMergesToTheWholeRun() {
        Random r = new Random(7);
        int n = 5000;
        double[] f = new double[n * 3];
        double[] o = new double[n];
        for (int i = 0; i < f.length; i++) {
            f[i] = 1e6 + r.nextGaussian() * 3;
        }
        for (int i = 0; i < n; i++) {
            o[i] = r.nextDouble();
        }
        double[][] edges = {{1e6 - 2, 1e6, 1e6 + 2}, {1e6}, {1e6 - 1, 1e6 + 1}, {0.25, 0.5, 0.75}};
        ColumnProfiles whole = new ColumnProfiles(3, 1, edges);
        add(whole, f, o, 0, n);
        ColumnProfiles a = new ColumnProfiles(3, 1, edges);
        ColumnProfiles b = new ColumnProfiles(3, 1, edges);
        ColumnProfiles c = new ColumnProfiles(3, 1, edges);
        add(a, f, o, 0, 1234);
        add(b, f, o, 1234, 4000);
        add(c, f, o, 4000, n);
        b.merge(c);
        a.merge(b);
        List<ColumnProfiles.Column> x = whole.columns(10);
        List<ColumnProfiles.Column> y = a.columns(10);
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(x.get(k).counts(), y.get(k).counts());
            assertEquals(x.get(k).mean(), y.get(k).mean(), 1e-9);
            assertEquals(x.get(k).std(), y.get(k).std(), 1e-9);
            assertEquals(x.get(k).min(), y.get(k).min());
            assertEquals(x.get(k).max(), y.get(k).max());
        }
        // the mean and std against a direct two-pass computation
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += f[i * 3];
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (f[i * 3] - mean) * (f[i * 3] - mean);
        }
        assertEquals(mean, x.get(0).mean(), 1e-9);
        assertEquals(Math.sqrt(ss / n), x.get(0).std(), 1e-9);
        long total = 0;
        for (long v : x.get(0).counts()) {
            total += v;
        }
        assertEquals(n, total);
    }

    private static void add(ColumnProfiles p, double[] f, double[] o, int from, int to) {
        int width = f.length / o.length;
        for (int i = from; i < to; i += 8) {
            int k = Math.min(8, to - i);
            double[] fb = java.util.Arrays.copyOfRange(f, i * width, (i + k) * width);
            double[] ob = java.util.Arrays.copyOfRange(o, i, i + k);
            p.addBlock(fb, ob, k, ALL);
        }
    }

    @Test
    void aSmallRunIsItsOwnSampleAndTheEdgesAreItsQuantiles() {
        // Given the values 1 … 20 and 4 bins: edges at the 5th, 10th and 15th smallest (0-based
        // indices 5, 10, 15): 6, 11, 16; bins (−∞,6) [6,11) [11,16) [16,∞) hold 5 each
        ColumnProfiles p = new ColumnProfiles(1, 0, null);
        p.startPartition(0);
        double[] f = new double[20];
        for (int i = 0; i < 20; i++) {
            f[i] = i + 1;
        }
        for (int i = 0; i < 20; i += 4) {
            p.addBlock(java.util.Arrays.copyOfRange(f, i, i + 4), new double[0], 4, ALL);
        }
        ColumnProfiles.Column c = p.columns(4).get(0);
        assertTrue(c.sampled());
        assertArrayEquals(new double[] {6, 11, 16}, c.edges());
        assertArrayEquals(new long[] {5, 5, 5, 5}, c.counts());
        assertEquals(10.5, c.mean(), 1e-12);
    }

    @Test
    void theSampleDoesNotDependOnTheMergeOrder() {
        Random r = new Random(11);
        ColumnProfiles[] parts = new ColumnProfiles[4];
        for (int q = 0; q < 4; q++) {
            parts[q] = new ColumnProfiles(1, 0, null);
            parts[q].startPartition(q);
            for (int i = 0; i < 3000; i += 8) {
                double[] fb = new double[8];
                for (int k = 0; k < 8; k++) {
                    fb[k] = q + r.nextGaussian();
                }
                parts[q].addBlock(fb, new double[0], 8, ALL);
            }
        }
        ColumnProfiles one = copyOf(parts, new int[] {0, 1, 2, 3});
        ColumnProfiles two = copyOf(parts, new int[] {3, 1, 0, 2});
        assertArrayEquals(one.columns(10).get(0).edges(), two.columns(10).get(0).edges());
        long total = 0;
        for (long v : one.columns(10).get(0).counts()) {
            total += v;
        }
        assertEquals(ColumnProfiles.SAMPLE_ROWS, total);
    }

    private static ColumnProfiles copyOf(ColumnProfiles[] parts, int[] order) {
        ColumnProfiles total = new ColumnProfiles(1, 0, null);
        for (int i : order) {
            total.merge(roundTrip(parts[i]));
        }
        return total;
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T o) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(o);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theVectorApiAndTheLoopsFoldTheSameBits() {
        // 11 features and 2 outputs (not a whole number of vectors); columns with 9, 3 and 1 edges,
        // one sampled column; blocks of 1 … 8 rows with some rows left out
        Random r = new Random(5);
        int features = 11;
        double[][] edges = new double[features + 2][];
        for (int c = 0; c < edges.length; c++) {
            edges[c] = c == 4 ? null : c % 3 == 0 ? new double[] {-1.28, -0.84, -0.52, -0.25, 0, 0.25, 0.52, 0.84, 1.28}
                    : c % 3 == 1 ? new double[] {-1, 0, 1} : new double[] {0.5};
        }
        ColumnProfiles vector = new ColumnProfiles(features, 2, edges, true);
        ColumnProfiles loops = new ColumnProfiles(features, 2, edges, false);
        vector.startPartition(3);
        loops.startPartition(3);
        double[][] columns = new double[edges.length][];
        int kept = 0;
        double[] keptValues = new double[edges.length * 4000];
        for (int block = 0; block < 500; block++) {
            int n = 1 + r.nextInt(8);
            double[] fb = new double[n * features];
            double[] ob = new double[n * 2];
            boolean[] include = new boolean[n];
            for (int k = 0; k < n; k++) {
                include[k] = r.nextInt(5) > 0;
                boolean onEdge = r.nextInt(10) == 0; // every value of the row exactly on one of its column's edges
                for (int j = 0; j < features; j++) {
                    double[] e = edges[j] == null ? new double[] {0} : edges[j];
                    fb[k * features + j] = j == 7 ? 3 : onEdge ? e[r.nextInt(e.length)] : r.nextGaussian(); // column 7 is constant
                }
                ob[2 * k] = onEdge ? 0.5 : r.nextDouble();
                ob[2 * k + 1] = onEdge ? -0.25 : -r.nextDouble();
                if (include[k]) {
                    for (int j = 0; j < features; j++) {
                        keptValues[kept * edges.length + j] = fb[k * features + j];
                    }
                    keptValues[kept * edges.length + features] = ob[2 * k];
                    keptValues[kept * edges.length + features + 1] = ob[2 * k + 1];
                    kept++;
                }
            }
            vector.addBlock(fb, ob, n, include);
            loops.addBlock(fb, ob, n, include);
        }
        for (int c = 0; c < edges.length; c++) {
            columns[c] = new double[kept];
            for (int i = 0; i < kept; i++) {
                columns[c][i] = keptValues[i * edges.length + c];
            }
        }
        List<ColumnProfiles.Column> v = vector.columns(10);
        List<ColumnProfiles.Column> l = loops.columns(10);
        assertEquals(kept, vector.rows());
        for (int c = 0; c < edges.length; c++) {
            ColumnProfiles.Column a = v.get(c);
            ColumnProfiles.Column b = l.get(c);
            assertEquals(Double.doubleToRawLongBits(b.mean()), Double.doubleToRawLongBits(a.mean()), "column " + c);
            assertEquals(Double.doubleToRawLongBits(b.std()), Double.doubleToRawLongBits(a.std()), "column " + c);
            assertEquals(b.min(), a.min());
            assertEquals(b.max(), a.max());
            assertArrayEquals(b.edges(), a.edges());
            assertArrayEquals(b.counts(), a.counts(), "column " + c);
            double[] sorted = columns[c].clone();
            java.util.Arrays.sort(sorted);
            assertEquals(sorted[0], a.min());
            assertEquals(sorted[kept - 1], a.max());
            if (edges[c] != null) {
                assertArrayEquals(ColumnProfiles.histogram(columns[c], edges[c]), a.counts(), "column " + c);
            }
        }
        assertEquals(0.0, v.get(7).std(), 1e-12);
    }

    @Test
    void edgesMustAscend() {
        assertThrows(IllegalArgumentException.class, () -> new ColumnProfiles(1, 0, new double[][] {{1, 1}}));
        assertThrows(IllegalArgumentException.class, () -> new ColumnProfiles(2, 0, new double[][] {{1}}));
    }

    @Test
    void psiAndKsByHand() {
        // shares 0.5, 0.5 → 0.25, 0.75: PSI = (0.25 − 0.5)·ln(0.5) + (0.75 − 0.5)·ln(1.5)
        //   = 0.25·(ln 2 + ln 1.5) = 0.25·ln 3 = 0.274653…; KS = |0.25 − 0.5| = 0.25
        assertEquals(0.25 * Math.log(3), Drift.psi(new long[] {50, 50}, new long[] {25, 75}), 1e-15);
        assertEquals(0.25, Drift.ks(new long[] {50, 50}, new long[] {25, 75}), 1e-15);
        assertEquals(0.0, Drift.psi(new long[] {1, 2, 3}, new long[] {10, 20, 30}), 1e-15);
        // an empty bin counts as a share of 1e-4: (1e-4 − 0.5)·ln(1e-4/0.5) + (1 − 0.5)·ln(1/0.5)
        double expected = (1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2);
        assertEquals(expected, Drift.psi(new long[] {5, 5}, new long[] {0, 7}), 1e-12);
        assertTrue(Double.isNaN(Drift.psi(new long[] {0, 0}, new long[] {1, 1})));
        assertEquals(Drift.Level.ALARM, Drift.Level.of(0.3, 0.1, 0.25));
        assertEquals(Drift.Level.WARNING, Drift.Level.of(0.1, 0.1, 0.25));
        assertEquals(Drift.Level.OK, Drift.Level.of(Double.NaN, 0.1, 0.25));
    }
}
