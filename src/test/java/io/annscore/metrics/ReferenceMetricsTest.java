package io.annscore.metrics;

import static io.annscore.metrics.MetricsReference.assertArea;
import static io.annscore.metrics.MetricsReference.assertValue;
import static io.annscore.metrics.MetricsReference.assertZeroDivision;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.annscore.network.Task;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every metric, per-class value, confusion-matrix cell and threshold metric against scikit-learn
 * ({@code src/test/python/metrics_reference.py}), on the fixture cases and a saturated-score case,
 * unweighted and weighted: to 1e-9 relative, the curve areas within their bound (itself ≤ 1e-6).
 */
class ReferenceMetricsTest {

    static Stream<String> cases() {
        return MetricsReference.caseNames().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyMetricMatchesScikitLearn(String name) {
        JsonNode entry = MetricsReference.entry(name);
        Task task = Task.parse(entry.get("task").asText());
        boolean weighted = entry.get("weighted").asBoolean();
        List<MetricsReference.Row> rows = MetricsReference.rows(name);
        MetricStats stats = MetricStats.create(task, rows.get(0).outputs().length, 0.5, List.of(),
                MetricsReference.thresholds(), MetricsReference.topK());
        for (MetricsReference.Row r : rows) {
            stats.add(r.outputs(), r.labels(), weighted ? r.weight() : 1);
        }
        assertEquals(entry.get("rows").asLong(), stats.rows());
        assertEquals(entry.get("weight_sum").asDouble(), stats.weight(), entry.get("weight_sum").asDouble() * 1e-12);

        Map<Metric, Double> results = stats.results();
        Map<Metric, Double> bounds = stats.errorBounds();
        int checked = 0;
        for (var it = MetricsReference.metrics(entry); it.hasNext(); checked++) {
            var e = it.next();
            Metric m = Metric.parse(e.getKey());
            String what = name + ": " + m.id();
            if (m.hasErrorBound()) {
                assertArea(e.getValue(), results.get(m), bounds.get(m), what);
            } else if (m == Metric.PRECISION || m == Metric.RECALL || m == Metric.F1 || m == Metric.SPECIFICITY) {
                assertZeroDivision(e.getValue(), results.get(m), what);
            } else {
                assertValue(e.getValue(), results.get(m), what);
            }
        }
        // the reference covers every metric of the task
        assertEquals(MetricStats.defaultMetrics(task).size(), checked, name);

        if (task != Task.REGRESSION) {
            MetricStats.ClassReport report = stats.classReport();
            JsonNode classes = entry.get("classes");
            assertEquals(classes.size(), report.classes().size());
            for (int c = 0; c < classes.size(); c++) {
                JsonNode want = classes.get(c);
                MetricStats.ClassMetrics got = report.classes().get(c);
                String what = name + ": class " + c;
                assertValue(want.get("support"), got.support(), what + " support");
                assertZeroDivision(want.get("precision"), got.precision(), what + " precision");
                assertZeroDivision(want.get("recall"), got.recall(), what + " recall");
                assertZeroDivision(want.get("f1"), got.f1(), what + " f1");
                for (int p = 0; p < classes.size(); p++) {
                    assertValue(entry.get("confusion_matrix").get(c).get(p), report.confusion()[c][p],
                            what + " predicted " + p);
                }
            }
        }
        if (task == Task.BINARY) {
            List<MetricStats.ThresholdMetrics> got = stats.thresholdReport();
            JsonNode want = entry.get("thresholds");
            assertEquals(want.size(), got.size());
            for (int i = 0; i < got.size(); i++) {
                MetricStats.ThresholdMetrics t = got.get(i);
                JsonNode w = want.get(i);
                String what = name + ": at " + t.threshold();
                assertEquals(w.get("threshold").asDouble(), t.threshold());
                assertZeroDivision(w.get("precision"), t.precision(), what + " precision");
                assertZeroDivision(w.get("recall"), t.recall(), what + " recall");
                assertZeroDivision(w.get("f1"), t.f1(), what + " f1");
                assertZeroDivision(w.get("specificity"), t.specificity(), what + " specificity");
                assertValue(w.get("accuracy"), t.accuracy(), what + " accuracy");
            }
        }
    }
}
