package io.annscore.job.summary;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annscore.metrics.ChartStats;
import io.annscore.metrics.ScoreHistogram;
import io.annscore.network.Task;

/**
 * The summary's {@code chart_data} column: what the report draws that the other columns do not
 * hold, as JSON, computed on the driver from the merged statistics.
 * <ul>
 *   <li>binary ({@code "binary"}): from the score histogram — {@code roc}: [fpr, tpr] points,
 *       {@code pr}: [recall, precision] points, each at the distinct score bins from the highest
 *       down (thinned to at most {@value #MAX_POINTS}); {@code scores}: per class (0, 1) the weight
 *       in 20 bins of p of equal width; {@code calibration}: per 10 bins of p, [weight, mean p,
 *       share of positives] (a bin's p taken as the middle of its scores);</li>
 *   <li>multiclass: {@code scores}: per true class the weight in 20 bins of the probability given
 *       to it; {@code calibration}: per 10 bins of the top probability, [weight, mean top
 *       probability, accuracy];</li>
 *   <li>regression: {@code sample}: up to 1024 [prediction, label] pairs of the first output.</li>
 * </ul>
 */
public final class ChartData {
    static final int MAX_POINTS = 400;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChartData() {
    }

    public static String json(RunStats stats) {
        ObjectNode root = JSON.createObjectNode();
        Task task = stats.metrics.task();
        root.put("task", task.id());
        if (task == Task.BINARY && stats.metrics.scoreHistogram() != null) {
            binary(stats.metrics.scoreHistogram().binView(), root);
        } else if (stats.charts != null && task == Task.MULTICLASS) {
            ArrayNode scores = root.putArray("scores");
            int k = stats.metrics.classReport() == null ? 0 : stats.metrics.classReport().classes().size();
            for (int c = 0; c < k; c++) {
                ArrayNode a = scores.addArray();
                for (double v : stats.charts.scoresOfClass(c)) {
                    a.add(v);
                }
            }
            ArrayNode cal = root.putArray("calibration");
            for (double[] b : stats.charts.calibration()) {
                cal.addArray().add(b[0]).add(b[1]).add(b[2]);
            }
        } else if (stats.charts != null && task == Task.REGRESSION) {
            ArrayNode sample = root.putArray("sample");
            for (double[] p : stats.charts.sample()) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    sample.addArray().add(p[0]).add(p[1]);
                }
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void binary(ScoreHistogram.BinView b, ObjectNode root) {
        int n = b.low().length;
        double pos = 0;
        double neg = 0;
        for (int i = 0; i < n; i++) {
            pos += b.positive()[i];
            neg += b.negative()[i];
        }
        ArrayNode roc = root.putArray("roc");
        ArrayNode pr = root.putArray("pr");
        roc.addArray().add(0.0).add(0.0);
        int step = Math.max(1, n / MAX_POINTS);
        double tp = 0;
        double fp = 0;
        for (int i = n - 1, seen = 0; i >= 0; i--, seen++) {
            tp += b.positive()[i];
            fp += b.negative()[i];
            if (seen % step == 0 || i == 0) {
                roc.addArray().add(neg > 0 ? fp / neg : 0).add(pos > 0 ? tp / pos : 0);
                if (tp + fp > 0 && pos > 0) {
                    pr.addArray().add(tp / pos).add(tp / (tp + fp));
                }
            }
        }
        double[][] scores = new double[2][20];
        double[] w = new double[10];
        double[] wp = new double[10];
        double[] wpos = new double[10];
        for (int i = 0; i < n; i++) {
            double p = (b.low()[i] + b.high()[i]) / 2;
            int s = Math.min(19, (int) (p * 20));
            scores[0][s] += b.negative()[i];
            scores[1][s] += b.positive()[i];
            int c = Math.min(9, (int) (p * 10));
            double bw = b.positive()[i] + b.negative()[i];
            w[c] += bw;
            wp[c] += bw * p;
            wpos[c] += b.positive()[i];
        }
        ArrayNode sc = root.putArray("scores");
        for (double[] cls : scores) {
            ArrayNode a = sc.addArray();
            for (double v : cls) {
                a.add(v);
            }
        }
        ArrayNode cal = root.putArray("calibration");
        for (int c = 0; c < 10; c++) {
            if (w[c] > 0) {
                cal.addArray().add(w[c]).add(wp[c] / w[c]).add(wpos[c] / w[c]);
            }
        }
    }
}
