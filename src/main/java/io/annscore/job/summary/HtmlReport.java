package io.annscore.job.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML report of a run: one self-contained file, charts as inline SVG written here, no script,
 * no font, no image and no link to fetch, so the page makes no request and opens anywhere (an
 * e-mail attachment, an object store's browser, offline). A chart library bundled in the jar
 * (ECharts is 1 MB of JavaScript) would be inlined into every report and run code in the reader's
 * browser; these charts are bars, lines, points and cells, which SVG draws as they are.
 *
 * <p>Everything shown comes from the summary row of the run (its columns, {@code chart_data}),
 * its segment rows, the job's earlier summary rows (trends), and its profile rows with those of
 * its drift reference, so {@code ./submit.sh report} rebuilds the same page from the tables. Each
 * chart is a {@code <figure class="chart" data-chart="…" data-points="n">}, n the number of data
 * points drawn (the browser test checks them).
 */
public final class HtmlReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int W = 360;
    private static final int H = 240;
    private static final int L = 48;
    private static final int R = 12;
    private static final int T = 12;
    private static final int B = 36;

    private HtmlReport() {
    }

    /**
     * @param run the run's summary row, column → value
     * @param segments its segment rows
     * @param history the job's runs for the trends, oldest first, this one last
     * @param profile the run's profile entries (empty when profiles are off)
     * @param reference the drift reference's entries by key, or null
     */
    public static String render(Map<String, Object> run, List<Map<String, Object>> segments,
                                List<Map<String, Object>> history, List<Profiles.Entry> profile,
                                Map<String, Profiles.Entry> reference) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String task = str(run.get("task"));
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<title>annscore ").append(esc(str(run.get("job_name")))).append(' ').append(esc(str(run.get("run_date"))))
                .append("</title><style>").append(CSS).append("</style></head><body>\n");
        header(h, run);
        metrics(h, run);
        JsonNode charts = chartData(run);
        boolean labelled = num(run.get("rows_scored")).longValue() > num(run.get("rows_unlabeled")).longValue();
        if (!labelled) {
            h.append("<h2>Scores</h2><p class=\"muted\">No labelled rows: no score distribution, calibration,"
                    + " curves or confusion matrix (they need input.labels).</p>\n");
        } else if ("binary".equals(task) || "multiclass".equals(task)) {
            h.append("<h2>Scores</h2><div class=\"row\">");
            scoreDistribution(h, charts, run);
            calibration(h, charts, task);
            if ("binary".equals(task)) {
                curve(h, "roc", "ROC curve", "false positive rate", "true positive rate", charts.path("roc"), true);
                curve(h, "pr", "Precision–recall curve", "recall", "precision", charts.path("pr"), false);
            }
            confusion(h, run);
            h.append("</div>\n");
        } else if ("regression".equals(task)) {
            h.append("<h2>Predictions</h2><div class=\"row\">");
            regression(h, charts);
            h.append("</div>\n");
        }
        quarantine(h, run);
        segments(h, segments, run);
        trends(h, history, task);
        drift(h, profile, reference);
        h.append("<footer>annscore · run ").append(esc(str(run.get("run_id")))).append(" · Spark ")
                .append(esc(str(run.get("spark_version")))).append("</footer></body></html>\n");
        return h.toString();
    }

    private static final String CSS = "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1500px}"
            + "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}"
            + "table{border-collapse:collapse;margin:6px 0}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}"
            + "th{background:#f6f6f6}td.l,th.l{text-align:left}.row{display:flex;flex-wrap:wrap;gap:18px}"
            + "figure{margin:0}figcaption{font-weight:600;margin-bottom:2px}.alarm{background:#fdd}.warning{background:#ffe9b3}"
            + ".ok{background:#e8f5e9}.muted{color:#777}svg text{font-size:10px;fill:#444}code{font-size:12px}"
            + "footer{margin-top:32px;color:#888;font-size:12px}";

    // ---- sections ----

    private static void header(StringBuilder h, Map<String, Object> run) {
        h.append("<h1>").append(esc(str(run.get("job_name")))).append(" — ").append(esc(str(run.get("run_date"))))
                .append("</h1>\n<table class=\"header\">");
        row(h, "model", str(run.get("model_name")) + (str(run.get("model_version")).isEmpty() ? "" : " (version "
                + run.get("model_version") + ")") + ", " + str(run.get("task")));
        row(h, "model SHA-256", "<code>" + esc(str(run.get("model_sha256"))) + "</code>", false);
        row(h, "rows read", count(run.get("rows_read")));
        row(h, "rows scored", count(run.get("rows_scored")));
        long read = num(run.get("rows_read")).longValue();
        long quarantined = num(run.get("rows_quarantined")).longValue();
        row(h, "rows quarantined", count(quarantined) + (read > 0 ? String.format(Locale.ROOT, " (%.3f%%)", 100.0 * quarantined / read) : ""));
        row(h, "rows unlabeled", count(run.get("rows_unlabeled")));
        row(h, "duration", String.format(Locale.ROOT, "%.1f s (%s → %s)", num(run.get("duration_seconds")).doubleValue(),
                str(run.get("start_time")), str(run.get("end_time"))));
        row(h, "input", String.join(", ", strings(run.get("input_paths"))));
        if (run.get("drift_reference") != null) {
            List<String> alarms = strings(run.get("drift_alarms"));
            row(h, "drift", "against " + esc(str(run.get("drift_reference"))) + ": largest PSI "
                    + fmt(num(run.get("max_psi"))) + " (" + esc(str(run.get("max_psi_column"))) + "); "
                    + (alarms.isEmpty() ? "no alarm" : "<b>alarm</b>: " + esc(String.join(", ", alarms))), false);
        }
        h.append("</table>\n");
    }

    private static void metrics(StringBuilder h, Map<String, Object> run) {
        List<String> shown = new ArrayList<>();
        for (String m : SummaryTable.METRIC_COLUMNS) {
            if (run.get(m) != null) {
                shown.add(m);
            }
        }
        if (shown.isEmpty()) {
            h.append("<h2>Metrics</h2><p class=\"muted\">No metrics: the run had no labelled rows.</p>\n");
            return;
        }
        h.append("<h2>Metrics</h2><table class=\"metrics\"><tr><th class=\"l\">metric</th><th>value</th></tr>");
        for (String m : shown) {
            h.append("<tr><td class=\"l\">").append(m).append("</td><td>").append(fmt(num(run.get(m)))).append("</td></tr>");
        }
        h.append("</table>\n");
    }

    private static JsonNode chartData(Map<String, Object> run) {
        try {
            Object v = run.get("chart_data");
            return v == null ? JSON.createObjectNode() : JSON.readTree(v.toString());
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static void scoreDistribution(StringBuilder h, JsonNode charts, Map<String, Object> run) {
        JsonNode scores = charts.path("scores");
        List<String> names = classNames(run, scores.size());
        List<double[]> series = new ArrayList<>();
        for (JsonNode cls : scores) {
            double[] v = doubles(cls);
            double total = Arrays.stream(v).sum();
            for (int i = 0; i < v.length; i++) {
                v[i] = total > 0 ? v[i] / total : 0;
            }
            series.add(v);
        }
        boolean binary = "binary".equals(str(run.get("task")));
        String x = binary ? "P(class 1)" : "probability given to the true class";
        StringBuilder svg = new StringBuilder();
        int points = 0;
        double max = 0;
        for (double[] s : series) {
            max = Math.max(max, Arrays.stream(s).max().orElse(0));
        }
        Axes a = new Axes(0, 1, 0, max > 0 ? max * 1.05 : 1);
        a.frame(svg, x, "share of the class's rows");
        for (int c = 0; c < series.size(); c++) {
            double[] s = series.get(c);
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < s.length; i++) {
                double x0 = (double) i / s.length;
                double x1 = (double) (i + 1) / s.length;
                path.append(i == 0 ? "M" : "L").append(a.x(x0)).append(',').append(a.y(s[i]))
                        .append("L").append(a.x(x1)).append(',').append(a.y(s[i]));
                points++;
            }
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(color(c))
                    .append("\" stroke-width=\"1.6\"/>");
        }
        legend(svg, names);
        figure(h, "scores", "Score distribution per class", points, svg);
    }

    private static void calibration(StringBuilder h, JsonNode charts, String task) {
        StringBuilder svg = new StringBuilder();
        Axes a = new Axes(0, 1, 0, 1);
        boolean binary = "binary".equals(task);
        a.frame(svg, binary ? "mean P(class 1)" : "mean top probability", binary ? "share of class 1" : "accuracy");
        svg.append("<line x1=\"").append(a.x(0)).append("\" y1=\"").append(a.y(0)).append("\" x2=\"").append(a.x(1))
                .append("\" y2=\"").append(a.y(1)).append("\" stroke=\"#aaa\" stroke-dasharray=\"4 3\"/>");
        StringBuilder path = new StringBuilder();
        int points = 0;
        double total = 0;
        for (JsonNode b : charts.path("calibration")) {
            total += b.get(0).asDouble();
        }
        for (JsonNode b : charts.path("calibration")) {
            double px = b.get(1).asDouble();
            double py = b.get(2).asDouble();
            path.append(points == 0 ? "M" : "L").append(a.x(px)).append(',').append(a.y(py));
            double r = 2 + 6 * Math.sqrt(total > 0 ? b.get(0).asDouble() / total : 0);
            svg.append("<circle cx=\"").append(a.x(px)).append("\" cy=\"").append(a.y(py)).append("\" r=\"")
                    .append(f1(r)).append("\" fill=\"").append(COLORS[0]).append("\"><title>")
                    .append(String.format(Locale.ROOT, "%.3f → %.3f (weight %s)", px, py, fmt(b.get(0).asDouble())))
                    .append("</title></circle>");
            points++;
        }
        svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(COLORS[0]).append("\"/>");
        figure(h, "calibration", "Calibration (reliability)", points, svg);
    }

    private static void curve(StringBuilder h, String id, String title, String xl, String yl, JsonNode pts, boolean diagonal) {
        StringBuilder svg = new StringBuilder();
        Axes a = new Axes(0, 1, 0, 1);
        a.frame(svg, xl, yl);
        if (diagonal) {
            svg.append("<line x1=\"").append(a.x(0)).append("\" y1=\"").append(a.y(0)).append("\" x2=\"").append(a.x(1))
                    .append("\" y2=\"").append(a.y(1)).append("\" stroke=\"#aaa\" stroke-dasharray=\"4 3\"/>");
        }
        StringBuilder path = new StringBuilder();
        int n = 0;
        for (JsonNode p : pts) {
            path.append(n++ == 0 ? "M" : "L").append(a.x(p.get(0).asDouble())).append(',').append(a.y(p.get(1).asDouble()));
        }
        svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(COLORS[0]).append("\" stroke-width=\"1.8\"/>");
        figure(h, id, title, n, svg);
    }

    private static void confusion(StringBuilder h, Map<String, Object> run) {
        List<Object> rows = list(run.get("confusion_matrix"));
        if (rows.isEmpty()) {
            return;
        }
        int k = rows.size();
        double max = 0;
        double[][] m = new double[k][];
        for (int i = 0; i < k; i++) {
            m[i] = list(rows.get(i)).stream().mapToDouble(v -> num(v).doubleValue()).toArray();
            for (double v : m[i]) {
                max = Math.max(max, v);
            }
        }
        List<String> names = classNames(run, k);
        int cell = Math.max(18, Math.min(48, 260 / k));
        int left = 70;
        int top = 40;
        int width = left + cell * k + 10;
        int height = top + cell * k + 10;
        StringBuilder svg = new StringBuilder();
        svg.append("<text x=\"").append(left + cell * k / 2).append("\" y=\"12\" text-anchor=\"middle\">predicted</text>");
        svg.append("<text x=\"10\" y=\"").append(top + cell * k / 2).append("\" transform=\"rotate(-90 10 ")
                .append(top + cell * k / 2).append(")\" text-anchor=\"middle\">true</text>");
        for (int i = 0; i < k; i++) {
            svg.append("<text x=\"").append(left + cell * i + cell / 2).append("\" y=\"").append(top - 6)
                    .append("\" text-anchor=\"middle\">").append(esc(shortName(names.get(i)))).append("</text>");
            svg.append("<text x=\"").append(left - 4).append("\" y=\"").append(top + cell * i + cell / 2 + 3)
                    .append("\" text-anchor=\"end\">").append(esc(shortName(names.get(i)))).append("</text>");
            for (int j = 0; j < k; j++) {
                double share = max > 0 ? m[i][j] / max : 0;
                int shade = (int) Math.round(255 - 200 * share);
                svg.append("<rect x=\"").append(left + cell * j).append("\" y=\"").append(top + cell * i).append("\" width=\"")
                        .append(cell - 1).append("\" height=\"").append(cell - 1).append("\" fill=\"rgb(").append(shade)
                        .append(',').append(shade).append(",255)\"><title>true ").append(i).append(", predicted ").append(j)
                        .append(": ").append(fmt(m[i][j])).append("</title></rect>");
                if (cell >= 28) {
                    svg.append("<text x=\"").append(left + cell * j + cell / 2).append("\" y=\"").append(top + cell * i + cell / 2 + 3)
                            .append("\" text-anchor=\"middle\"").append(share > 0.6 ? " style=\"fill:#fff\"" : "").append('>')
                            .append(compact(m[i][j])).append("</text>");
                }
            }
        }
        h.append("<figure class=\"chart\" data-chart=\"confusion\" data-points=\"").append(k * k)
                .append("\"><figcaption>Confusion matrix</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\">").append(svg).append("</svg></figure>");
    }

    private static void regression(StringBuilder h, JsonNode charts) {
        List<double[]> pairs = new ArrayList<>();
        for (JsonNode p : charts.path("sample")) {
            pairs.add(new double[] {p.get(0).asDouble(), p.get(1).asDouble()});
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] p : pairs) {
            lo = Math.min(lo, Math.min(p[0], p[1]));
            hi = Math.max(hi, Math.max(p[0], p[1]));
        }
        if (!(hi > lo)) {
            lo = pairs.isEmpty() ? 0 : lo - 1;
            hi = pairs.isEmpty() ? 1 : hi + 1;
        }
        StringBuilder svg = new StringBuilder();
        Axes a = new Axes(lo, hi, lo, hi);
        a.frame(svg, "actual (label)", "predicted");
        svg.append("<line x1=\"").append(a.x(lo)).append("\" y1=\"").append(a.y(lo)).append("\" x2=\"").append(a.x(hi))
                .append("\" y2=\"").append(a.y(hi)).append("\" stroke=\"#aaa\" stroke-dasharray=\"4 3\"/>");
        for (double[] p : pairs) {
            svg.append("<circle cx=\"").append(a.x(p[1])).append("\" cy=\"").append(a.y(p[0]))
                    .append("\" r=\"1.8\" fill=\"").append(COLORS[0]).append("\" fill-opacity=\"0.5\"/>");
        }
        figure(h, "predicted-vs-actual", "Predicted against actual (sample of " + pairs.size() + " rows, first output)",
                pairs.size(), svg);
        double[] residuals = pairs.stream().mapToDouble(p -> p[1] - p[0]).sorted().toArray();
        int bins = 20;
        double[] counts = new double[bins];
        double rlo = residuals.length == 0 ? -1 : residuals[0];
        double rhi = residuals.length == 0 ? 1 : residuals[residuals.length - 1];
        if (!(rhi > rlo)) {
            rlo -= 1;
            rhi += 1;
        }
        for (double r : residuals) {
            counts[Math.min(bins - 1, (int) ((r - rlo) / (rhi - rlo) * bins))]++;
        }
        StringBuilder rs = new StringBuilder();
        Axes b = new Axes(rlo, rhi, 0, Math.max(1, Arrays.stream(counts).max().orElse(1)) * 1.05);
        b.frame(rs, "residual (label − prediction)", "rows");
        for (int i = 0; i < bins; i++) {
            double x0 = rlo + (rhi - rlo) * i / bins;
            double x1 = rlo + (rhi - rlo) * (i + 1) / bins;
            bar(rs, b, x0, x1, counts[i], COLORS[0]);
        }
        figure(h, "residuals", "Residuals (same sample)", residuals.length, rs);
    }

    private static void quarantine(StringBuilder h, Map<String, Object> run) {
        Map<String, Long> reasons = new LinkedHashMap<>();
        Object v = run.get("quarantine_reasons");
        if (v instanceof scala.collection.Map<?, ?> sm) {
            scala.jdk.javaapi.CollectionConverters.asJava(sm).forEach((k, c) -> reasons.put(str(k), num(c).longValue()));
        } else if (v instanceof Map<?, ?> jm) {
            jm.forEach((k, c) -> reasons.put(str(k), num(c).longValue()));
        }
        h.append("<h2>Quarantine</h2>");
        if (reasons.isEmpty()) {
            h.append("<p class=\"muted\">No row was quarantined.</p>")
                    .append("<figure class=\"chart\" data-chart=\"quarantine\" data-points=\"0\"></figure>\n");
            return;
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(reasons.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        long max = sorted.get(0).getValue();
        int rowH = 20;
        StringBuilder svg = new StringBuilder();
        for (int i = 0; i < sorted.size(); i++) {
            double w = 260.0 * sorted.get(i).getValue() / max;
            int y = i * rowH + 4;
            svg.append("<text x=\"150\" y=\"").append(y + 12).append("\" text-anchor=\"end\">")
                    .append(esc(sorted.get(i).getKey())).append("</text><rect x=\"156\" y=\"").append(y).append("\" width=\"")
                    .append(f1(Math.max(1, w))).append("\" height=\"14\" fill=\"").append(COLORS[3]).append("\"/><text x=\"")
                    .append(f1(160 + w)).append("\" y=\"").append(y + 12).append("\">").append(count(sorted.get(i).getValue()))
                    .append("</text>");
        }
        h.append("<figure class=\"chart\" data-chart=\"quarantine\" data-points=\"").append(sorted.size())
                .append("\"><figcaption>Quarantined rows by reason</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"500\" height=\"")
                .append(sorted.size() * rowH + 8).append("\">").append(svg).append("</svg></figure>\n");
    }

    private static void segments(StringBuilder h, List<Map<String, Object>> segments, Map<String, Object> run) {
        if (segments.isEmpty()) {
            return;
        }
        List<String> metrics = new ArrayList<>();
        for (String m : SummaryTable.METRIC_COLUMNS) {
            if (run.get(m) != null && !m.endsWith("_error_bound") && metrics.size() < 6) {
                metrics.add(m);
            }
        }
        h.append("<h2>Segments</h2><table class=\"segments\" data-rows=\"").append(segments.size())
                .append("\"><tr><th class=\"l\">segment</th><th>rows scored</th><th>quarantined</th>");
        for (String m : metrics) {
            h.append("<th>").append(m).append("</th>");
        }
        h.append("</tr>");
        for (Map<String, Object> s : segments) {
            h.append("<tr><td class=\"l\">").append(esc(str(s.get("segment")))).append("</td><td>")
                    .append(count(s.get("rows_scored"))).append("</td><td>").append(count(s.get("rows_quarantined"))).append("</td>");
            for (String m : metrics) {
                h.append("<td>").append(s.get(m) == null ? "" : fmt(num(s.get(m)))).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>\n");
    }

    private static void trends(StringBuilder h, List<Map<String, Object>> history, String task) {
        List<String> series = new ArrayList<>(List.of("rows_scored", "quarantine_share"));
        switch (task) {
            case "binary" -> series.addAll(List.of("roc_auc", "binary_cross_entropy", "accuracy"));
            case "multiclass" -> series.addAll(List.of("accuracy", "cross_entropy", "macro_f1"));
            default -> series.addAll(List.of("rmse", "mae", "r2"));
        }
        series.add("max_psi");
        h.append("<h2>Trends over the last ").append(history.size()).append(history.size() == 1 ? " run" : " runs")
                .append("</h2><div class=\"row\">");
        for (String s : series) {
            List<double[]> pts = new ArrayList<>();
            List<String> dates = new ArrayList<>();
            for (int i = 0; i < history.size(); i++) {
                Map<String, Object> r = history.get(i);
                Double v;
                if (s.equals("quarantine_share")) {
                    double read = num(r.get("rows_read")).doubleValue();
                    v = read > 0 ? num(r.get("rows_quarantined")).doubleValue() / read : null;
                } else {
                    v = r.get(s) == null ? null : num(r.get(s)).doubleValue();
                }
                if (v != null && Double.isFinite(v)) {
                    pts.add(new double[] {i, v});
                    dates.add(str(r.get("run_date")));
                }
            }
            if (pts.isEmpty()) {
                continue;
            }
            double lo = pts.stream().mapToDouble(p -> p[1]).min().orElse(0);
            double hi = pts.stream().mapToDouble(p -> p[1]).max().orElse(1);
            if (!(hi > lo)) {
                double pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.05 : 1;
                lo -= pad;
                hi += pad;
            }
            StringBuilder svg = new StringBuilder();
            Axes a = new Axes(-0.5, Math.max(0.5, history.size() - 0.5), lo, hi);
            a.frame(svg, dates.get(0) + " … " + dates.get(dates.size() - 1), s);
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < pts.size(); i++) {
                double[] p = pts.get(i);
                path.append(i == 0 ? "M" : "L").append(a.x(p[0])).append(',').append(a.y(p[1]));
                svg.append("<circle cx=\"").append(a.x(p[0])).append("\" cy=\"").append(a.y(p[1])).append("\" r=\"2.5\" fill=\"")
                        .append(COLORS[0]).append("\"><title>").append(dates.get(i)).append(": ").append(fmt(p[1]))
                        .append("</title></circle>");
            }
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(COLORS[0]).append("\"/>");
            figure(h, "trend-" + s, s, pts.size(), svg);
        }
        h.append("</div>\n");
    }

    private static void drift(StringBuilder h, List<Profiles.Entry> profile, Map<String, Profiles.Entry> reference) {
        if (profile.isEmpty()) {
            return;
        }
        boolean withDrift = profile.stream().anyMatch(e -> e.psi() != null);
        List<Profiles.Entry> sorted = new ArrayList<>(profile);
        if (withDrift) {
            sorted.sort(Comparator.comparing((Profiles.Entry e) -> e.psi() == null ? Double.NEGATIVE_INFINITY : e.psi()).reversed());
        }
        h.append("<h2>").append(withDrift ? "Drift and profiles" : "Profiles").append("</h2>");
        if (withDrift) {
            h.append("<p>Against ").append(esc(str(profile.get(0).reference())))
                    .append(", sorted by PSI; each histogram shows the reference's shares (grey) beside this run's (blue) on the same bins.</p>");
        }
        h.append("<table class=\"drift\" data-rows=\"").append(sorted.size()).append("\"><tr><th class=\"l\">column</th><th class=\"l\">kind</th>");
        if (withDrift) {
            h.append("<th>PSI</th><th>KS</th><th class=\"l\">drift</th>");
        }
        h.append("<th>count</th><th>missing</th><th>mean</th><th>std</th><th>min</th><th>max</th><th class=\"l\">histogram</th></tr>");
        for (Profiles.Entry e : sorted) {
            String level = e.drift() == null ? "" : e.drift();
            h.append("<tr class=\"").append(level).append("\"><td class=\"l\">").append(esc(e.column())).append("</td><td class=\"l\">")
                    .append(e.kind()).append("</td>");
            if (withDrift) {
                h.append("<td>").append(e.psi() == null ? "" : fmt(e.psi())).append("</td><td>")
                        .append(e.ks() == null ? "" : fmt(e.ks())).append("</td><td class=\"l\">").append(level).append("</td>");
            }
            h.append("<td>").append(count(e.count())).append("</td><td>").append(count(e.missing())).append("</td><td>")
                    .append(fmt(e.mean())).append("</td><td>").append(fmt(e.std())).append("</td><td>").append(fmt(e.min()))
                    .append("</td><td>").append(fmt(e.max())).append("</td><td class=\"l\">");
            Profiles.Entry ref = reference == null ? null : reference.get(e.key());
            boolean comparable = ref != null && Arrays.equals(ref.edges(), e.edges());
            histograms(h, e, comparable ? ref : null, !level.isEmpty() && !level.equals("ok"));
            h.append("</td></tr>");
        }
        h.append("</table>\n");
    }

    /** A column's histogram (shares per bin, bins drawn of equal width), the reference's beside it. */
    private static void histograms(StringBuilder h, Profiles.Entry e, Profiles.Entry ref, boolean large) {
        int bins = e.counts().length;
        int w = large ? 320 : 160;
        int hh = large ? 90 : 36;
        double[] run = shares(e.counts());
        double[] r = ref == null ? null : shares(ref.counts());
        double max = Arrays.stream(run).max().orElse(0);
        if (r != null) {
            max = Math.max(max, Arrays.stream(r).max().orElse(0));
        }
        double slot = (double) w / bins;
        StringBuilder svg = new StringBuilder();
        for (int i = 0; i < bins; i++) {
            double bw = r == null ? slot - 1 : slot / 2 - 0.5;
            if (r != null) {
                double rh = max > 0 ? r[i] / max * (hh - 2) : 0;
                svg.append("<rect x=\"").append(f1(i * slot)).append("\" y=\"").append(f1(hh - rh)).append("\" width=\"")
                        .append(f1(bw)).append("\" height=\"").append(f1(rh)).append("\" fill=\"#999\"/>");
            }
            double qh = max > 0 ? run[i] / max * (hh - 2) : 0;
            svg.append("<rect x=\"").append(f1(i * slot + (r == null ? 0 : slot / 2))).append("\" y=\"").append(f1(hh - qh))
                    .append("\" width=\"").append(f1(bw)).append("\" height=\"").append(f1(qh)).append("\" fill=\"")
                    .append(COLORS[0]).append("\"><title>").append(binLabel(e.edges(), i)).append(": ")
                    .append(String.format(Locale.ROOT, "%.4f", run[i]))
                    .append(r == null ? "" : String.format(Locale.ROOT, " (reference %.4f)", r[i])).append("</title></rect>");
        }
        h.append("<figure class=\"chart\" data-chart=\"histogram").append(r == null ? "" : "-pair").append("\" data-points=\"")
                .append(bins * (r == null ? 1 : 2)).append("\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w)
                .append("\" height=\"").append(hh).append("\">").append(svg).append("</svg></figure>");
    }

    private static String binLabel(double[] edges, int i) {
        String lo = i == 0 ? "−∞" : fmt(edges[i - 1]);
        String hi = i == edges.length ? "+∞" : fmt(edges[i]);
        return "[" + lo + ", " + hi + ")";
    }

    private static double[] shares(long[] counts) {
        double total = Arrays.stream(counts).sum();
        double[] s = new double[counts.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = total > 0 ? counts[i] / total : 0;
        }
        return s;
    }

    // ---- drawing ----

    /** A plot area of {@link #W}×{@link #H} pixels for the data ranges given. */
    private record Axes(double x0, double x1, double y0, double y1) {
        String x(double v) {
            return f1(L + (v - x0) / (x1 - x0) * (W - L - R));
        }

        String y(double v) {
            return f1(T + (1 - (v - y0) / (y1 - y0)) * (H - T - B));
        }

        void frame(StringBuilder svg, String xLabel, String yLabel) {
            svg.append("<rect x=\"").append(L).append("\" y=\"").append(T).append("\" width=\"").append(W - L - R)
                    .append("\" height=\"").append(H - T - B).append("\" fill=\"none\" stroke=\"#ccc\"/>");
            for (int i = 0; i <= 4; i++) {
                double vx = x0 + (x1 - x0) * i / 4;
                double vy = y0 + (y1 - y0) * i / 4;
                svg.append("<text x=\"").append(x(vx)).append("\" y=\"").append(H - B + 12).append("\" text-anchor=\"middle\">")
                        .append(tick(vx)).append("</text>");
                svg.append("<text x=\"").append(L - 4).append("\" y=\"").append(y(vy)).append("\" text-anchor=\"end\" dy=\"3\">")
                        .append(tick(vy)).append("</text>");
            }
            svg.append("<text x=\"").append((L + W - R) / 2).append("\" y=\"").append(H - 6).append("\" text-anchor=\"middle\">")
                    .append(esc(xLabel)).append("</text>");
            svg.append("<text x=\"10\" y=\"").append((T + H - B) / 2).append("\" transform=\"rotate(-90 10 ").append((T + H - B) / 2)
                    .append(")\" text-anchor=\"middle\">").append(esc(yLabel)).append("</text>");
        }
    }

    private static void bar(StringBuilder svg, Axes a, double x0, double x1, double v, String color) {
        double left = Double.parseDouble(a.x(x0));
        double right = Double.parseDouble(a.x(x1));
        double top = Double.parseDouble(a.y(v));
        double base = Double.parseDouble(a.y(a.y0()));
        svg.append("<rect x=\"").append(f1(left)).append("\" y=\"").append(f1(top)).append("\" width=\"")
                .append(f1(Math.max(0.5, right - left - 1))).append("\" height=\"").append(f1(base - top)).append("\" fill=\"")
                .append(color).append("\"/>");
    }

    private static void legend(StringBuilder svg, List<String> names) {
        for (int i = 0; i < names.size() && i < 10; i++) {
            int y = T + 10 + 12 * i;
            svg.append("<rect x=\"").append(W - R - 90).append("\" y=\"").append(y - 7).append("\" width=\"8\" height=\"8\" fill=\"")
                    .append(color(i)).append("\"/><text x=\"").append(W - R - 78).append("\" y=\"").append(y).append("\">")
                    .append(esc(shortName(names.get(i)))).append("</text>");
        }
    }

    private static void figure(StringBuilder h, String id, String title, int points, StringBuilder svg) {
        h.append("<figure class=\"chart\" data-chart=\"").append(id).append("\" data-points=\"").append(points)
                .append("\"><figcaption>").append(esc(title)).append("</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(W).append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\">")
                .append(svg).append("</svg></figure>");
    }

    // ---- values ----

    private static List<String> classNames(Map<String, Object> run, int k) {
        List<String> names = new ArrayList<>();
        List<Object> classes = list(run.get("classes"));
        for (int c = 0; c < k; c++) {
            String n = null;
            if (c < classes.size() && classes.get(c) instanceof org.apache.spark.sql.Row r && !r.isNullAt(1)) {
                n = r.getString(1);
            }
            names.add(n == null || n.equals(String.valueOf(c)) ? "class " + c : c + " " + n);
        }
        return names;
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    static List<Object> list(Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof scala.collection.Seq<?> s) {
            return new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(s));
        }
        if (v instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (v instanceof Object[] a) {
            return new ArrayList<>(Arrays.asList(a));
        }
        return List.of(v);
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        for (Object o : list(v)) {
            out.add(str(o));
        }
        return out;
    }

    private static Number num(Object v) {
        return v instanceof Number n ? n : Double.NaN;
    }

    private static String str(Object v) {
        return v == null ? "" : v.toString();
    }

    private static String color(int i) {
        return COLORS[i % COLORS.length];
    }

    private static String shortName(String s) {
        return s.length() > 14 ? s.substring(0, 13) + "…" : s;
    }

    private static void row(StringBuilder h, String k, String v) {
        row(h, k, esc(v), false);
    }

    private static void row(StringBuilder h, String k, String html, boolean unused) {
        h.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td class=\"l\">").append(html).append("</td></tr>");
    }

    private static String count(Object v) {
        return String.format(Locale.ROOT, "%,d", num(v).longValue());
    }

    private static String fmt(Number n) {
        return fmt(n.doubleValue());
    }

    static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "";
        }
        if (d != 0 && (Math.abs(d) >= 1e6 || Math.abs(d) < 1e-3)) {
            return String.format(Locale.ROOT, "%.4g", d);
        }
        return String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String compact(double d) {
        return d >= 1e4 ? String.format(Locale.ROOT, "%.2g", d) : fmt(d);
    }

    private static String tick(double d) {
        return Math.abs(d) >= 1e4 || (d != 0 && Math.abs(d) < 1e-2) ? String.format(Locale.ROOT, "%.1e", d)
                : String.format(Locale.ROOT, "%.2f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String f1(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
