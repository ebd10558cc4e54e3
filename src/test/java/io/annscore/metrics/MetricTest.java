package io.annscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.annscore.network.Task;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricTest {

    private static final String ALL_IDS = "mse, rmse, mae, r2, explained_variance, explained_variance_mllib, mape,"
            + " max_error, binary_cross_entropy, cross_entropy, brier_score, roc_auc, average_precision, pr_auc,"
            + " accuracy, precision, recall, f1, specificity, balanced_accuracy, top_k_accuracy, macro_precision,"
            + " macro_recall, macro_f1, weighted_precision, weighted_recall, weighted_f1";

    @Test
    void idsAreTheSummaryColumnNames() {
        List<String> ids = List.of(ALL_IDS.split(", "));
        assertEquals(ids.size(), Metric.values().length);
        for (int i = 0; i < ids.size(); i++) {
            Metric m = Metric.values()[i];
            assertEquals(ids.get(i), m.id());
            assertEquals(m, Metric.parse(ids.get(i)));
            assertEquals(m.name().toLowerCase(java.util.Locale.ROOT), m.id());
        }
    }

    @Test
    void onlyTheCurveAreasHaveAnErrorBound() {
        for (Metric m : Metric.values()) {
            boolean curve = m == Metric.ROC_AUC || m == Metric.AVERAGE_PRECISION || m == Metric.PR_AUC;
            assertEquals(curve, m.hasErrorBound(), m.id());
            assertEquals(curve ? m.id() + "_error_bound" : null, m.errorBoundId());
        }
    }

    @Test
    void unknownIdIsRefusedWithTheKnownIds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metric.parse("MSE"));
        assertEquals("unknown metric 'MSE'; known: " + ALL_IDS, e.getMessage());
    }

    @Test
    void eachMetricAppliesOnlyToItsTasks() {
        Set<Task> r = Set.of(Task.REGRESSION);
        Set<Task> b = Set.of(Task.BINARY);
        Set<Task> m = Set.of(Task.MULTICLASS);
        Set<Task> rb = Set.of(Task.REGRESSION, Task.BINARY);
        Set<Task> bm = Set.of(Task.BINARY, Task.MULTICLASS);
        Map<Metric, Set<Task>> allowed = new java.util.EnumMap<>(Metric.class);
        allowed.putAll(Map.of(Metric.MSE, rb, Metric.RMSE, rb, Metric.MAE, rb, Metric.R2, r,
                Metric.EXPLAINED_VARIANCE, r, Metric.EXPLAINED_VARIANCE_MLLIB, r, Metric.MAPE, r, Metric.MAX_ERROR, r,
                Metric.BINARY_CROSS_ENTROPY, b, Metric.CROSS_ENTROPY, m));
        allowed.putAll(Map.of(Metric.BRIER_SCORE, b, Metric.ROC_AUC, b, Metric.AVERAGE_PRECISION, b, Metric.PR_AUC, b,
                Metric.ACCURACY, bm, Metric.PRECISION, b, Metric.RECALL, b, Metric.F1, b, Metric.SPECIFICITY, b,
                Metric.BALANCED_ACCURACY, bm));
        allowed.putAll(Map.of(Metric.TOP_K_ACCURACY, m, Metric.MACRO_PRECISION, bm, Metric.MACRO_RECALL, bm,
                Metric.MACRO_F1, bm, Metric.WEIGHTED_PRECISION, bm, Metric.WEIGHTED_RECALL, bm, Metric.WEIGHTED_F1, bm));
        assertEquals(Metric.values().length, allowed.size());
        for (Metric metric : Metric.values()) {
            for (Task t : Task.values()) {
                assertEquals(allowed.get(metric).contains(t), metric.appliesTo(t), metric + " for " + t);
            }
        }
    }
}
