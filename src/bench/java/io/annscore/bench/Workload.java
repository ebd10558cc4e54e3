package io.annscore.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One network shape and the row counts it is timed at.
 *
 * <p>Written on the command line as {@code LAYERS:SMALL:LARGE}, for example
 * {@code 32-64-32-4:20000:2000000}: the first layer size is the number of features, the last the
 * number of classes; the hidden layers use the sigmoid, the output layer softmax (the only kind of
 * network MLlib's {@code MultilayerPerceptronClassifier} builds). Two sizes separate the fixed
 * start-up cost of a run from its marginal cost per row.
 *
 * @param layers layer sizes, input layer first
 * @param smallRows the smaller row count
 * @param largeRows the larger row count
 */
public record Workload(int[] layers, long smallRows, long largeRows) {

    public Workload {
        if (layers.length < 2) {
            throw new IllegalArgumentException("a network needs at least an input and an output layer: "
                    + Arrays.toString(layers));
        }
        for (int size : layers) {
            if (size <= 0) {
                throw new IllegalArgumentException("layer sizes must be positive: " + Arrays.toString(layers));
            }
        }
        if (layers[layers.length - 1] < 2) {
            throw new IllegalArgumentException("a softmax output layer needs at least 2 classes");
        }
        if (smallRows <= 0 || largeRows <= smallRows) {
            throw new IllegalArgumentException("need 0 < small rows < large rows, found " + smallRows + " and " + largeRows);
        }
        layers = layers.clone();
    }

    /** Parses {@code LAYERS:SMALL:LARGE}, e.g. {@code 32-64-32-4:20000:2000000}. */
    public static Workload parse(String text) {
        String[] parts = text.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected LAYERS:SMALL_ROWS:LARGE_ROWS (e.g. 32-64-32-4:20000:2000000), found '"
                    + text + "'");
        }
        int[] layers = Arrays.stream(parts[0].split("-")).mapToInt(Integer::parseInt).toArray();
        return new Workload(layers, parseRows(parts[1]), parseRows(parts[2]));
    }

    /** Accepts plain numbers and the suffixes k and m (20k, 2m). */
    static long parseRows(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
        long factor = 1;
        if (t.endsWith("k")) {
            factor = 1_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            factor = 1_000_000;
            t = t.substring(0, t.length() - 1);
        }
        return Math.multiplyExact(Long.parseLong(t), factor);
    }

    /** The layer sizes joined by dashes: {@code 32-64-32-4}. */
    public String name() {
        StringBuilder b = new StringBuilder();
        for (int size : layers) {
            b.append(b.length() == 0 ? "" : "-").append(size);
        }
        return b.toString();
    }

    public int features() {
        return layers[0];
    }

    public int classes() {
        return layers[layers.length - 1];
    }

    /** The row counts this workload is run at, in increasing order. */
    public List<Long> rowCounts(boolean withMemoryCheck) {
        List<Long> rows = new ArrayList<>(List.of(smallRows, largeRows));
        long tenth = memoryCheckRows();
        if (withMemoryCheck && tenth > smallRows && !rows.contains(tenth)) {
            rows.add(1, tenth);
        }
        return rows;
    }

    /** A tenth of the large size: with the large size, the 1× and 10× pair of the memory check. */
    public long memoryCheckRows() {
        return largeRows / 10;
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Workload other && Arrays.equals(layers, other.layers)
                && smallRows == other.smallRows && largeRows == other.largeRows;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(layers) * 31 + Long.hashCode(smallRows * 31 + largeRows);
    }

    @Override
    public String toString() {
        return name() + ":" + smallRows + ":" + largeRows;
    }
}
