package io.annscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.annscore.network.Task;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricTest {

    @Test
    void idsAreTheSummaryColumnNames() {
        Map<String, Metric> expected = Map.of("mse", Metric.MSE, "rmse", Metric.RMSE, "mae", Metric.MAE,
                "r2", Metric.R2, "binary_cross_entropy", Metric.BINARY_CROSS_ENTROPY,
                "cross_entropy", Metric.CROSS_ENTROPY, "accuracy", Metric.ACCURACY,
                "precision", Metric.PRECISION, "recall", Metric.RECALL, "f1", Metric.F1);
        assertEquals(expected.size(), Metric.values().length);
        expected.forEach((id, metric) -> {
            assertEquals(id, metric.id());
            assertEquals(metric, Metric.parse(id));
        });
    }

    @Test
    void unknownIdIsRefusedWithTheKnownIds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metric.parse("MSE"));
        assertEquals("unknown metric 'MSE'; known: mse, rmse, mae, r2, binary_cross_entropy, cross_entropy,"
                + " accuracy, precision, recall, f1", e.getMessage());
    }

    @Test
    void eachMetricAppliesOnlyToItsTasks() {
        Map<Metric, Set<Task>> allowed = Map.of(
                Metric.MSE, Set.of(Task.REGRESSION, Task.BINARY),
                Metric.RMSE, Set.of(Task.REGRESSION, Task.BINARY),
                Metric.MAE, Set.of(Task.REGRESSION, Task.BINARY),
                Metric.R2, Set.of(Task.REGRESSION),
                Metric.BINARY_CROSS_ENTROPY, Set.of(Task.BINARY),
                Metric.CROSS_ENTROPY, Set.of(Task.MULTICLASS),
                Metric.ACCURACY, Set.of(Task.BINARY, Task.MULTICLASS),
                Metric.PRECISION, Set.of(Task.BINARY),
                Metric.RECALL, Set.of(Task.BINARY),
                Metric.F1, Set.of(Task.BINARY));
        for (Metric m : Metric.values()) {
            for (Task t : Task.values()) {
                assertEquals(allowed.get(m).contains(t), m.appliesTo(t), m + " for " + t);
            }
        }
    }
}
