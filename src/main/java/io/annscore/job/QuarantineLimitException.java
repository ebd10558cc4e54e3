package io.annscore.job;

/** More rows were quarantined than {@code quarantine.max-fraction} allows; nothing was published. */
public class QuarantineLimitException extends RuntimeException {
    private final long rowsRead;
    private final long rowsQuarantined;

    public QuarantineLimitException(long rowsRead, long rowsQuarantined, double maxFraction) {
        super(String.format("%d of %d rows read were quarantined (%.4f), more than quarantine.max-fraction = %s;"
                + " nothing was published", rowsQuarantined, rowsRead,
                rowsRead == 0 ? 0.0 : (double) rowsQuarantined / rowsRead, maxFraction));
        this.rowsRead = rowsRead;
        this.rowsQuarantined = rowsQuarantined;
    }

    public long rowsRead() {
        return rowsRead;
    }

    public long rowsQuarantined() {
        return rowsQuarantined;
    }
}
