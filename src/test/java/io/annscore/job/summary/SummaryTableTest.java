package io.annscore.job.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.metrics.Metric;
import io.annscore.metrics.MetricStats;
import io.annscore.network.Task;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The summary's columns come from Metric; the printed summary shows the run's metrics and its class table. */
class SummaryTableTest {

    @Test
    void everyMetricAndBoundHasAColumnInMetricOrder() {
        List<String> expected = new ArrayList<>();
        for (Metric m : Metric.values()) {
            expected.add(m.id());
            if (m.hasErrorBound()) {
                expected.add(m.id() + "_error_bound");
            }
        }
        assertEquals(expected, SummaryTable.METRIC_COLUMNS);
        List<String> names = List.of(SummaryTable.schema(List.of("region")).fieldNames());
        int first = names.indexOf("mse");
        assertEquals(expected, names.subList(first, first + expected.size()));
        assertEquals(List.of("top_k", "classes", "confusion_matrix", "thresholds", "quarantine_reasons", "drift_reference",
                "max_psi", "max_psi_column", "drift_alarms", "drift_warnings", "chart_data", "spark_app_id", "spark_version",
                "segment", "region"), names.subList(first + expected.size(), names.size()));
        assertEquals(List.of("rows_unlabeled", "rows_bad_weight", "weight_sum"), names.subList(first - 3, first));
    }

    @Test
    void printedSummaryShowsOnlyTheRunsMetricsAndAPerClassTable() {
        MetricStats stats = MetricStats.create(Task.MULTICLASS, 3, 0.5, List.of());
        stats.add(new double[] {0.7, 0.2, 0.1}, new double[] {0});
        stats.add(new double[] {0.1, 0.3, 0.6}, new double[] {1});
        stats.add(new double[] {0.2, 0.5, 0.3}, new double[] {1});
        Map<String, Double> metrics = new LinkedHashMap<>();
        stats.results().forEach((m, v) -> metrics.put(m.id(), v));
        MetricDetails details = new MetricDetails(0, stats.weight(), 2, List.of("setosa", "versicolor", "virginica"),
                stats.classReport(), null);
        RunSummary run = new RunSummary("j", LocalDate.of(2024, 3, 1), "id", Instant.EPOCH, Instant.EPOCH.plusSeconds(1),
                List.of("in"), "sha256:0;files=1;bytes=1", "m", "1", "sha", Task.MULTICLASS,
                io.annscore.network.Precision.FLOAT64, 3, 3, 0, 0, Map.of(), metrics, List.of(), "p", "q", "s",
                "app", "4.2.0", details);
        StructType schema = SummaryTable.schema(List.of());
        List<Row> rows = SummaryTable.rows(run, List.of(), LocalDate.of(2024, 3, 1));
        // the row written has every column, null where the metric is not the task's
        Row row = rows.get(0);
        assertTrue(row.isNullAt(schema.fieldIndex("mse")));
        assertEquals(2.0 / 3, row.getDouble(schema.fieldIndex("accuracy")), 1e-15);
        String text = SummaryTable.format(run, rows, schema);
        assertTrue(text.contains("| macro_f1 "), text);
        assertTrue(text.contains("| top_k "), text);
        assertFalse(text.contains("| mse "), text);
        assertFalse(text.contains("| roc_auc"), text);
        assertFalse(text.contains("| classes "), text);
        assertFalse(text.contains("rows_bad_weight"), text);
        // per class: support, predicted, precision, recall, f1, then the row of the confusion matrix;
        // virginica is predicted once (precision 0/1) and never a label (recall undefined)
        assertTrue(text.contains("1 versicolor  2          1          1          0.500000   0.666667   |"
                + "                      0        1        1"), text);
        assertTrue(text.contains("2 virginica   0          1          0          null       0          |"), text);
    }
}
