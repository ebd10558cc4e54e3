package io.annscore.metrics;

import static io.annscore.metrics.Metric.ACCURACY;
import static io.annscore.metrics.Metric.BINARY_CROSS_ENTROPY;
import static io.annscore.metrics.Metric.CROSS_ENTROPY;
import static io.annscore.metrics.Metric.EXPLAINED_VARIANCE;
import static io.annscore.metrics.Metric.EXPLAINED_VARIANCE_MLLIB;
import static io.annscore.metrics.Metric.MAPE;
import static io.annscore.metrics.Metric.MAX_ERROR;
import static io.annscore.metrics.Metric.F1;
import static io.annscore.metrics.Metric.MAE;
import static io.annscore.metrics.Metric.MSE;
import static io.annscore.metrics.Metric.PRECISION;
import static io.annscore.metrics.Metric.R2;
import static io.annscore.metrics.Metric.RECALL;
import static io.annscore.metrics.Metric.RMSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.network.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-computed values, edge cases and refusals; merging, serialization and allocation are in {@link MetricStatsMergeTest}. */
class MetricStatsTest {

    /** −ln 1e-15 = 15 ln 10: the cost of a confidently wrong row after clipping. */
    private static final double CLIPPED_LOSS = 15 * Math.log(10);

    @Test
    void regressionSingleOutput() {
        MetricStats s = MetricStats.create(Task.REGRESSION, 1, 0.5, List.of());
        // labels 1, 2, 3, 4; predictions 1.5, 2, 2.5, 4.5 → errors .5, 0, −.5, .5
        double[][] rows = {{1.5, 1}, {2, 2}, {2.5, 3}, {4.5, 4}};
        for (double[] r : rows) {
            s.add(new double[] {r[0]}, new double[] {r[1]});
        }
        Map<Metric, Double> m = s.results();
        assertEquals(List.of(MSE, RMSE, MAE, R2, EXPLAINED_VARIANCE, EXPLAINED_VARIANCE_MLLIB, MAPE, MAX_ERROR),
                List.copyOf(m.keySet()));
        assertEquals(0.1875, m.get(MSE), 1e-15);              // (.25 + 0 + .25 + .25) / 4
        assertEquals(Math.sqrt(0.1875), m.get(RMSE), 1e-15);
        assertEquals(0.375, m.get(MAE), 1e-15);               // (.5 + 0 + .5 + .5) / 4
        assertEquals(0.85, m.get(R2), 1e-15);                 // mean 2.5, SStot = 2.25+.25+.25+2.25 = 5; 1 − .75/5
        // y − ŷ = −.5, 0, .5, −.5: mean −.125, Σ (d − mean)² = .140625 + .015625 + .390625 + .140625 = .6875
        assertEquals(1 - 0.6875 / 5, m.get(EXPLAINED_VARIANCE), 1e-15);
        assertEquals((1 + 0.25 + 0 + 4) / 4, m.get(EXPLAINED_VARIANCE_MLLIB), 1e-15); // Σ (ŷ − 2.5)² / 4
        assertEquals((0.5 / 1 + 0 + 0.5 / 3 + 0.5 / 4) / 4, m.get(MAPE), 1e-15);
        assertEquals(0.5, m.get(MAX_ERROR));
        assertEquals(4, s.rows());
    }

    @Test
    void regressionTwoOutputsAveragesOverRowsAndOutputs() {
        MetricStats s = MetricStats.create(Task.REGRESSION, 2, 0.5, List.of());
        // row 1: outputs (1, 2) labels (0, 4) → errors 1, −2; row 2: outputs (3, 5) labels (2, 6) → errors 1, −1
        s.add(new double[] {1, 2}, new double[] {0, 4});
        s.add(new double[] {3, 5}, new double[] {2, 6});
        Map<Metric, Double> m = s.results();
        assertEquals(1.75, m.get(MSE), 1e-15);                // (1 + 4 + 1 + 1) / (2 rows × 2 outputs), no ½
        assertEquals(Math.sqrt(1.75), m.get(RMSE), 1e-15);
        assertEquals(1.25, m.get(MAE), 1e-15);                // (1 + 2 + 1 + 1) / 4
        // output 0: labels 0, 2 → SStot 2, SSres 1 + 1 = 2 → R² 0; output 1: labels 4, 6 → SStot 2,
        // SSres 4 + 1 = 5 → R² −1.5; uniform average (0 − 1.5) / 2
        assertEquals(-0.75, m.get(R2), 1e-15);
        assertEquals(2.5, s.rowLoss(new double[] {1, 2}, new double[] {0, 4}), 1e-15); // (1 + 4) / 2
    }

    /** (p, label) rows at threshold 0.5: predicted 1, 1, 0, 0, 1, 1 → TP 2 (rows 1, 5), FP 2 (rows 2, 6), FN 1, TN 1. */
    private static final double[][] BINARY_ROWS = {{0.9, 1}, {0.6, 0}, {0.4, 1}, {0.2, 0}, {0.7, 1}, {0.55, 0}};

    @Test
    void binaryHandComputed() {
        MetricStats s = MetricStats.create(Task.BINARY, 1, 0.5,
                List.of(BINARY_CROSS_ENTROPY, ACCURACY, PRECISION, RECALL, F1, MSE, RMSE, MAE));
        for (double[] r : BINARY_ROWS) {
            s.add(new double[] {r[0]}, new double[] {r[1]});
        }
        Map<Metric, Double> m = s.results();
        // probability of the true class: .9, .4, .4, .8, .7, .45
        double bce = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.4) + Math.log(0.8) + Math.log(0.7) + Math.log(0.45)) / 6;
        assertEquals(bce, m.get(BINARY_CROSS_ENTROPY), 1e-15);
        assertEquals(0.5, m.get(ACCURACY));                   // rows 1, 4, 5 right: 3/6
        assertEquals(0.5, m.get(PRECISION));                  // 2 / (2 + 2)
        assertEquals(2.0 / 3, m.get(RECALL), 1e-15);          // 2 / (2 + 1)
        assertEquals(4.0 / 7, m.get(F1), 1e-15);              // 2·2 / (2·2 + 2 + 1)
        // Brier: (.01 + .36 + .36 + .04 + .09 + .3025) / 6 = 1.1625 / 6
        assertEquals(1.1625 / 6, m.get(MSE), 1e-15);
        assertEquals(Math.sqrt(1.1625 / 6), m.get(RMSE), 1e-15);
        assertEquals(2.35 / 6, m.get(MAE), 1e-15);            // (.1 + .6 + .6 + .2 + .3 + .55) / 6
        assertEquals(-Math.log(0.4), s.rowLoss(new double[] {0.6}, new double[] {0}), 1e-15);
    }

    @Test
    void binaryWithTwoSoftmaxOutputsUsesTheSecondAsPClass1() {
        MetricStats one = MetricStats.create(Task.BINARY, 1, 0.5, List.of());
        MetricStats two = MetricStats.create(Task.BINARY, 2, 0.5, List.of());
        for (double[] r : BINARY_ROWS) {
            one.add(new double[] {r[0]}, new double[] {r[1]});
            two.add(new double[] {1 - r[0], r[0]}, new double[] {r[1]});
        }
        assertEquals(one.results(), two.results());
        assertEquals(1, two.predictedClass(new double[] {0.3, 0.7}));
    }

    @Test
    void thresholdIsStrict() {
        MetricStats half = MetricStats.create(Task.BINARY, 1, 0.5, List.of(ACCURACY));
        assertEquals(0, half.predictedClass(new double[] {0.5}));   // p = threshold → class 0
        assertEquals(1, half.predictedClass(new double[] {0.5000001}));
        // at 0.3, the rows p = .4 (label 1) turn right and nothing turns wrong: 4/6
        MetricStats low = MetricStats.create(Task.BINARY, 1, 0.3, List.of(ACCURACY, PRECISION, RECALL));
        for (double[] r : BINARY_ROWS) {
            low.add(new double[] {r[0]}, new double[] {r[1]});
        }
        assertEquals(4.0 / 6, low.results().get(ACCURACY), 1e-15);
        assertEquals(3.0 / 5, low.results().get(PRECISION), 1e-15); // TP 3, FP 2 (.6, .55)
        assertEquals(1.0, low.results().get(RECALL));
    }

    @Test
    void multiclassHandComputed() {
        MetricStats s = MetricStats.create(Task.MULTICLASS, 3, 0.5, List.of());
        s.add(new double[] {0.7, 0.2, 0.1}, new double[] {0});    // right
        s.add(new double[] {0.1, 0.3, 0.6}, new double[] {1});    // wrong (predicts 2)
        s.add(new double[] {0.2, 0.5, 0.3}, new double[] {1});    // right
        s.add(new double[] {0.25, 0.25, 0.5}, new double[] {2});  // right
        Map<Metric, Double> m = s.results();
        assertEquals(MetricStats.defaultMetrics(Task.MULTICLASS), List.copyOf(m.keySet()));
        double ce = -(Math.log(0.7) + Math.log(0.3) + Math.log(0.5) + Math.log(0.5)) / 4;
        assertEquals(ce, m.get(CROSS_ENTROPY), 1e-15);
        assertEquals(0.75, m.get(ACCURACY));
        assertEquals(-Math.log(0.3), s.rowLoss(new double[] {0.1, 0.3, 0.6}, new double[] {1}), 1e-15);
        assertEquals(0, s.predictedClass(new double[] {0.4, 0.4, 0.2}));  // first on ties
    }

    @Test
    void probabilitiesZeroAndOneAreClipped() {
        MetricStats binary = MetricStats.create(Task.BINARY, 1, 0.5, List.of(BINARY_CROSS_ENTROPY));
        binary.add(new double[] {0}, new double[] {1});       // wrong: −ln 1e-15
        binary.add(new double[] {1}, new double[] {0});       // wrong: −ln 1e-15
        binary.add(new double[] {1}, new double[] {1});       // right: −ln(1 − 1e-15) ≈ 1e-15
        binary.add(new double[] {0}, new double[] {0});       // right
        assertEquals(2 * CLIPPED_LOSS / 4, binary.results().get(BINARY_CROSS_ENTROPY), 1e-14);
        assertEquals(CLIPPED_LOSS, binary.rowLoss(new double[] {1}, new double[] {0}), 1e-13);
        assertEquals(CLIPPED_LOSS, binary.rowLoss(new double[] {0}, new double[] {1}), 1e-13);

        MetricStats multi = MetricStats.create(Task.MULTICLASS, 3, 0.5, List.of(CROSS_ENTROPY));
        multi.add(new double[] {1, 0, 0}, new double[] {1});  // wrong: −ln 1e-15
        multi.add(new double[] {1, 0, 0}, new double[] {0});  // right: ≈ 1e-15
        assertEquals(CLIPPED_LOSS / 2, multi.results().get(CROSS_ENTROPY), 1e-14);
        assertTrue(Double.isFinite(multi.rowLoss(new double[] {0, 0, 1}, new double[] {0})));
    }

    @Test
    void everyMetricIsNaNOverZeroRows() {
        for (Task task : Task.values()) {
            MetricStats s = MetricStats.create(task, task == Task.MULTICLASS ? 3 : 1, 0.5,
                    List.of(Metric.values()).stream().filter(m -> m.appliesTo(task)).toList());
            assertEquals(0, s.rows());
            s.results().forEach((metric, value) -> assertTrue(value.isNaN(), task + " " + metric));
        }
    }

    @Test
    void precisionRecallF1AreNaNWhenUndefined() {
        // all predicted negative, one positive label: precision 0/0, recall 0/1, F1 0/(0 + 0 + 1)
        MetricStats noPredictedPositive = MetricStats.create(Task.BINARY, 1, 0.5, List.of(PRECISION, RECALL, F1));
        noPredictedPositive.add(new double[] {0.1}, new double[] {1});
        noPredictedPositive.add(new double[] {0.2}, new double[] {0});
        assertEquals(List.of(Double.NaN, 0.0, 0.0), List.copyOf(noPredictedPositive.results().values()));
        // no positive label, one predicted positive: precision 0/1, recall 0/0, F1 0/1
        MetricStats noPositiveLabel = MetricStats.create(Task.BINARY, 1, 0.5, List.of(PRECISION, RECALL, F1));
        noPositiveLabel.add(new double[] {0.9}, new double[] {0});
        assertEquals(List.of(0.0, Double.NaN, 0.0), List.copyOf(noPositiveLabel.results().values()));
        // neither: all three 0/0
        MetricStats neither = MetricStats.create(Task.BINARY, 1, 0.5, List.of(PRECISION, RECALL, F1));
        neither.add(new double[] {0.1}, new double[] {0});
        assertEquals(List.of(Double.NaN, Double.NaN, Double.NaN), List.copyOf(neither.results().values()));
    }

    @Test
    void r2OnConstantLabelsFollowsScikitLearn() {
        // One row: NaN (scikit-learn warns and returns nan below two samples)
        MetricStats s = MetricStats.create(Task.REGRESSION, 1, 0.5, List.of(R2, MSE));
        s.add(new double[] {1}, new double[] {3});
        assertTrue(s.results().get(R2).isNaN());
        // Constant labels 3, 3 predicted as 1, 2: not exact, so 0.0
        s.add(new double[] {2}, new double[] {3});
        assertEquals(0.0, s.results().get(R2));
        assertEquals(2.5, s.results().get(MSE));              // (4 + 1) / 2
        // Constant labels predicted exactly: 1.0
        MetricStats exact = MetricStats.create(Task.REGRESSION, 1, 0.5, List.of(R2));
        exact.add(new double[] {3}, new double[] {3});
        exact.add(new double[] {3}, new double[] {3});
        assertEquals(1.0, exact.results().get(R2));
        // Two outputs, the first constant and exact (1.0), the second 1 − 0.5/2 = 0.75 (labels 0, 2;
        // predictions 0.5, 1.5): uniform average 0.875; with the first constant but missed, (0 + 0.75)/2
        MetricStats two = MetricStats.create(Task.REGRESSION, 2, 0.5, List.of(R2));
        two.add(new double[] {5, 0.5}, new double[] {5, 0});
        two.add(new double[] {5, 1.5}, new double[] {5, 2});
        assertEquals(0.875, two.results().get(R2), 1e-15);
        MetricStats missed = MetricStats.create(Task.REGRESSION, 2, 0.5, List.of(R2));
        missed.add(new double[] {4, 0.5}, new double[] {5, 0});
        missed.add(new double[] {5, 1.5}, new double[] {5, 2});
        assertEquals(0.375, missed.results().get(R2), 1e-15);
    }

    @Test
    void defaultsPerTaskAndChosenOrderKept() {
        // every metric of the task, in Metric order
        for (Task task : Task.values()) {
            assertEquals(List.of(Metric.values()).stream().filter(m -> m.appliesTo(task)).toList(),
                    MetricStats.defaultMetrics(task));
        }
        assertEquals(List.of(MSE, RMSE, MAE, R2, EXPLAINED_VARIANCE, EXPLAINED_VARIANCE_MLLIB, MAPE, MAX_ERROR),
                MetricStats.defaultMetrics(Task.REGRESSION));
        MetricStats s = MetricStats.create(Task.BINARY, 1, 0.5, List.of(F1, MSE, ACCURACY));
        assertEquals(List.of(F1, MSE, ACCURACY), s.metrics());
        s.add(new double[] {0.9}, new double[] {1});
        assertEquals(List.of(F1, MSE, ACCURACY), List.copyOf(s.results().keySet()));
    }

    @Test
    void labelValidity() {
        assertTrue(MetricStats.isValidLabel(Task.REGRESSION, 2, new double[] {-3.5, 1e9}));
        assertFalse(MetricStats.isValidLabel(Task.REGRESSION, 2, new double[] {1}));
        assertFalse(MetricStats.isValidLabel(Task.REGRESSION, 1, new double[] {Double.NaN}));
        assertFalse(MetricStats.isValidLabel(Task.REGRESSION, 1, new double[] {Double.POSITIVE_INFINITY}));
        assertTrue(MetricStats.isValidLabel(Task.BINARY, 1, new double[] {0}));
        assertTrue(MetricStats.isValidLabel(Task.BINARY, 2, new double[] {1}));
        assertFalse(MetricStats.isValidLabel(Task.BINARY, 1, new double[] {0.5}));
        assertFalse(MetricStats.isValidLabel(Task.BINARY, 1, new double[] {2}));
        assertFalse(MetricStats.isValidLabel(Task.BINARY, 1, new double[] {0, 1}));
        MetricStats iris = MetricStats.create(Task.MULTICLASS, 3, 0.5, List.of());
        assertTrue(iris.isValidLabel(new double[] {0}));
        assertTrue(iris.isValidLabel(new double[] {2}));
        assertFalse(iris.isValidLabel(new double[] {3}));
        assertFalse(iris.isValidLabel(new double[] {-1}));
        assertFalse(iris.isValidLabel(new double[] {1.5}));
        assertFalse(iris.isValidLabel(new double[] {Double.NaN}));
        assertFalse(iris.isValidLabel(null));
    }

    // ---- refusals -------------------------------------------------------------------------------------

    @Test
    void refusesBinaryCrossEntropyForMulticlass() {
        assertEquals("metric 'binary_cross_entropy' is meaningless for a multiclass network (it applies to: binary);"
                + " metrics for multiclass: "
                + "cross_entropy, accuracy, balanced_accuracy, top_k_accuracy, macro_precision, macro_recall, macro_f1, weighted_precision, weighted_recall, weighted_f1",
                refusal(() -> MetricStats.create(Task.MULTICLASS, 3, 0.5, List.of(BINARY_CROSS_ENTROPY))));
    }

    @Test
    void refusesABinaryNetworkWithThreeOutputs() {
        assertEquals("a binary network has 1 sigmoid output or 2 softmax outputs, got 3 outputs;"
                + " use the multiclass task for 3 or more classes",
                refusal(() -> MetricStats.create(Task.BINARY, 3, 0.5, List.of(BINARY_CROSS_ENTROPY))));
    }

    @Test
    void refusesCrossEntropyForRegression() {
        assertEquals("metric 'cross_entropy' is meaningless for a regression network (it applies to: multiclass);"
                + " metrics for regression: "
                + "mse, rmse, mae, r2, explained_variance, explained_variance_mllib, mape, max_error",
                refusal(() -> MetricStats.create(Task.REGRESSION, 1, 0.5, List.of(MSE, CROSS_ENTROPY))));
    }

    @Test
    void refusesR2ForBinary() {
        assertEquals("metric 'r2' is meaningless for a binary network (it applies to: regression); metrics for"
                + " binary: mse, rmse, mae, binary_cross_entropy, brier_score, roc_auc, "
                + "average_precision, pr_auc, accuracy, precision, recall, f1, specificity, balanced_accuracy, macro_precision, macro_recall, macro_f1, weighted_precision, weighted_recall, weighted_f1",
                refusal(() -> MetricStats.create(Task.BINARY, 1, 0.5, List.of(R2))));
    }

    @Test
    void refusesPrecisionForMulticlass() {
        assertEquals("metric 'precision' is meaningless for a multiclass network (it applies to: binary);"
                + " metrics for multiclass: "
                + "cross_entropy, accuracy, balanced_accuracy, top_k_accuracy, macro_precision, macro_recall, macro_f1, weighted_precision, weighted_recall, weighted_f1",
                refusal(() -> MetricStats.create(Task.MULTICLASS, 4, 0.5, List.of(PRECISION))));
    }

    @Test
    void refusesMseForMulticlass() {
        assertEquals("metric 'mse' is meaningless for a multiclass network (it applies to: regression, binary);"
                + " metrics for multiclass: "
                + "cross_entropy, accuracy, balanced_accuracy, top_k_accuracy, macro_precision, macro_recall, macro_f1, weighted_precision, weighted_recall, weighted_f1",
                refusal(() -> MetricStats.create(Task.MULTICLASS, 3, 0.5, List.of(MSE))));
    }

    @Test
    void refusesAccuracyForRegression() {
        assertEquals("metric 'accuracy' is meaningless for a regression network (it applies to: binary, multiclass);"
                + " metrics for regression: "
                + "mse, rmse, mae, r2, explained_variance, explained_variance_mllib, mape, max_error",
                refusal(() -> MetricStats.create(Task.REGRESSION, 2, 0.5, List.of(ACCURACY))));
    }

    @Test
    void refusesAMulticlassNetworkWithOneOutput() {
        assertEquals("a multiclass network has one softmax output per class (at least 2), got 1 output;"
                + " use the binary task for a single sigmoid output",
                refusal(() -> MetricStats.create(Task.MULTICLASS, 1, 0.5, List.of())));
    }

    @Test
    void refusesANetworkWithoutOutputs() {
        assertEquals("a network has at least 1 output, got 0",
                refusal(() -> MetricStats.create(Task.REGRESSION, 0, 0.5, List.of())));
    }

    @Test
    void refusesAThresholdOutsideZeroToOne() {
        assertEquals("the binary decision threshold must be in [0, 1], got 1.5",
                refusal(() -> MetricStats.create(Task.BINARY, 1, 1.5, List.of())));
        assertEquals("the binary decision threshold must be in [0, 1], got NaN",
                refusal(() -> MetricStats.create(Task.BINARY, 1, Double.NaN, List.of())));
    }

    @Test
    void refusesAMetricListedTwice() {
        assertEquals("metric 'mse' is listed twice",
                refusal(() -> MetricStats.create(Task.REGRESSION, 1, 0.5, List.of(MSE, MAE, MSE))));
    }

    @Test
    void refusesMergingDifferentSetups() {
        MetricStats a = MetricStats.create(Task.BINARY, 1, 0.5, List.of(ACCURACY, F1));
        MetricStats b = MetricStats.create(Task.BINARY, 1, 0.3, List.of(ACCURACY, F1));
        assertEquals("cannot merge statistics of different networks or metric lists:"
                + " MetricStats[binary, outputs 1, threshold 0.5, metrics [accuracy, f1], rows 0] and"
                + " MetricStats[binary, outputs 1, threshold 0.3, metrics [accuracy, f1], rows 0]",
                refusal(() -> a.merge(b)));
        assertSame(a, a.merge(MetricStats.create(Task.BINARY, 1, 0.5, List.of(ACCURACY, F1))));
        // other extra thresholds or another k cannot merge either
        assertThrows(IllegalArgumentException.class, () -> a.merge(
                MetricStats.create(Task.BINARY, 1, 0.5, List.of(ACCURACY, F1), List.of(0.2), 2)));
        MetricStats k2 = MetricStats.create(Task.MULTICLASS, 3, 0.5, List.of(), List.of(), 2);
        assertThrows(IllegalArgumentException.class, () -> k2.merge(
                MetricStats.create(Task.MULTICLASS, 3, 0.5, List.of(), List.of(), 3)));
    }

    @Test
    void refusesAWrongNumberOfOutputs() {
        MetricStats s = MetricStats.create(Task.MULTICLASS, 3, 0.5, List.of());
        assertEquals("expected 3 outputs, got 2", refusal(() -> s.add(new double[] {0.5, 0.5}, new double[] {0})));
        assertEquals(0, s.rows());
    }

    @Test
    void regressionPredictsNoClass() {
        MetricStats s = MetricStats.create(Task.REGRESSION, 1, 0.5, List.of());
        assertEquals("a regression network predicts no class",
                assertThrows(IllegalStateException.class, () -> s.predictedClass(new double[] {1})).getMessage());
    }

    private static String refusal(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void aWeightOfTwoIsTheRowTwiceAndAWeightOfZeroIsNoRow() {
        java.util.Random random = new java.util.Random(21);
        for (Task task : Task.values()) {
            int outputs = task == Task.MULTICLASS ? 3 : 1;
            MetricStats weighted = MetricStats.create(task, outputs, 0.5, List.of(), List.of(0.25), 2);
            MetricStats repeated = MetricStats.create(task, outputs, 0.5, List.of(), List.of(0.25), 2);
            for (int i = 0; i < 200; i++) {
                double[] o = new double[outputs];
                double sum = 0;
                for (int j = 0; j < outputs; j++) {
                    o[j] = task == Task.REGRESSION ? random.nextGaussian() : random.nextDouble();
                    sum += o[j];
                }
                if (task == Task.MULTICLASS) {
                    for (int j = 0; j < outputs; j++) {
                        o[j] /= sum;
                    }
                }
                double[] y = {task == Task.REGRESSION ? random.nextGaussian() : random.nextInt(task == Task.BINARY ? 2 : 3)};
                int copies = i % 3; // 0, 1 or 2
                weighted.add(o, y, copies);
                for (int c = 0; c < copies; c++) {
                    repeated.add(o, y);
                }
            }
            String what = task.id();
            repeated.results().forEach((m, v) -> assertEquals(v, weighted.results().get(m), Math.abs(v) * 1e-13,
                    what + ": " + m.id()));
            repeated.errorBounds().forEach((m, v) -> assertEquals(v, weighted.errorBounds().get(m), 1e-15, what));
            if (task != Task.REGRESSION) {
                assertEquals(java.util.Arrays.deepToString(repeated.classReport().confusion()),
                        java.util.Arrays.deepToString(weighted.classReport().confusion()));
            }
            assertEquals(repeated.thresholdReport(), weighted.thresholdReport());
        }
    }

    @Test
    void allWeightsZeroLeavesEveryMetricUndefined() {
        MetricStats s = MetricStats.create(Task.BINARY, 1, 0.5, List.of());
        s.add(new double[] {0.9}, new double[] {1}, 0);
        s.add(new double[] {0.2}, new double[] {0}, 0);
        assertEquals(2, s.rows());
        assertEquals(0.0, s.weight());
        s.results().forEach((m, v) -> assertTrue(v.isNaN(), m.id()));
    }

    @Test
    void weightValidity() {
        assertTrue(MetricStats.isValidWeight(0));
        assertTrue(MetricStats.isValidWeight(2.5));
        assertTrue(MetricStats.isValidWeight(Double.MAX_VALUE));
        assertFalse(MetricStats.isValidWeight(-1e-300));
        assertFalse(MetricStats.isValidWeight(Double.NaN));
        assertFalse(MetricStats.isValidWeight(Double.POSITIVE_INFINITY));
    }

    @Test
    void multiclassPerClassTopKAndAveragesHandComputed() {
        MetricStats s = MetricStats.create(Task.MULTICLASS, 3, 0.5, List.of(), List.of(), 2);
        s.add(new double[] {0.7, 0.2, 0.1}, new double[] {0});    // predicts 0, right
        s.add(new double[] {0.1, 0.3, 0.6}, new double[] {1});    // predicts 2; label second: in top 2
        s.add(new double[] {0.2, 0.5, 0.3}, new double[] {1});    // predicts 1, right
        s.add(new double[] {0.5, 0.25, 0.25}, new double[] {2});  // predicts 0; label ties 1 for second: rank 2, out
        Map<Metric, Double> m = s.results();
        // confusion (rows true): [1 0 0; 0 1 1; 1 0 0]
        assertEquals("[[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [1.0, 0.0, 0.0]]",
                java.util.Arrays.deepToString(s.classReport().confusion()));
        // precision: 1/2, 1/1, 0/1; recall: 1/1, 1/2, 0/1; f1: 2/3, 2/3, 0
        MetricStats.ClassMetrics c0 = s.classReport().classes().get(0);
        assertEquals(new MetricStats.ClassMetrics(0, 1, 2, 0.5, 1, 2.0 / 3), c0);
        assertEquals((0.5 + 1 + 0) / 3, m.get(Metric.MACRO_PRECISION), 1e-15);
        assertEquals((1 + 0.5 + 0) / 3, m.get(Metric.MACRO_RECALL), 1e-15);
        assertEquals((2.0 / 3 + 2.0 / 3 + 0) / 3, m.get(Metric.MACRO_F1), 1e-15);
        assertEquals((1 * 0.5 + 2 * 1 + 1 * 0) / 4, m.get(Metric.WEIGHTED_PRECISION), 1e-15);
        assertEquals(m.get(ACCURACY), m.get(Metric.WEIGHTED_RECALL), 1e-15);
        assertEquals((1 * 2.0 / 3 + 2 * 2.0 / 3) / 4, m.get(Metric.WEIGHTED_F1), 1e-15);
        assertEquals((1 + 0.5 + 0) / 3, m.get(Metric.BALANCED_ACCURACY), 1e-15);
        assertEquals(0.75, m.get(Metric.TOP_K_ACCURACY));
        assertEquals(2, s.topK());
    }

    @Test
    void binaryThresholdReportHandComputed() {
        MetricStats s = MetricStats.create(Task.BINARY, 1, 0.5, List.of(), List.of(0.3, 0.95), 2);
        for (double[] r : BINARY_ROWS) {
            s.add(new double[] {r[0]}, new double[] {r[1]});
        }
        MetricStats.ThresholdMetrics at3 = s.thresholdReport().get(0);
        // the same counts as thresholdIsStrict: TP 3, FP 2, FN 0, TN 1
        assertEquals(new MetricStats.ThresholdMetrics(0.3, 3.0 / 5, 1, 6.0 / 8, 1.0 / 3, 4.0 / 6), at3);
        MetricStats.ThresholdMetrics at95 = s.thresholdReport().get(1);
        assertTrue(Double.isNaN(at95.precision())); // nothing predicted positive
        assertEquals(0.0, at95.recall());
        assertEquals(s.results().get(Metric.MSE), s.results().get(Metric.BRIER_SCORE));
        // positives .9 .4 .7, negatives .6 .2 .55: 7 of 9 pairs ordered; AP 1/3 + 1/3 + 1/3 · 3/5
        assertEquals(7.0 / 9, s.results().get(Metric.ROC_AUC), 1e-15);
        assertEquals(13.0 / 15, s.results().get(Metric.AVERAGE_PRECISION), 1e-15);
        assertEquals(Map.of(Metric.ROC_AUC, 0.0, Metric.AVERAGE_PRECISION, 0.0, Metric.PR_AUC, 0.0), s.errorBounds());
        assertEquals(1.0 / 3, s.results().get(Metric.SPECIFICITY), 1e-15); // at .5: TN .2 only of 3 negatives
    }

    @Test
    void refusesBadThresholdsAndK() {
        assertEquals("a threshold must be in [0, 1], got 1.5",
                refusal(() -> MetricStats.create(Task.BINARY, 1, 0.5, List.of(), List.of(1.5), 2)));
        assertEquals("threshold 0.3 is listed twice",
                refusal(() -> MetricStats.create(Task.BINARY, 1, 0.5, List.of(), List.of(0.3, 0.3), 2)));
        assertEquals("the k of top-k accuracy must be at least 1, got 0",
                refusal(() -> MetricStats.create(Task.MULTICLASS, 3, 0.5, List.of(), List.of(), 0)));
    }
}
