package io.annscore.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches this JVM's heap while a run goes on, two ways:
 * <ul>
 *   <li>peak used: the heap in use, sampled every 20 ms — live objects plus garbage not yet
 *       collected, so it depends on how often the collector runs as much as on the program;</li>
 *   <li>peak after GC: the heap still in use right after each collection, the largest over the run
 *       — an upper bound of the live data (a young collection leaves old garbage in place), and
 *       the number that would grow with the rows if something kept every row.</li>
 * </ul>
 * and, in the memory check only ({@link #start(boolean)} with true), a third:
 * <ul>
 *   <li>peak live: the heap in use right after a full collection forced every
 *       {@value #LIVE_PROBE_MILLIS} ms ({@code System.gc()}) — the live data itself, which neither
 *       of the above isolates (G1's young collections promote short-lived objects, so "after GC"
 *       creeps up with the length of a run even when nothing is kept).</li>
 * </ul>
 * In local mode the driver is also the executor, so all include the tasks' memory.
 */
public final class HeapMonitor implements AutoCloseable {
    private static final long SAMPLE_MILLIS = 20;
    static final long LIVE_PROBE_MILLIS = 500;

    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong(-1);
    private final Set<String> heapPools = new HashSet<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onCollection;
    private final Thread sampler;
    private Thread liveProbe;
    private volatile boolean running = true;

    private HeapMonitor() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter) {
                NotificationEmitter emitter = (NotificationEmitter) gc;
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        sampler = new Thread(this::sample, "heap-monitor");
        sampler.setDaemon(true);
    }

    /** Starts watching, with the live probe when {@code probeLive}; {@link #close()} stops. */
    public static HeapMonitor start(boolean probeLive) {
        HeapMonitor monitor = new HeapMonitor();
        monitor.sampler.start();
        if (probeLive) {
            monitor.peakLive.set(0);
            monitor.liveProbe = new Thread(monitor::probeLive, "heap-live-probe");
            monitor.liveProbe.setDaemon(true);
            monitor.liveProbe.start();
        }
        return monitor;
    }

    private void probeLive() {
        while (running) {
            System.gc(); // measured by onCollection, from the collection's own after-GC figures
            try {
                Thread.sleep(LIVE_PROBE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The largest heap in use right after a forced full collection, in bytes; -1 without the probe. */
    public long peakLiveBytes() {
        return peakLive.get();
    }

    private void sample() {
        while (running) {
            peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void onCollection(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long after = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                after += pool.getValue().getUsed();
            }
        }
        peakAfterGc.accumulateAndGet(after, Math::max);
        if (peakLive.get() >= 0 && "System.gc()".equals(info.getGcCause())) {
            peakLive.accumulateAndGet(after, Math::max);
        }
        collections.incrementAndGet();
    }

    /** The largest heap in use seen by the sampler, in bytes. */
    public long peakUsedBytes() {
        return peakUsed.get();
    }

    /** The largest heap in use right after a collection, in bytes (0 when none ran). */
    public long peakAfterGcBytes() {
        return peakAfterGc.get();
    }

    public long collections() {
        return collections.get();
    }

    @Override
    public void close() throws ListenerNotFoundException {
        running = false;
        sampler.interrupt();
        if (liveProbe != null) {
            liveProbe.interrupt();
        }
        for (NotificationEmitter emitter : emitters) {
            emitter.removeNotificationListener(listener);
        }
    }
}
