package io.annscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The histogram's curve areas against exact ones computed here the slow way (every pair for ROC AUC;
 * a sort of the scores with ties grouped for the precision-recall areas), and its error bounds.
 */
class ScoreHistogramTest {

    /** Scores, classes and weights of a data set. */
    private record Data(double[] p, boolean[] positive, double[] w) {
        ScoreHistogram histogram(int maxBins) {
            ScoreHistogram h = new ScoreHistogram(maxBins);
            for (int i = 0; i < p.length; i++) {
                h.add(p[i], positive[i], w[i]);
            }
            return h;
        }
    }

    @Test
    void handComputedSmallCase() {
        // scores .1 (neg), .4 (pos), .35 (neg), .8 (pos): pairs (pos > neg) 4 of 4 except .4 > .35 yes → 1.0
        Data d = new Data(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, true, false, true},
                new double[] {1, 1, 1, 1});
        ScoreHistogram h = d.histogram(ScoreHistogram.DEFAULT_MAX_BINS);
        assertEquals(new ScoreHistogram.Area(1.0, 0.0), h.rocAuc());
        assertEquals(new ScoreHistogram.Area(1.0, 0.0), h.averagePrecision());
        assertEquals(new ScoreHistogram.Area(1.0, 0.0), h.prAuc());
        // scores .1 (pos), .4 (neg), .8 (pos): ROC 1 of 2 pairs; AP: t=.8 R=.5 P=1; t=.1 R=1 P=2/3 → .5 + 1/3
        // trapezoid: (0,1) (.5,1) (.5,.5) (1,2/3): .5·1 + 0 + .5·(.5 + 2/3)/2
        Data e = new Data(new double[] {0.1, 0.4, 0.8}, new boolean[] {true, false, true}, new double[] {1, 1, 1});
        ScoreHistogram g = e.histogram(ScoreHistogram.DEFAULT_MAX_BINS);
        assertEquals(0.5, g.rocAuc().value(), 1e-15);
        assertEquals(0.5 + 1.0 / 3, g.averagePrecision().value(), 1e-15);
        assertEquals(0.5 + 0.5 * (0.5 + 2.0 / 3) / 2, g.prAuc().value(), 1e-15);
    }

    @Test
    void tiesCountHalfAndAreExact() {
        // one distinct score for all: ROC ½; AP = precision = share of positives; trapezoid the same
        Data d = new Data(new double[] {0.3, 0.3, 0.3, 0.3}, new boolean[] {true, false, false, false},
                new double[] {1, 1, 1, 1});
        ScoreHistogram h = d.histogram(ScoreHistogram.DEFAULT_MAX_BINS);
        assertEquals(new ScoreHistogram.Area(0.5, 0.0), h.rocAuc());
        assertEquals(new ScoreHistogram.Area(0.25, 0.0), h.averagePrecision());
        assertEquals(new ScoreHistogram.Area(0.25, 0.0), h.prAuc());
    }

    @Test
    void undefinedWithoutBothClasses() {
        Data d = new Data(new double[] {0.3, 0.6}, new boolean[] {false, false}, new double[] {1, 1});
        ScoreHistogram h = d.histogram(ScoreHistogram.DEFAULT_MAX_BINS);
        assertTrue(Double.isNaN(h.rocAuc().value()));
        assertTrue(Double.isNaN(h.averagePrecision().value()));
        assertTrue(Double.isNaN(h.prAuc().value()));
        assertTrue(Double.isNaN(new ScoreHistogram().rocAuc().value()));
    }

    @Test
    void fewDistinctScoresAreExact() {
        Random random = new Random(3);
        Data d = random(random, 5000, () -> Math.round(random.nextDouble() * 20) / 20.0, false);
        checkAgainstExact(d, d.histogram(ScoreHistogram.DEFAULT_MAX_BINS), 1e-12, true);
    }

    @Test
    void continuousScoresAreWithinTheBoundAndTheBoundIsTiny() {
        Random random = new Random(4);
        Data d = random(random, 4000, random::nextDouble, true);
        ScoreHistogram h = d.histogram(ScoreHistogram.DEFAULT_MAX_BINS);
        checkAgainstExact(d, h, 1e-12, false);
        assertTrue(h.rocAuc().errorBound() <= 1e-6, "bound " + h.rocAuc().errorBound());
        assertTrue(h.averagePrecision().errorBound() <= 1e-6, "bound " + h.averagePrecision().errorBound());
        assertTrue(h.prAuc().errorBound() <= 1e-6, "bound " + h.prAuc().errorBound());
    }

    @Test
    void saturatedScoresWithin1e12OfZeroAndOneStayWithinTheBound() {
        // naive-Bayes-like: the scores of both classes crowd at 1e-13..1e-12 from 0 and from 1
        Random random = new Random(5);
        Data d = random(random, 3000, () -> {
            double tail = 1e-13 + 9e-13 * random.nextDouble();
            return random.nextBoolean() ? tail : 1 - tail;
        }, false);
        ScoreHistogram h = d.histogram(ScoreHistogram.DEFAULT_MAX_BINS);
        checkAgainstExact(d, h, 1e-12, false);
        assertEquals(0, h.level());
        assertTrue(h.rocAuc().errorBound() <= 1e-6, "bound " + h.rocAuc().errorBound());
        assertTrue(h.averagePrecision().errorBound() <= 1e-6, "bound " + h.averagePrecision().errorBound());
        assertTrue(h.prAuc().errorBound() <= 1e-6, "bound " + h.prAuc().errorBound());
    }

    @Test
    void scoresNextToOneAreExact() {
        // within 1e-12 of 1 the doubles are 1.1e-16 apart, wider than a bin: one distinct score per bin
        Random random = new Random(9);
        Data d = random(random, 3000, () -> 1 - 1e-12 * random.nextDouble(), false);
        checkAgainstExact(d, d.histogram(ScoreHistogram.DEFAULT_MAX_BINS), 1e-12, true);
    }

    @Test
    void zeroAndOneHaveBinsOfTheirOwn() {
        Data d = new Data(new double[] {0, 1e-300, 1 - 0x1p-53, 1, 0.5}, new boolean[] {false, true, false, true, true},
                new double[] {1, 1, 1, 1, 1});
        ScoreHistogram h = d.histogram(ScoreHistogram.DEFAULT_MAX_BINS);
        assertEquals(5, h.bins());
        checkAgainstExact(d, h, 1e-15, true);
    }

    @Test
    void coarsenedBinsStayWithinTheirBound() {
        Random random = new Random(6);
        Data d = random(random, 3000, random::nextDouble, true);
        ScoreHistogram h = d.histogram(64);
        assertTrue(h.bins() <= 64);
        assertTrue(h.level() > 0);
        assertTrue(h.rocAuc().errorBound() > 0);
        checkAgainstExact(d, h, 1e-12, false);
    }

    @Test
    void anySplitAndMergeOrderGivesTheSameAreas() {
        Random random = new Random(7);
        Data d = random(random, 6000, random::nextDouble, true);
        for (int maxBins : new int[] {ScoreHistogram.DEFAULT_MAX_BINS, 200}) {
            ScoreHistogram whole = d.histogram(maxBins);
            for (int parts : new int[] {2, 7, 40}) {
                List<ScoreHistogram> partials = new ArrayList<>();
                int[] cuts = random.ints(1, d.p.length).distinct().limit(parts - 1).sorted().toArray();
                int from = 0;
                for (int c = 0; c <= cuts.length; c++) {
                    int to = c < cuts.length ? cuts[c] : d.p.length;
                    ScoreHistogram part = new ScoreHistogram(maxBins);
                    for (int i = from; i < to; i++) {
                        part.add(d.p[i], d.positive[i], d.w[i]);
                    }
                    partials.add(part);
                    from = to;
                }
                while (partials.size() > 1) {
                    ScoreHistogram a = partials.remove(random.nextInt(partials.size()));
                    ScoreHistogram b = partials.remove(random.nextInt(partials.size()));
                    a.merge(b);
                    partials.add(a);
                }
                ScoreHistogram merged = partials.get(0);
                String what = maxBins + " bins, " + parts + " parts";
                assertEquals(whole.level(), merged.level(), what);
                assertEquals(whole.bins(), merged.bins(), what);
                assertArea(whole.rocAuc(), merged.rocAuc(), what);
                assertArea(whole.averagePrecision(), merged.averagePrecision(), what);
                assertArea(whole.prAuc(), merged.prAuc(), what);
            }
        }
    }

    @Test
    void serializationKeepsTheBins() throws Exception {
        Random random = new Random(8);
        Data d = random(random, 500, random::nextDouble, true);
        ScoreHistogram h = d.histogram(ScoreHistogram.DEFAULT_MAX_BINS);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(h);
        }
        assertTrue(bytes.size() < 500 * 40 + 1000, "compact: " + bytes.size() + " bytes"); // not the table's capacity
        ScoreHistogram copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ScoreHistogram) in.readObject();
        }
        assertEquals(h.rocAuc(), copy.rocAuc());
        assertEquals(h.averagePrecision(), copy.averagePrecision());
        assertEquals(h.prAuc(), copy.prAuc());
        copy.add(0.5, true, 1); // still usable
        assertEquals(h.bins() + 1, copy.bins());
    }

    @Test
    void refusesItselfAndOtherSizes() {
        ScoreHistogram h = new ScoreHistogram();
        assertThrows(IllegalArgumentException.class, () -> h.merge(h));
        assertThrows(IllegalArgumentException.class, () -> h.merge(new ScoreHistogram(100)));
        assertThrows(IllegalArgumentException.class, () -> new ScoreHistogram(1));
    }

    @Test
    void binsAreOrderedByScore() {
        double[] ps = {0, 1e-300, 1e-20, 1e-12, 1e-3, 0.25, 0.5, 0.500001, 0.75, 1 - 1e-12, 1 - 0x1p-53, 1};
        for (int i = 1; i < ps.length; i++) {
            assertTrue(ScoreHistogram.finestKey(ps[i - 1]) < ScoreHistogram.finestKey(ps[i]), "at " + ps[i]);
        }
        assertEquals(0, ScoreHistogram.finestKey(0.5));
        assertEquals(-1, ScoreHistogram.finestKey(Math.nextDown(0.5)));
        // logit(.5 + 1e-10) ≈ 4e-10, under one bin's width 2^−20: the same bin as .5
        assertEquals(0, ScoreHistogram.finestKey(0.5000000001));
        // and the key never decreases over a sweep of neighbouring doubles
        double p = 0.3;
        long previous = ScoreHistogram.finestKey(p);
        for (int i = 0; i < 100_000; i++) {
            p = Math.nextUp(p);
            long key = ScoreHistogram.finestKey(p);
            assertTrue(key >= previous, "at " + p);
            previous = key;
        }
    }

    // ---- exact references ---------------------------------------------------------------------------------

    private static void checkAgainstExact(Data d, ScoreHistogram h, double rounding, boolean exact) {
        check("roc_auc", exactRocAuc(d), h.rocAuc(), rounding, exact);
        check("average_precision", exactPrecisionRecall(d, false), h.averagePrecision(), rounding, exact);
        check("pr_auc", exactPrecisionRecall(d, true), h.prAuc(), rounding, exact);
    }

    private static void check(String what, double exact, ScoreHistogram.Area area, double rounding, boolean isExact) {
        if (isExact) {
            assertEquals(0.0, area.errorBound(), what + " bound");
        }
        assertTrue(Math.abs(exact - area.value()) <= area.errorBound() + rounding,
                what + ": exact " + exact + ", histogram " + area.value() + " ± " + area.errorBound());
    }

    private static void assertArea(ScoreHistogram.Area expected, ScoreHistogram.Area actual, String what) {
        assertEquals(expected.value(), actual.value(), 1e-12 * Math.abs(expected.value()), what);
        assertEquals(expected.errorBound(), actual.errorBound(), 1e-12 * Math.abs(expected.errorBound()) + 1e-300, what);
    }

    /** Every (positive, negative) pair. */
    static double exactRocAuc(Data d) {
        double sum = 0;
        double pos = 0;
        double neg = 0;
        for (int i = 0; i < d.p.length; i++) {
            if (d.positive[i]) {
                pos += d.w[i];
            } else {
                neg += d.w[i];
            }
        }
        for (int i = 0; i < d.p.length; i++) {
            if (!d.positive[i]) {
                continue;
            }
            for (int j = 0; j < d.p.length; j++) {
                if (!d.positive[j]) {
                    double share = d.p[i] > d.p[j] ? 1 : d.p[i] == d.p[j] ? 0.5 : 0;
                    sum += d.w[i] * d.w[j] * share;
                }
            }
        }
        return sum / (pos * neg);
    }

    /** Sorted, ties grouped: average precision, or MLlib's trapezoidal area with its (0, first precision). */
    static double exactPrecisionRecall(Data d, boolean trapezoid) {
        Integer[] order = new Integer[d.p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> d.p[i]).reversed());
        double totalPositive = 0;
        for (int i = 0; i < d.p.length; i++) {
            totalPositive += d.positive[i] ? d.w[i] : 0;
        }
        double tp = 0;
        double fp = 0;
        double area = 0;
        double previousRecall = 0;
        double previousPrecision = Double.NaN;
        int i = 0;
        while (i < order.length) {
            double t = d.p[order[i]];
            while (i < order.length && d.p[order[i]] == t) {
                int r = order[i++];
                if (d.positive[r]) {
                    tp += d.w[r];
                } else {
                    fp += d.w[r];
                }
            }
            double recall = tp / totalPositive;
            double precision = tp / (tp + fp);
            if (trapezoid) {
                double left = Double.isNaN(previousPrecision) ? precision : previousPrecision;
                area += (recall - previousRecall) * (left + precision) / 2;
            } else {
                area += (recall - previousRecall) * precision;
            }
            previousRecall = recall;
            previousPrecision = precision;
        }
        return area;
    }

    /** Labels drawn so that higher scores are more often positive; weights 1, or random in [0, 3). */
    private static Data random(Random random, int n, java.util.function.DoubleSupplier score, boolean weighted) {
        double[] p = new double[n];
        boolean[] positive = new boolean[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = score.getAsDouble();
            double odds = p[i] > 0.5 ? 0.7 : 0.3;
            positive[i] = random.nextDouble() < odds;
            w[i] = weighted ? 3 * random.nextDouble() : 1;
        }
        return new Data(p, positive, w);
    }
}
