package io.annscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningMomentsTest {

    @Test
    void smallHandComputedExample() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 40/8 = 5; deviations −3, −1, −1, −1, 0, 0, 2, 4;
        // M2 = 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32; population variance 32/8 = 4
        RunningMoments m = new RunningMoments();
        for (double x : new double[] {2, 4, 4, 4, 5, 5, 7, 9}) {
            m.add(x);
        }
        assertEquals(8, m.count());
        assertEquals(5.0, m.mean(), 1e-15);
        assertEquals(32.0, m.sumOfSquaredDeviations(), 1e-13);
        assertEquals(4.0, m.variance(), 1e-14);
    }

    @Test
    void emptyHasNoMean() {
        RunningMoments m = new RunningMoments();
        assertTrue(Double.isNaN(m.mean()));
        assertTrue(Double.isNaN(m.variance()));
        assertEquals(0.0, m.sumOfSquaredDeviations());
    }

    @Test
    void valuesAround1e9KeepTheirSpreadInAnySplit() {
        Random random = new Random(3);
        double[] values = new double[4000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e9 + random.nextDouble() * 10;
        }
        double exact = twoPassSumOfSquares(values);
        // a raw sum of squares would be off by far more than the whole spread here
        for (int parts : new int[] {1, 2, 7, 50}) {
            List<RunningMoments> partials = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                partials.add(new RunningMoments());
            }
            for (double v : values) {
                partials.get(random.nextInt(parts)).add(v);
            }
            Collections.shuffle(partials, random);
            RunningMoments total = new RunningMoments();
            partials.forEach(total::merge);
            assertEquals(values.length, total.count());
            assertEquals(exact, total.sumOfSquaredDeviations(), exact * 1e-12, "parts " + parts);
        }
    }

    @Test
    void mergingWithItselfDoublesTheCountAndM2() {
        // 1, 3: mean 2, M2 = 1 + 1 = 2; twice (1, 3, 1, 3): mean 2, M2 = 4
        RunningMoments m = new RunningMoments();
        m.add(1);
        m.add(3);
        m.merge(m);
        assertEquals(4, m.count());
        assertEquals(2.0, m.mean());
        assertEquals(4.0, m.sumOfSquaredDeviations());
    }

    /** Σ (x − x̄)² with the exact mean, in BigDecimal. */
    static double twoPassSumOfSquares(double[] values) {
        MathContext mc = new MathContext(60);
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v));
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(values.length), mc);
        BigDecimal squares = BigDecimal.ZERO;
        for (double v : values) {
            BigDecimal d = new BigDecimal(v).subtract(mean);
            squares = squares.add(d.multiply(d, mc));
        }
        return squares.doubleValue();
    }
}
