package io.annscore.network;

import java.util.Locale;

/**
 * The arithmetic of the forward pass.
 *
 * <ul>
 *   <li>{@link #FLOAT64}: doubles throughout (the default): results equal the float64 references.</li>
 *   <li>{@link #FLOAT32}: the weighted sums in float32, as ONNX Runtime and PyTorch compute a
 *       float32 network: weights, biases, standardized inputs and every layer's values rounded to
 *       float32; each activation is computed in double from the float32 net input and rounded to
 *       float32. Exact for weights that are float32 already (every ONNX export of float32
 *       training); other weights are rounded to the nearest float32.</li>
 * </ul>
 */
public enum Precision {
    FLOAT64, FLOAT32;

    /** The name in job files and flags: {@code float64}, {@code float32}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String id) {
        for (Precision p : values()) {
            if (p.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + id + "'; known: float64, float32");
    }
}
