package io.annscore.job.rows;

import io.annscore.model.ModelFile;
import io.annscore.model.ModelFormatException;
import io.annscore.network.Network;
import io.annscore.network.Scorer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The networks built in this JVM, keyed by their model's SHA-256: every task of an executor that
 * scores with the same model shares one immutable {@link Network} (each task makes its own
 * {@link io.annscore.network.Scorer}, which holds the scratch space). Built once per JVM, not per
 * task or row; {@link #builds()} counts the builds so that tests and benchmarks can show it.
 * Holds the few most recently used models.
 */
public final class ExecutorNetworks {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorNetworks.class);
    private static final int CAPACITY = 4;
    private static final AtomicLong BUILDS = new AtomicLong();
    private static final Map<String, Network> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Network> eldest) {
            return size() > CAPACITY;
        }
    };

    private ExecutorNetworks() {
    }

    /** The network of {@code payload}, built on first use in this JVM. */
    static Network get(ModelPayload payload) {
        synchronized (CACHE) {
            Network network = CACHE.get(payload.sha256());
            if (network == null) {
                String actual = ModelFile.sha256(payload.bytes());
                if (!actual.equals(payload.sha256())) {
                    throw new IllegalStateException("the broadcast model's SHA-256 is " + actual + ", expected " + payload.sha256());
                }
                try {
                    network = ModelFile.read(payload.bytes());
                } catch (ModelFormatException e) {
                    throw new IllegalStateException("the model " + payload.sha256() + " failed to load on an executor: "
                            + e.getMessage(), e);
                }
                BUILDS.incrementAndGet();
                CACHE.put(payload.sha256(), network);
                LOG.info("model {} built in this JVM; {}", payload.sha256().substring(0, 12), Scorer.kernelDescription());
            }
            return network;
        }
    }

    /** How many networks this JVM has built since it started (or since {@link #clear()}). */
    public static long builds() {
        return BUILDS.get();
    }

    /** Forgets the cached networks and resets the build counter (tests). */
    public static void clear() {
        synchronized (CACHE) {
            CACHE.clear();
            BUILDS.set(0);
        }
    }
}
