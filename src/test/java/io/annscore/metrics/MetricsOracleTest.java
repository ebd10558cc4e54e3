package io.annscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.annscore.network.Task;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MetricStats over the reference outputs ({@code expected.csv}) against the labels ({@code data.csv})
 * reproduces the metrics computed by numpy/scikit-learn ({@code metrics.json}, or the {@code metrics} of
 * {@code manifest.json} for the dirty-rows cases, which leave out rows without a usable label).
 */
class MetricsOracleTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "iris_relu_multiclass;               cross_entropy accuracy",
        "torch_matmul_add_multiclass;        cross_entropy accuracy",
        "breast_cancer_logistic_binary;      binary_cross_entropy accuracy mse",
        "diabetes_tanh_regression;           mse rmse mae r2",
        "torch_mixed_activations_regression; mse rmse mae r2",
        "iris_dirty_rows;                    cross_entropy accuracy",
        "diabetes_dirty_rows;                mse",
    })
    void metricsMatchTheOracle(String name, String checkedIds) throws IOException {
        String caseJson = read(name, "case.json");
        Task task = Task.parse(string(caseJson, "task"));
        List<String[]> expected = csv(read(name, "expected.csv"));
        String[] expectedHeader = expected.get(0);
        int outputCount = (int) List.of(expectedHeader).stream().filter(c -> c.startsWith("out_")).count();
        int predictedColumn = List.of(expectedHeader).indexOf("predicted_class");

        List<String[]> data = csv(read(name, "data.csv"));
        List<String> header = List.of(data.get(0));
        int[] labelColumns = strings(caseJson, "label_columns").stream().mapToInt(header::indexOf).toArray();
        Map<String, String[]> dataById = new HashMap<>();
        data.subList(1, data.size()).forEach(fields -> dataById.put(fields[0], fields));

        MetricStats stats = MetricStats.create(task, outputCount, 0.5,
                List.of(Metric.values()).stream().filter(m -> m.appliesTo(task)).toList());
        Set<String> withoutLabel = new TreeSet<>();
        for (String[] row : expected.subList(1, expected.size())) {
            double[] outputs = new double[outputCount];
            for (int j = 0; j < outputCount; j++) {
                outputs[j] = Double.parseDouble(row[1 + j]);
            }
            if (predictedColumn >= 0) {
                assertEquals(Integer.parseInt(row[predictedColumn]), stats.predictedClass(outputs), "id " + row[0]);
            }
            double[] labels = parseLabels(dataById.get(row[0]), labelColumns);
            if (labels == null || !stats.isValidLabel(labels)) {
                withoutLabel.add(row[0]);
                continue;
            }
            stats.add(outputs, labels);
        }

        String reference = name.endsWith("_dirty_rows") ? read(name, "manifest.json") : read(name, "metrics.json");
        if (name.endsWith("_dirty_rows")) {
            assertEquals(new TreeSet<>(strings(reference, "scored_without_label_ids")), withoutLabel);
            assertEquals((long) number(reference, "rows_in_metrics"), stats.rows());
        } else {
            assertEquals(Set.of(), withoutLabel);
            assertEquals((long) number(reference, "rows"), stats.rows());
        }
        Map<Metric, Double> results = stats.results();
        for (String id : checkedIds.trim().split("\\s+")) {
            double want = number(reference, id);
            assertEquals(want, results.get(Metric.parse(id)), Math.abs(want) * 1e-9, name + ": " + id);
        }
    }

    /** The label fields as numbers, or null when one is not a number (an empty or garbled label). */
    private static double[] parseLabels(String[] fields, int[] labelColumns) {
        assertNotNull(fields);
        double[] labels = new double[labelColumns.length];
        try {
            for (int i = 0; i < labelColumns.length; i++) {
                labels[i] = Double.parseDouble(fields[labelColumns[i]]);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return labels;
    }

    // ---- just enough CSV and JSON for these files ---------------------------------------------------------

    private static String read(String name, String file) throws IOException {
        try (InputStream in = MetricsOracleTest.class.getResourceAsStream("/fixtures/" + name + "/" + file)) {
            assertNotNull(in, "missing test resource fixtures/" + name + "/" + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String[]> csv(String text) {
        return text.lines().filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*([-+0-9.eE]+)").matcher(json);
        assertEquals(true, m.find(), "no number '" + key + "'");
        return Double.parseDouble(m.group(1));
    }

    private static String string(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertEquals(true, m.find(), "no string '" + key + "'");
        return m.group(1);
    }

    private static List<String> strings(String json, String key) {
        Matcher array = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        assertEquals(true, array.find(), "no array '" + key + "'");
        List<String> values = new ArrayList<>();
        Matcher item = Pattern.compile("\"([^\"]*)\"").matcher(array.group(1));
        while (item.find()) {
            values.add(item.group(1));
        }
        return values;
    }
}
