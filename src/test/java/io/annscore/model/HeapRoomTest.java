package io.annscore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HeapRoomTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aFileFitsWhenTwiceItsSizeIsFree() {
        // 256 MiB heap, 56 MiB used: 200 MiB free, room for files up to 100 MiB
        assertNull(HeapRoom.shortfall(100 * MIB, 256 * MIB, 56 * MIB));
        assertEquals("holds 101 MiB, and reading it needs about 202 MiB of heap, but the JVM has 200 MiB free of 256 MiB;"
                + " give it more (./submit.sh --driver-memory, or -Xmx)", HeapRoom.shortfall(101 * MIB, 256 * MIB, 56 * MIB));
        // used beyond the limit (a moment of over-commit) counts as nothing free
        assertEquals("holds 0 MiB, and reading it needs about 0 MiB of heap, but the JVM has 0 MiB free of 256 MiB;"
                + " give it more (./submit.sh --driver-memory, or -Xmx)", HeapRoom.shortfall(1, 256 * MIB, 300 * MIB));
    }
}
