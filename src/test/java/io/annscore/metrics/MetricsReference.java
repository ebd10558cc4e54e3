package io.annscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The scikit-learn reference values of {@code src/test/python/metrics_reference.py}
 * ({@code /metrics/reference.json}) and the rows they were computed on: a fixture case's labels and
 * reference outputs, or the generated saturated-score case ({@code /metrics/saturated.csv}).
 */
public final class MetricsReference {
    /** Relative tolerance for every value but the curve areas. */
    public static final double RELATIVE = 1e-9;

    private static final JsonNode DOCUMENT = load();

    private MetricsReference() {
    }

    /** One row: id, network outputs, labels, and its weight by the script's rule. */
    public record Row(long id, double[] outputs, double[] labels, double weight) {
    }

    /** The weight the script gives a row: (id · 37 mod 11) / 3. */
    public static double weight(long id) {
        return (id * 37 % 11) / 3.0;
    }

    public static List<Double> thresholds() {
        List<Double> t = new ArrayList<>();
        DOCUMENT.get("thresholds").forEach(n -> t.add(n.asDouble()));
        return t;
    }

    public static int topK() {
        return DOCUMENT.get("top_k").asInt();
    }

    public static List<String> caseNames() {
        List<String> names = new ArrayList<>();
        DOCUMENT.get("cases").fieldNames().forEachRemaining(names::add);
        return names;
    }

    public static JsonNode entry(String name) {
        JsonNode e = DOCUMENT.get("cases").get(name);
        assertNotNull(e, "no reference case " + name);
        return e;
    }

    /** The data the case is named after (without the {@code _weighted} suffix). */
    public static String dataName(String name) {
        return name.endsWith("_weighted") ? name.substring(0, name.length() - "_weighted".length()) : name;
    }

    /** The rows of a case, in id order. */
    public static List<Row> rows(String name) {
        String data = dataName(name);
        if (data.equals("saturated_binary")) {
            List<Row> rows = new ArrayList<>();
            for (String[] f : csv(read("/metrics/saturated.csv")).subList(1, 4001)) {
                long id = Long.parseLong(f[0]);
                rows.add(new Row(id, new double[] {Double.parseDouble(f[1])}, new double[] {Double.parseDouble(f[2])},
                        weight(id)));
            }
            return rows;
        }
        String caseJson = read("/fixtures/" + data + "/case.json");
        String labelColumn;
        try {
            labelColumn = new ObjectMapper().readTree(caseJson).get("label_columns").get(0).asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String[]> input = csv(read("/fixtures/" + data + "/data.csv"));
        int labelIndex = List.of(input.get(0)).indexOf(labelColumn);
        Map<Long, Double> labels = new HashMap<>();
        for (String[] f : input.subList(1, input.size())) {
            labels.put(Long.parseLong(f[0]), Double.parseDouble(f[labelIndex]));
        }
        List<String[]> expected = csv(read("/fixtures/" + data + "/expected.csv"));
        int outputs = (int) List.of(expected.get(0)).stream().filter(c -> c.startsWith("out_")).count();
        List<Row> rows = new ArrayList<>();
        for (String[] f : expected.subList(1, expected.size())) {
            long id = Long.parseLong(f[0]);
            double[] o = new double[outputs];
            for (int j = 0; j < outputs; j++) {
                o[j] = Double.parseDouble(f[1 + j]);
            }
            rows.add(new Row(id, o, new double[] {labels.get(id)}, weight(id)));
        }
        return rows;
    }

    /** Asserts one value: NaN (undefined here) where the reference is null. */
    public static void assertValue(JsonNode expected, double actual, String what) {
        if (expected == null || expected.isNull()) {
            assertTrue(Double.isNaN(actual), what + ": expected undefined, got " + actual);
            return;
        }
        double want = expected.asDouble();
        assertEquals(want, actual, Math.abs(want) * RELATIVE, what);
    }

    /**
     * Asserts a value that scikit-learn reports as 0 for a zero denominator (its {@code zero_division=0}),
     * where annscore reports NaN.
     */
    public static void assertZeroDivision(JsonNode expected, double actual, String what) {
        assertValue(expected, Double.isNaN(actual) && expected.asDouble() == 0 ? 0 : actual, what);
    }

    /** A curve area: within its reported bound of the reference, and the bound at most 1e-6. */
    public static void assertArea(JsonNode expected, double actual, double bound, String what) {
        assertTrue(bound <= 1e-6, what + ": bound " + bound);
        double want = expected.asDouble();
        assertTrue(Math.abs(want - actual) <= bound + 1e-12 * Math.abs(want),
                what + ": scikit-learn " + want + ", annscore " + actual + " ± " + bound);
    }

    public static Iterator<Map.Entry<String, JsonNode>> metrics(JsonNode entry) {
        return entry.get("metrics").fields();
    }

    private static JsonNode load() {
        try {
            return new ObjectMapper().readTree(read("/metrics/reference.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String resource) {
        try (InputStream in = MetricsReference.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing test resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String[]> csv(String text) {
        return text.lines().filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
    }
}
