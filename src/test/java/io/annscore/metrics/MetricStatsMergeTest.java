package io.annscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.annscore.network.Task;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Merging partials in any split and order, serialization, and allocation on add. */
class MetricStatsMergeTest {

    private static final int[] PARTS = {1, 2, 7, 50};

    /** One row: outputs, labels and weight. */
    private record Row(double[] outputs, double[] labels, double weight) {
        Row(double[] outputs, double[] labels) {
            this(outputs, labels, 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Task.class)
    void anySplitAndMergeOrderGivesTheSameResults(Task task) {
        Random random = new Random(11 + task.ordinal());
        List<Row> rows = randomRows(task, 3000, random);
        Map<Metric, Double> whole = fill(stats(task), rows).results();
        for (int parts : PARTS) {
            for (int repeat = 0; repeat < 3; repeat++) {
                Map<Metric, Double> merged = mergeRandomly(splitAtRandomCuts(() -> stats(task), rows, parts, random), random).results();
                assertSameResults(whole, merged, 1e-12, task + " in " + parts + " parts");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Task.class)
    void weightedRowsMergeTheSameWayAndEveryReportAgrees(Task task) {
        Random random = new Random(31 + task.ordinal());
        List<Row> rows = randomRows(task, 3000, random).stream()
                .map(r -> new Row(r.outputs(), r.labels(), random.nextInt(10) == 0 ? 0 : 3 * random.nextDouble()))
                .toList();
        MetricStats single = fill(stats(task), rows);
        for (int parts : PARTS) {
            MetricStats merged = mergeRandomly(splitAtRandomCuts(() -> stats(task), rows, parts, random), random);
            String what = task + " weighted, " + parts + " parts";
            assertSameResults(single.results(), merged.results(), 1e-12, what);
            assertSameResults(single.errorBounds(), merged.errorBounds(), 1e-12, what + " bounds");
            assertEquals(single.weight(), merged.weight(), single.weight() * 1e-15, what);
            if (task != Task.REGRESSION) {
                double[][] a = single.classReport().confusion();
                double[][] b = merged.classReport().confusion();
                for (int i = 0; i < a.length; i++) {
                    for (int j = 0; j < a.length; j++) {
                        assertEquals(a[i][j], b[i][j], Math.abs(a[i][j]) * 1e-15, what + " confusion");
                    }
                }
            }
            assertEquals(single.thresholdReport().size(), merged.thresholdReport().size());
            for (int i = 0; i < single.thresholdReport().size(); i++) {
                assertEquals(single.thresholdReport().get(i).f1(), merged.thresholdReport().get(i).f1(), 1e-15, what);
            }
        }
    }

    @Test
    void r2WithLabelsAround1e9MatchesATwoPassReference() {
        Random random = new Random(5);
        int n = 3000;
        double[] labels = new double[n];
        List<Row> rows = new ArrayList<>();
        BigDecimal residualSquares = BigDecimal.ZERO;
        for (int i = 0; i < n; i++) {
            labels[i] = 1e9 + random.nextDouble() * 10;             // spread ≈ 2.9, mean ≈ 1e9 + 5
            double prediction = labels[i] + random.nextGaussian();  // R² ≈ 1 − 1 / 8.3 ≈ 0.88
            BigDecimal error = new BigDecimal(prediction).subtract(new BigDecimal(labels[i]));
            residualSquares = residualSquares.add(error.multiply(error));
            rows.add(new Row(new double[] {prediction}, new double[] {labels[i]}));
        }
        double expected = 1 - residualSquares.doubleValue() / RunningMomentsTest.twoPassSumOfSquares(labels);
        for (int parts : PARTS) {
            MetricStats merged = mergeRandomly(splitAtRandomCuts(
                    () -> MetricStats.create(Task.REGRESSION, 1, 0.5, List.of(Metric.R2)), rows, parts, random), random);
            assertEquals(expected, merged.results().get(Metric.R2), Math.abs(expected) * 1e-12, parts + " parts");
        }
    }

    @ParameterizedTest
    @EnumSource(Task.class)
    void javaSerializationKeepsAPartialResult(Task task) throws Exception {
        Random random = new Random(17);
        List<Row> rows = randomRows(task, 200, random);
        MetricStats original = fill(stats(task), rows.subList(0, 120));
        MetricStats copy = roundTrip(original);
        assertEquals(original.results(), copy.results());
        assertEquals(original.rows(), copy.rows());
        // the copy goes on accumulating and merging like the original
        List<Row> rest = rows.subList(120, 200);
        fill(original, rest);
        copy.merge(fill(stats(task), rest));
        assertSameResults(original.results(), copy.results(), 1e-15, task.id());
    }

    @Test
    void addAllocatesNothing() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        for (Task task : Task.values()) {
            List<Row> rows = randomRows(task, 1000, new Random(1));
            MetricStats s = stats(task);
            fill(s, rows); // warm up
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 100; i++) {
                for (Row r : rows) {
                    s.add(r.outputs(), r.labels());
                }
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            // 100 000 rows; a single boxed double per row would be 1.6 MB
            assertTrue(allocated < 10_000, task + " allocated " + allocated + " bytes");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static MetricStats stats(Task task) {
        int outputs = switch (task) {
            case REGRESSION -> 3;
            case BINARY -> 1;
            case MULTICLASS -> 4;
        };
        return MetricStats.create(task, outputs, 0.5,
                List.of(Metric.values()).stream().filter(m -> m.appliesTo(task)).toList(), List.of(0.2, 0.7), 2);
    }

    private static List<Row> randomRows(Task task, int n, Random random) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            switch (task) {
                case REGRESSION -> {
                    double[] labels = {100 + 20 * random.nextGaussian(), random.nextGaussian(), 1e6 * random.nextDouble()};
                    double[] outputs = {labels[0] + 10 * random.nextGaussian(), labels[1] + 0.5 * random.nextGaussian(),
                        labels[2] * (1 + 0.1 * random.nextGaussian())};
                    rows.add(new Row(outputs, labels));
                }
                case BINARY -> {
                    double p = random.nextDouble();
                    rows.add(new Row(new double[] {p}, new double[] {random.nextDouble() < p ? 1 : 0}));
                }
                case MULTICLASS -> {
                    double[] p = new double[4];
                    double sum = 0;
                    for (int j = 0; j < p.length; j++) {
                        p[j] = Math.exp(2 * random.nextGaussian());
                        sum += p[j];
                    }
                    for (int j = 0; j < p.length; j++) {
                        p[j] /= sum;
                    }
                    rows.add(new Row(p, new double[] {random.nextInt(4)}));
                }
            }
        }
        return rows;
    }

    private static MetricStats fill(MetricStats s, List<Row> rows) {
        for (Row r : rows) {
            s.add(r.outputs(), r.labels(), r.weight());
        }
        return s;
    }

    /** Contiguous chunks between random cut points, as Spark partitions are. */
    private static List<MetricStats> splitAtRandomCuts(Supplier<MetricStats> empty, List<Row> rows, int parts,
            Random random) {
        int[] cuts = random.ints(0, rows.size() + 1).distinct().limit(parts - 1).sorted().toArray();
        List<MetricStats> partials = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : rows.size();
            partials.add(fill(empty.get(), rows.subList(from, to)));
            from = to;
        }
        return partials;
    }

    /** Merges random pairs until one is left: any tree shape, any order. */
    private static MetricStats mergeRandomly(List<MetricStats> partials, Random random) {
        List<MetricStats> left = new ArrayList<>(partials);
        while (left.size() > 1) {
            MetricStats a = left.remove(random.nextInt(left.size()));
            MetricStats b = left.remove(random.nextInt(left.size()));
            left.add(a.merge(b));
        }
        return left.get(0);
    }

    private static void assertSameResults(Map<Metric, Double> expected, Map<Metric, Double> actual,
            double relative, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        expected.forEach((metric, value) -> assertEquals(value, actual.get(metric),
                Math.abs(value) * relative, what + ": " + metric.id()));
    }

    private static MetricStats roundTrip(MetricStats s) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (MetricStats) in.readObject();
        }
    }
}
