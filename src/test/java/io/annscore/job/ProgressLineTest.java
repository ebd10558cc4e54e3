package io.annscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static final long S = 1_000_000_000L;

    @Test
    void tasksRowsRateAndTimeLeftByHand() {
        ProgressListener.Progress p = new ProgressListener.Progress();
        assertNull(p.line(0), "no scoring stage: no line");
        p.start(3, 10, 0);
        p.running(1, 500);
        assertEquals("scoring: 0/10 tasks, 500 rows, 50 rows/s, time left unknown until a task finishes", p.line(10 * S));
        // Two tasks of 1,000 rows done, one running at 500, after 20 s: 2,500 rows, 125 rows/s. The
        // stage's rows are estimated as 1,000 × 10 = 10,000, a quarter done: 20 s × 0.75 / 0.25 = 60 s left.
        p.taskEnded(1, true, 1000);
        p.taskEnded(2, true, 1000);
        p.running(3, 500);
        assertEquals("scoring: 2/10 tasks, 2,500 rows, 125 rows/s, about 1 min 00 s left", p.line(20 * S));
        // A failed attempt's rows do not count (its partition runs again).
        p.taskEnded(3, false, 500);
        assertEquals(2000, p.rows());
        assertEquals("2 min 05 s", ProgressListener.Progress.duration(125));
        assertEquals("1 h 01 min", ProgressListener.Progress.duration(3660));
    }
}
