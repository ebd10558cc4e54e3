package io.annscore.job.commit;

import java.time.Instant;

/** Another run writes the same target and date (exit code 6). */
public class LockHeldException extends RuntimeException {
    public LockHeldException(String lock, String holder, Instant renewed) {
        super(holder + " holds " + lock + " (lease renewed " + renewed + "); this run stopped before reading any"
                + " data. Wait for it to finish, or set lock.wait-seconds to wait");
    }
}
