package io.annscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeumaierSumTest {

    private static final double[] CLASSIC = {1e16, 1, -1e16, 1};

    @Test
    void classicCaseSumsToTwoInEveryOrderSplitAndMergeOrder() {
        // Kahan gives 1 for this order (it loses the first 1 when adding −1e16), which is why Neumaier is used.
        assertEquals(1.0, kahan(CLASSIC));
        for (double[] order : permutations(CLASSIC)) {
            // every split into contiguous parts: bit i set = cut after element i
            for (int cuts = 0; cuts < 8; cuts++) {
                List<NeumaierSum> parts = split(order, cuts);
                for (List<NeumaierSum> mergeOrder : permutationsOf(parts)) {
                    NeumaierSum total = new NeumaierSum();
                    for (NeumaierSum part : mergeOrder) {
                        total.merge(part);
                    }
                    assertEquals(2.0, total.value(), () -> "order " + Arrays.toString(order));
                }
            }
        }
    }

    @Test
    void randomPartialsMergedInAnyOrderMatchTheExactSum() {
        Random random = new Random(7);
        double[] values = new double[5000];
        BigDecimal exact = BigDecimal.ZERO;
        for (int i = 0; i < values.length; i++) {
            // wide dynamic range and mixed signs, where a naive sum loses digits
            values[i] = random.nextGaussian() * Math.pow(10, random.nextInt(12));
            exact = exact.add(new BigDecimal(values[i]));
        }
        for (int parts : new int[] {1, 2, 7, 50}) {
            List<NeumaierSum> partials = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                partials.add(new NeumaierSum());
            }
            for (double v : values) {
                partials.get(random.nextInt(parts)).add(v);
            }
            Collections.shuffle(partials, random);
            NeumaierSum total = new NeumaierSum();
            partials.forEach(total::merge);
            assertEquals(exact.doubleValue(), total.value(), Math.abs(exact.doubleValue()) * 1e-15);
        }
    }

    @Test
    void mergingWithItselfDoubles() {
        NeumaierSum s = new NeumaierSum();
        for (double v : CLASSIC) {
            s.add(v);
        }
        s.merge(s);
        assertEquals(4.0, s.value());
    }

    @Test
    void emptyIsZeroAndInfinityIsKept() {
        assertEquals(0.0, new NeumaierSum().value());
        NeumaierSum s = new NeumaierSum();
        s.add(1);
        s.add(Double.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, s.value());
    }

    private static double kahan(double[] values) {
        double sum = 0;
        double c = 0;
        for (double v : values) {
            double y = v - c;
            double t = sum + y;
            c = (t - sum) - y;
            sum = t;
        }
        return sum;
    }

    private static List<NeumaierSum> split(double[] values, int cuts) {
        List<NeumaierSum> parts = new ArrayList<>();
        NeumaierSum current = new NeumaierSum();
        for (int i = 0; i < values.length; i++) {
            current.add(values[i]);
            if (i == values.length - 1 || (cuts & (1 << i)) != 0) {
                parts.add(current);
                current = new NeumaierSum();
            }
        }
        return parts;
    }

    private static List<double[]> permutations(double[] values) {
        List<double[]> out = new ArrayList<>();
        for (List<Double> p : permutationsOf(Arrays.stream(values).boxed().toList())) {
            out.add(p.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return out;
    }

    private static <T> List<List<T>> permutationsOf(List<T> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T first = rest.remove(i);
            for (List<T> tail : permutationsOf(rest)) {
                List<T> p = new ArrayList<>();
                p.add(first);
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }
}
