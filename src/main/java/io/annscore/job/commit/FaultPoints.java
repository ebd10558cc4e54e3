package io.annscore.job.commit;

/**
 * A test hook into publishing: with {@code spark.annscore.test.haltAt=STEP}, the driver's JVM halts
 * (as a kill -9 would: no shutdown hook, no finally) right after the named step: {@code staged}
 * (everything staged, no journal yet), {@code journal} (the journal in place, nothing renamed),
 * {@code move-N} (after the N-th rename), {@code committed} (every rename done and the journal
 * removed; the staging, with the old versions in it, not yet deleted).
 */
@FunctionalInterface
public interface FaultPoints {
    /** The configuration key the job reads the step from. */
    String CONF = "spark.annscore.test.haltAt";

    /** The in-process variant for tests that share one JVM: the step throws instead of halting. */
    String FAIL_CONF = "spark.annscore.test.failAt";

    /** No faults. */
    FaultPoints NONE = step -> { };

    void reached(String step);

    /** Halts at {@code haltAt}, or throws an {@link IllegalStateException} at {@code failAt} (either may be empty). */
    static FaultPoints of(String haltAt, String failAt) {
        FaultPoints halt = haltAt(haltAt);
        if (failAt == null || failAt.isEmpty()) {
            return halt;
        }
        return step -> {
            halt.reached(step);
            if (step.equals(failAt)) {
                throw new IllegalStateException("annscore test hook: failing at " + step);
            }
        };
    }

    /** Halts the JVM with exit code 137 when {@code step} is reached, for {@code haltAt} non-empty. */
    static FaultPoints haltAt(String haltAt) {
        if (haltAt == null || haltAt.isEmpty()) {
            return NONE;
        }
        return step -> {
            if (step.equals(haltAt)) {
                System.err.println("annscore test hook: halting at " + step);
                System.err.flush();
                Runtime.getRuntime().halt(137);
            }
        };
    }
}
