package io.annscore.model;

import java.util.Locale;

/**
 * Whether this JVM's heap has room to read a model file whole, checked from the file's size before a
 * byte is read: a file far larger than the heap otherwise ends in an OutOfMemoryError while it is
 * buffered, before any other check can say what is wrong.
 */
public final class HeapRoom {
    /**
     * Heap needed per byte of file: the bytes themselves, and the decoded network, which for weights
     * in base64 or decimal text takes at most about as much again.
     */
    public static final int BYTES_PER_FILE_BYTE = 2;

    private HeapRoom() {
    }

    /** Null when a file of {@code size} bytes fits in this JVM's heap as it is now, else why not. */
    public static String shortfall(long size) {
        Runtime r = Runtime.getRuntime();
        return shortfall(size, r.maxMemory(), r.totalMemory() - r.freeMemory());
    }

    /** The check on given numbers: {@code maxHeap} the JVM's limit, {@code used} what is taken. */
    public static String shortfall(long size, long maxHeap, long used) {
        long free = Math.max(0, maxHeap - used);
        if (size <= free / BYTES_PER_FILE_BYTE) {
            return null;
        }
        return String.format(Locale.ROOT, "holds %s, and reading it needs about %s of heap, but the JVM has %s free"
                + " of %s; give it more (./submit.sh --driver-memory, or -Xmx)", mib(size), mib(size * BYTES_PER_FILE_BYTE),
                mib(free), mib(maxHeap));
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
    }
}
