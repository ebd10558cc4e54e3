package io.annscore.job;

import java.util.List;

/**
 * With {@code drift.fail-on-alarm = true}: a column's PSI reached {@code drift.psi-alarm}. Thrown
 * after the run published all its outputs (predictions, quarantine, profile, report, summary), so
 * that a scheduler sees its own exit code (7) and can page, while the night's results stay readable.
 */
public class DriftAlarmException extends RuntimeException {
    private final List<String> columns;

    public DriftAlarmException(List<String> columns, double maxPsi, String maxColumn, double alarm, String reference) {
        super(String.format(java.util.Locale.ROOT, "%d column(s) past drift.psi-alarm = %s against %s: %s (largest PSI %.4f,"
                + " %s); the outputs were published", columns.size(), alarm, reference, String.join(", ", columns), maxPsi,
                maxColumn));
        this.columns = List.copyOf(columns);
    }

    public List<String> columns() {
        return columns;
    }
}
