package io.annscore.bench;

import io.annscore.bench.EndToEndBenchmark.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns the measurements into the printed report, per network:
 * <ul>
 *   <li>the timing table: seconds per run (whole process, median over repetitions), seconds per
 *       million rows, and from the two sizes t = fixed + rows / rate the fixed start-up estimate
 *       and the marginal rate; ratios to the floor and to MLlib at the same size;</li>
 *   <li>the marginal cost per million rows of each method and their ratios;</li>
 *   <li>the checks: annscore's log loss equals MLlib's to {@value #LOG_LOSS_TOLERANCE} relative,
 *       and the accuracies are equal;</li>
 *   <li>network builds per executor JVM reported by annscore's job;</li>
 *   <li>memory: the driver's peak heap, sampled and after collections, at every size run;</li>
 *   <li>where each run's time went (JVM start to main, session, work, stop) and the machine's
 *       load average before it.</li>
 * </ul>
 */
final class Report {
    static final double LOG_LOSS_TOLERANCE = 1e-9;
    private static final double MIB = 1024.0 * 1024.0;

    private final BenchOptions options;
    private final List<Measurement> measurements;
    private final StringBuilder text = new StringBuilder();
    private boolean checksPassed = true;

    Report(BenchOptions options, List<Measurement> measurements) {
        this.options = options;
        this.measurements = measurements;
    }

    boolean checksPassed() {
        return checksPassed;
    }

    String render() {
        text.setLength(0);
        checksPassed = true;
        for (Workload w : options.workloads()) {
            renderWorkload(w);
        }
        return text.toString();
    }

    private void renderWorkload(Workload w) {
        line("== network %s (%d features, %d classes; sigmoid hidden layers, softmax output), Parquet input, %s",
                w.name(), w.features(), w.classes(), options.master());
        line("   seconds: whole application (JVM start to exit), median of %d run(s); fit over the two sizes:"
                + " seconds = start-up + rows / rate", options.repeat());
        line("");
        line("%-9s %12s %9s %11s %12s %16s %9s %9s", "method", "rows", "seconds", "s/M rows", "start-up~ s",
                "marginal rows/s", "vs floor", "vs MLlib");
        for (String method : options.methods()) {
            Fit fit = fit(w, method);
            for (long rows : List.of(w.smallRows(), w.largeRows())) {
                double t = medianWall(w, method, rows);
                line("%-9s %,12d %9.2f %11.2f %12s %16s %9s %9s", method, rows, t, t / rows * 1e6,
                        fit == null ? "n/a" : fmt("%.2f", fit.startup()),
                        fit == null ? "n/a" : fmt("%,.0f", fit.rate()),
                        ratio(t, medianWall(w, FloorMethod.ID, rows)),
                        ratio(t, medianWall(w, MllibMethod.ID, rows)));
            }
        }
        line("");
        renderMarginal(w);
        renderChecks(w);
        renderBuilds(w);
        renderMemory(w);
        renderBreakdown(w);
        line("");
    }

    /** The marginal cost per million rows and how the methods compare on it. */
    private void renderMarginal(Workload w) {
        List<String> parts = new ArrayList<>();
        for (String method : options.methods()) {
            Fit fit = fit(w, method);
            parts.add(method + " " + (fit == null ? "n/a" : fmt("%.2f s", 1e6 / fit.rate())));
        }
        line("marginal cost per million rows: %s", String.join(", ", parts));
        Fit ann = fit(w, AnnscoreMethod.ID);
        Fit floor = fit(w, FloorMethod.ID);
        Fit mllib = fit(w, MllibMethod.ID);
        if (ann != null && floor != null) {
            line("  annscore / floor: %.2f×  (1.00× = scoring at the speed of reading and writing the data)",
                    floor.rate() / ann.rate());
        }
        if (ann != null && mllib != null) {
            line("  annscore / MLlib: %.2f×", mllib.rate() / ann.rate());
        }
        if (ann == null || floor == null || mllib == null) {
            line("  (n/a: a method was not run, or its larger size was not slower than its smaller one —"
                    + " sizes too close for this machine's noise)");
        }
    }

    /** annscore's and MLlib's metrics on the same rows must agree. */
    private void renderChecks(Workload w) {
        if (!options.methods().contains(AnnscoreMethod.ID) || !options.methods().contains(MllibMethod.ID)) {
            return;
        }
        line("checks (annscore vs MLlib, same rows): log loss to %.0e relative, accuracy exactly", LOG_LOSS_TOLERANCE);
        for (long rows : List.of(w.smallRows(), w.largeRows())) {
            RunResult ann = first(w, AnnscoreMethod.ID, rows);
            RunResult mllib = first(w, MllibMethod.ID, rows);
            double a = ann.number(RunResult.LOG_LOSS);
            double m = mllib.number(RunResult.LOG_LOSS);
            double relative = Math.abs(a - m) / Math.abs(m);
            boolean lossOk = relative <= LOG_LOSS_TOLERANCE;
            double accA = ann.number(RunResult.ACCURACY);
            double accM = mllib.number(RunResult.ACCURACY);
            boolean accOk = accA == accM;
            checksPassed &= lossOk && accOk;
            line("  %,12d rows: log loss %.12f vs %.12f (relative difference %.1e) %s; accuracy %.6f vs %.6f %s",
                    rows, a, m, relative, lossOk ? "OK" : "FAILED", accA, accM, accOk ? "OK" : "FAILED");
        }
    }

    private void renderBuilds(Workload w) {
        if (!options.methods().contains(AnnscoreMethod.ID)) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (long rows : w.rowCounts(options.memoryCheckRuns())) {
            RunResult r = first(w, AnnscoreMethod.ID, rows);
            parts.add(fmt("%,d rows: %s", rows, r.has(RunResult.NETWORK_BUILDS) ? r.text(RunResult.NETWORK_BUILDS) : "n/a"));
        }
        line("annscore network builds per executor JVM (local mode: one JVM): %s", String.join("; ", parts));
    }

    private void renderMemory(Workload w) {
        line("memory of the driver JVM (heap %s; in local mode it also runs the tasks), MiB, largest over runs:",
                options.heap());
        line("  %-9s %12s %14s %17s %5s", "method", "rows", "peak heap used", "peak after GC", "GCs");
        for (String method : options.methods()) {
            for (long rows : w.rowCounts(options.memoryCheckRuns())) {
                List<RunResult> runs = results(w, method, rows);
                if (runs.isEmpty()) {
                    continue;
                }
                line("  %-9s %,12d %14.0f %17.0f %5.0f", method, rows,
                        max(runs, RunResult.PEAK_HEAP_USED) / MIB, max(runs, RunResult.PEAK_HEAP_AFTER_GC) / MIB,
                        max(runs, RunResult.COLLECTIONS));
            }
        }
        if (options.memoryCheckRuns()) {
            List<RunResult> tenth = results(w, AnnscoreMethod.ID, w.memoryCheckRows());
            List<RunResult> full = results(w, AnnscoreMethod.ID, w.largeRows());
            if (!tenth.isEmpty() && !full.isEmpty()) {
                double a = max(tenth, RunResult.PEAK_HEAP_AFTER_GC);
                double b = max(full, RunResult.PEAK_HEAP_AFTER_GC);
                line("  annscore at 10× the rows (%,d → %,d): peak heap after GC %.0f → %.0f MiB (×%.2f)",
                        w.memoryCheckRows(), w.largeRows(), a / MIB, b / MIB, b / a);
            }
        }
    }

    private void renderBreakdown(Workload w) {
        line("where the time went, seconds (each run): JVM start to main, session start, work, session stop;"
                + " machine load average before the run");
        line("  %-9s %12s %4s %8s %8s %8s %8s %8s %6s", "method", "rows", "run", "whole", "to main", "session", "work",
                "stop", "load");
        for (Measurement m : measurements) {
            if (!m.workload().equals(w)) {
                continue;
            }
            RunResult r = m.result();
            line("  %-9s %,12d %4d %8.2f %8.2f %8.2f %8.2f %8.2f %6.2f", m.method(), m.rows(), m.repetition(),
                    r.number(RunResult.WALL), r.number(RunResult.JVM_TO_MAIN), r.number(RunResult.SESSION),
                    r.number(RunResult.WORK), r.number(RunResult.STOP), r.number(RunResult.LOAD_BEFORE));
        }
    }

    /**
     * The straight line through the two sizes' median times: marginal seconds per row
     * c = (t_large − t_small) / (n_large − n_small), rate = 1 / c, start-up = t_small − n_small · c.
     * Null when the method did not run or the larger size was not slower.
     */
    private Fit fit(Workload w, String method) {
        double small = medianWall(w, method, w.smallRows());
        double large = medianWall(w, method, w.largeRows());
        double perRow = (large - small) / (w.largeRows() - w.smallRows());
        if (!(perRow > 0)) {
            return null;
        }
        return new Fit(small - w.smallRows() * perRow, 1 / perRow);
    }

    private record Fit(double startup, double rate) {
    }

    /** Median whole-application time; NaN when the method did not run at that size. */
    private double medianWall(Workload w, String method, long rows) {
        double[] walls = results(w, method, rows).stream().mapToDouble(r -> r.number(RunResult.WALL)).sorted().toArray();
        if (walls.length == 0) {
            return Double.NaN;
        }
        int mid = walls.length / 2;
        return walls.length % 2 == 1 ? walls[mid] : (walls[mid - 1] + walls[mid]) / 2;
    }

    private List<RunResult> results(Workload w, String method, long rows) {
        return measurements.stream()
                .filter(m -> m.workload().equals(w) && m.method().equals(method) && m.rows() == rows)
                .map(Measurement::result)
                .collect(Collectors.toList());
    }

    private RunResult first(Workload w, String method, long rows) {
        return results(w, method, rows).get(0);
    }

    private static double max(List<RunResult> runs, String key) {
        return runs.stream().mapToDouble(r -> r.number(key)).max().orElse(Double.NaN);
    }

    private static String ratio(double t, double reference) {
        return Double.isNaN(reference) ? "-" : fmt("%.2f", t / reference);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private void line(String format, Object... args) {
        text.append(fmt(format, args)).append('\n');
    }
}
