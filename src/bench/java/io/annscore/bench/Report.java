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
 *   <li>memory: annscore's peak heap at 1× and 10× the rows (the memory check), and every timed
 *       run's for comparison;</li>
 *   <li>where each run's time went (JVM start to main, session, work, stop) and the machine's
 *       load average before it.</li>
 * </ul>
 */
final class Report {
    static final double LOG_LOSS_TOLERANCE = 1e-9;
    /** Below this difference between the two sizes' times, the fit is noise, not a rate. */
    static final double MIN_FIT_SECONDS = 0.5;
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
        line("   CPU s: the process's CPU time, all threads (on a busy machine, steadier than seconds)");
        line("");
        line("%-18s %12s %9s %11s %12s %16s %8s %8s %9s", "method", "rows", "seconds", "s/M rows", "start-up~ s",
                "marginal rows/s", "CPU s", "load", "vs floor");
        for (String method : options.methods()) {
            Fit fit = fit(w, method);
            for (long rows : List.of(w.smallRows(), w.largeRows())) {
                double t = medianWall(w, method, rows);
                line("%-18s %,12d %9.2f %11.2f %12s %16s %8.1f %8.2f %9s", method, rows, t, t / rows * 1e6,
                        fit == null ? "n/a" : fmt("%.2f", fit.startup()),
                        fit == null ? "n/a" : fmt("%,.0f", fit.rate()),
                        median(w, method, rows, RunResult.CPU), median(w, method, rows, RunResult.LOAD_BEFORE),
                        ratio(t, medianWall(w, FloorMethod.ID, rows)));
            }
        }
        line("");
        renderMarginal(w);
        renderChecks(w);
        renderBuilds(w);
        renderOutputs(w);
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
        List<String> cpu = new ArrayList<>();
        for (String method : options.methods()) {
            double perRow = (median(w, method, w.largeRows(), RunResult.CPU) - median(w, method, w.smallRows(), RunResult.CPU))
                    / (w.largeRows() - w.smallRows());
            cpu.add(method + " " + (perRow > 0 ? fmt("%.2f s", perRow * 1e6) : "n/a"));
        }
        line("marginal CPU time per million rows: %s", String.join(", ", cpu));
        // annscore's lead: the others' marginal cost over annscore's (above 1: annscore is faster),
        // for wall time (rows/s of the fit) and for CPU time per row.
        Fit ann = fit(w, AnnscoreMethod.ID);
        for (String self : List.of(AnnscoreMethod.ID, AnnscoreMethod.ID_FLOAT32)) {
            if (!options.methods().contains(self)) {
                continue;
            }
            Fit mine = fit(w, self);
            double myCpu = marginalCpu(w, self);
            for (String other : options.methods()) {
                if (other.equals(self) || other.equals(AnnscoreMethod.ID_FLOAT32)) {
                    continue;
                }
                Fit o = fit(w, other);
                double oCpu = marginalCpu(w, other);
                line("  %-10s vs %-12s marginal rows/s %s, CPU time per row %s  (above 1: %s is faster;"
                        + " against a floor, the share of the floor's speed reached)", self, other + ":",
                        mine == null || o == null ? "n/a" : fmt("%.2f×", mine.rate() / o.rate()),
                        myCpu > 0 && oCpu > 0 ? fmt("%.2f×", oCpu / myCpu) : "n/a", self);
            }
        }
        Fit bare = fit(w, AnnscoreMethod.NO_PROFILE_ID);
        if (ann != null && bare != null) {
            double cpuAnn = median(w, AnnscoreMethod.ID, w.largeRows(), RunResult.CPU);
            double cpuBare = median(w, AnnscoreMethod.NO_PROFILE_ID, w.largeRows(), RunResult.CPU);
            line("  profiles + report: marginal time %+.1f%% (%.2f vs %.2f s per million rows), CPU time at %,d rows %+.1f%%"
                    + " (%.1f vs %.1f s)", 100 * (bare.rate() / ann.rate() - 1), 1e6 / ann.rate(), 1e6 / bare.rate(),
                    w.largeRows(), 100 * (cpuAnn / cpuBare - 1), cpuAnn, cpuBare);
        }
        if (ann == null) {
            line("  (n/a: a method was not run, or its larger size took less than %.1f s longer than its smaller one —"
                    + " sizes too close to tell a rate from the noise)", MIN_FIT_SECONDS);
        }
    }

    /** The marginal CPU seconds per row between the two sizes (medians); NaN or ≤ 0 when unknown. */
    private double marginalCpu(Workload w, String method) {
        return (median(w, method, w.largeRows(), RunResult.CPU) - median(w, method, w.smallRows(), RunResult.CPU))
                / (w.largeRows() - w.smallRows());
    }

    /** Float32 log loss against float64's: ONNX Runtime computes in float32. */
    static final double FLOAT32_LOG_LOSS_TOLERANCE = 1e-5;

    /** annscore scores every row, and its metrics agree with MLlib's (and ONNX Runtime's, to float32) on the same rows. */
    private void renderChecks(Workload w) {
        List<Measurement> scoring = new ArrayList<>(runsOf(w, AnnscoreMethod.ID));
        scoring.addAll(runsOf(w, AnnscoreMethod.ID_FLOAT32));
        for (Measurement m : scoring) {
            RunResult ann = m.result();
            boolean ok = ann.number(RunResult.ROWS_SCORED) == m.rows() && ann.number(RunResult.ROWS_QUARANTINED) == 0;
            checksPassed &= ok;
            line("check: %s at %,d rows (heap %s) scored %,.0f and quarantined %,.0f %s", m.method(), m.rows(), m.heap(),
                    ann.number(RunResult.ROWS_SCORED), ann.number(RunResult.ROWS_QUARANTINED), ok ? "OK" : "FAILED");
        }
        for (String f32 : List.of(OnnxRuntimeMethod.ID, AnnscoreMethod.ID_FLOAT32)) {
            if (!options.methods().contains(AnnscoreMethod.ID) || !options.methods().contains(f32)) {
                continue;
            }
            for (long rows : List.of(w.smallRows(), w.largeRows())) {
                double a = first(w, AnnscoreMethod.ID, rows).number(RunResult.LOG_LOSS);
                double o = first(w, f32, rows).number(RunResult.LOG_LOSS);
                double relative = Math.abs(a - o) / Math.abs(a);
                boolean ok = relative <= FLOAT32_LOG_LOSS_TOLERANCE;
                checksPassed &= ok;
                line("check: %s (float32) log loss at %,d rows %.9f vs annscore %.9f (relative %.1e, allowed %.0e) %s",
                        f32, rows, o, a, relative, FLOAT32_LOG_LOSS_TOLERANCE, ok ? "OK" : "FAILED");
            }
        }
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
        for (Measurement m : runsOf(w, AnnscoreMethod.ID)) {
            RunResult r = m.result();
            parts.add(fmt("%,d rows: %s", m.rows(), r.has(RunResult.NETWORK_BUILDS) ? r.text(RunResult.NETWORK_BUILDS) : "n/a"));
        }
        line("annscore network builds per executor JVM (local mode: one JVM): %s", String.join("; ", parts));
    }

    /** What each method wrote at the large size: the columns and the bytes of Parquet. */
    private void renderOutputs(Workload w) {
        line("predictions written at %,d rows (Parquet):", w.largeRows());
        for (String method : options.methods()) {
            RunResult r = first(w, method, w.largeRows());
            line("  %-11s %8.1f MiB  %s", method, r.number(RunResult.OUTPUT_BYTES) / MIB, r.text(RunResult.OUTPUT_COLUMNS));
        }
    }

    /**
     * The memory check: annscore's peak heap at 1× and 10× the rows, with the memory check's heap;
     * then, for comparison, every timed run.
     */
    private void renderMemory(Workload w) {
        line("memory of the driver JVM (in local mode it also runs the tasks), MiB:");
        line("  %-11s %12s %5s %-13s %14s %14s %5s %11s", "method", "rows", "heap", "run", "peak used", "peak after GC", "GCs",
                "peak live");
        List<Measurement> runs = new ArrayList<>();
        runs.addAll(measurements.stream().filter(m -> m.workload().equals(w) && m.memoryCheck()).toList());
        runs.addAll(measurements.stream().filter(m -> m.workload().equals(w) && !m.memoryCheck()).toList());
        for (Measurement m : runs) {
            RunResult r = m.result();
            double live = r.number(RunResult.PEAK_LIVE);
            line("  %-11s %,12d %5s %-13s %14.0f %14.0f %5.0f %11s", m.method(), m.rows(), m.heap(),
                    m.memoryCheck() ? "memory check" : "timed #" + m.repetition(),
                    r.number(RunResult.PEAK_HEAP_USED) / MIB, r.number(RunResult.PEAK_HEAP_AFTER_GC) / MIB,
                    r.number(RunResult.COLLECTIONS), live >= 0 ? String.format(Locale.ROOT, "%.0f", live / MIB) : "-");
        }
        List<Measurement> check = measurements.stream().filter(m -> m.workload().equals(w) && m.memoryCheck()).toList();
        if (check.size() == 2) {
            RunResult a = check.get(0).result();
            RunResult b = check.get(1).result();
            line("  annscore at 10× the rows (%,d → %,d), heap %s, row groups written of %s: peak live %.0f → %.0f MiB (×%.2f);"
                    + " peak used %.0f → %.0f MiB (×%.2f), peak after GC %.0f → %.0f MiB (×%.2f)",
                    check.get(0).rows(), check.get(1).rows(), check.get(0).heap(), options.memoryRowGroup(),
                    a.number(RunResult.PEAK_LIVE) / MIB, b.number(RunResult.PEAK_LIVE) / MIB,
                    b.number(RunResult.PEAK_LIVE) / a.number(RunResult.PEAK_LIVE),
                    a.number(RunResult.PEAK_HEAP_USED) / MIB, b.number(RunResult.PEAK_HEAP_USED) / MIB,
                    b.number(RunResult.PEAK_HEAP_USED) / a.number(RunResult.PEAK_HEAP_USED),
                    a.number(RunResult.PEAK_HEAP_AFTER_GC) / MIB, b.number(RunResult.PEAK_HEAP_AFTER_GC) / MIB,
                    b.number(RunResult.PEAK_HEAP_AFTER_GC) / a.number(RunResult.PEAK_HEAP_AFTER_GC));
        }
    }

    private void renderBreakdown(Workload w) {
        line("where the time went, seconds (each run): JVM start to main, session start, work, session stop;"
                + " process CPU time; machine load average before the run");
        line("  %-11s %12s %-13s %8s %8s %8s %8s %8s %8s %6s", "method", "rows", "run", "whole", "to main", "session",
                "work", "stop", "CPU", "load");
        for (Measurement m : measurements) {
            if (!m.workload().equals(w)) {
                continue;
            }
            RunResult r = m.result();
            line("  %-11s %,12d %-13s %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %6.2f", m.method(), m.rows(),
                    m.memoryCheck() ? "memory check" : "timed #" + m.repetition(),
                    r.number(RunResult.WALL), r.number(RunResult.JVM_TO_MAIN), r.number(RunResult.SESSION),
                    r.number(RunResult.WORK), r.number(RunResult.STOP), r.number(RunResult.CPU),
                    r.number(RunResult.LOAD_BEFORE));
        }
    }

    /**
     * The straight line through the two sizes' median times: marginal seconds per row
     * c = (t_large − t_small) / (n_large − n_small), rate = 1 / c, start-up = t_small − n_small · c.
     * Null when the method did not run or the larger size was not at least {@value #MIN_FIT_SECONDS} s
     * slower (then the sizes are too close to tell a rate from the noise).
     */
    private Fit fit(Workload w, String method) {
        double small = medianWall(w, method, w.smallRows());
        double large = medianWall(w, method, w.largeRows());
        if (!(large - small >= MIN_FIT_SECONDS)) {
            return null;
        }
        double perRow = (large - small) / (w.largeRows() - w.smallRows());
        return new Fit(small - w.smallRows() * perRow, 1 / perRow);
    }

    private record Fit(double startup, double rate) {
    }

    /** Median whole-application time; NaN when the method did not run at that size. */
    private double medianWall(Workload w, String method, long rows) {
        return median(w, method, rows, RunResult.WALL);
    }

    /** The median of a number over the timed runs of a method at a size; NaN when there are none. */
    private double median(Workload w, String method, long rows, String key) {
        double[] values = results(w, method, rows).stream().mapToDouble(r -> r.number(key)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** The timed runs of a method at a size. */
    private List<RunResult> results(Workload w, String method, long rows) {
        return measurements.stream()
                .filter(m -> !m.memoryCheck() && m.workload().equals(w) && m.method().equals(method) && m.rows() == rows)
                .map(Measurement::result)
                .collect(Collectors.toList());
    }

    /** Every run of a method, timed and memory check. */
    private List<Measurement> runsOf(Workload w, String method) {
        return measurements.stream()
                .filter(m -> m.workload().equals(w) && m.method().equals(method))
                .collect(Collectors.toList());
    }

    private RunResult first(Workload w, String method, long rows) {
        return results(w, method, rows).get(0);
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
