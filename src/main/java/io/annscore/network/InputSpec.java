package io.annscore.network;

import java.util.HashSet;
import java.util.List;

/**
 * The input layer: the ordered feature names and an optional standardization per feature,
 * {@code (x − mean) / scale}, as a scikit-learn {@code Pipeline(StandardScaler, MLP)} applies.
 *
 * @param features the feature names in input order, or an empty list when the network does not
 *     name them (the job then takes its columns from the configuration)
 * @param size the number of inputs
 * @param mean per-feature mean to subtract, or null for no standardization
 * @param scale per-feature divisor, or null (both or neither)
 */
public record InputSpec(List<String> features, int size, double[] mean, double[] scale) {

    public InputSpec {
        features = List.copyOf(features);
        if (size <= 0) {
            throw new IllegalArgumentException("the input layer needs at least one feature, found " + size);
        }
        if (!features.isEmpty() && features.size() != size) {
            throw new IllegalArgumentException("the input layer names " + features.size()
                    + " features but has " + size + " inputs");
        }
        if (new HashSet<>(features).size() != features.size()) {
            throw new IllegalArgumentException("the input layer names a feature twice: " + features);
        }
        if ((mean == null) != (scale == null)) {
            throw new IllegalArgumentException("standardization needs both mean and scale");
        }
        if (mean != null) {
            if (mean.length != size || scale.length != size) {
                throw new IllegalArgumentException("standardization needs " + size + " means and scales, found "
                        + mean.length + " and " + scale.length);
            }
            for (int i = 0; i < size; i++) {
                if (!Double.isFinite(mean[i])) {
                    throw new IllegalArgumentException("standardization mean of input " + i + " is not finite: " + mean[i]);
                }
                if (!Double.isFinite(scale[i]) || scale[i] == 0) {
                    throw new IllegalArgumentException("standardization scale of input " + i
                            + " must be finite and non-zero, found " + scale[i]);
                }
            }
            mean = mean.clone();
            scale = scale.clone();
        }
    }

    /** An input layer of named features without standardization. */
    public static InputSpec named(List<String> features) {
        return new InputSpec(features, features.size(), null, null);
    }

    public boolean isStandardized() {
        return mean != null;
    }

    public boolean hasFeatureNames() {
        return !features.isEmpty();
    }

    @Override
    public double[] mean() {
        return mean == null ? null : mean.clone();
    }

    @Override
    public double[] scale() {
        return scale == null ? null : scale.clone();
    }

    double[] meanArray() {
        return mean;
    }

    double[] scaleArray() {
        return scale;
    }
}
