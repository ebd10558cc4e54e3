package io.annscore.network;

import java.util.List;
import java.util.Objects;

/**
 * A trained feed-forward network: an input layer, one or more layers of neurons, and the meaning
 * of its outputs. Immutable and safe to share between threads; each thread scores through its own
 * {@link Scorer}, which holds the scratch space.
 */
public final class Network {
    private final ModelInfo info;
    private final InputSpec input;
    private final List<Layer> layers;
    private final OutputSpec output;

    /**
     * @throws IllegalArgumentException naming the layer when sizes do not chain (layer 0 takes the
     *     input layer's size; layer k takes layer k−1's neurons), the outputs do not fit the task, or
     *     a classifier's last layer does not produce what its output spec declares (probabilities,
     *     logits or log-probabilities; see {@link OutputSpec#checkLastLayer})
     */
    public Network(ModelInfo info, InputSpec input, List<Layer> layers, OutputSpec output) {
        this.info = Objects.requireNonNull(info, "model info");
        this.input = Objects.requireNonNull(input, "input layer");
        this.layers = List.copyOf(layers);
        this.output = Objects.requireNonNull(output, "output spec");
        if (this.layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        int expected = input.size();
        for (int k = 0; k < this.layers.size(); k++) {
            Layer layer = this.layers.get(k);
            if (layer.inputSize() != expected) {
                throw new IllegalArgumentException("layer " + k + " takes " + layer.inputSize() + " inputs, but "
                        + (k == 0 ? "the input layer has " + expected + " features"
                                  : "layer " + (k - 1) + " has " + expected + " neurons"));
            }
            expected = layer.outputSize();
        }
        output.checkOutputSize(expected);
        output.checkLastLayer(this.layers.get(this.layers.size() - 1));
    }

    public ModelInfo info() {
        return info;
    }

    public InputSpec input() {
        return input;
    }

    public List<Layer> layers() {
        return layers;
    }

    public OutputSpec output() {
        return output;
    }

    public Task task() {
        return output.task();
    }

    public int inputSize() {
        return input.size();
    }

    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }

    /** The widest layer, input layer included: the size of a scratch vector. */
    public int maxWidth() {
        int w = input.size();
        for (Layer l : layers) {
            w = Math.max(w, l.outputSize());
        }
        return w;
    }

    /** The number of weights and biases. */
    public long parameterCount() {
        long n = 0;
        for (Layer l : layers) {
            n += l.parameterCount();
        }
        return n;
    }

    /** A new scorer with its own scratch space, for use by one thread. */
    public Scorer newScorer() {
        return new Scorer(this, true, Precision.FLOAT64);
    }

    /** A new scorer computing in {@code precision}. */
    public Scorer newScorer(Precision precision) {
        return new Scorer(this, true, precision);
    }

    /** {@link #newRawScorer()} computing in {@code precision}. */
    public Scorer newRawScorer(Precision precision) {
        return new Scorer(this, false, precision);
    }

    /**
     * A scorer that gives the last layer's values as they are, also for a classifier whose last
     * layer gives logits or log-probabilities (turn them into probabilities with
     * {@link OutputSpec#toProbabilities}).
     */
    public Scorer newRawScorer() {
        return new Scorer(this, false, Precision.FLOAT64);
    }
}
