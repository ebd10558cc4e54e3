/*
 * Forward-pass benchmarks (JMH), outside the normal build and test run. One command, from the
 * project root:
 *
 *   mvn -Pbench -q compile exec:exec -Djmh.args="-f 1 -wi 3 -i 5 -w 1s -r 1s"
 *
 * jmh.args takes any JMH option (e.g. add "-p shape=784-512-256-10", "-p hidden=relu,tanh" or a
 * benchmark regex such as "ForwardPassBench.batch"). After JMH's own table, main() prints rows/s
 * and GFLOP/s, where a FLOP count is 2 × the network's multiply-adds per row (Σ in·out over its
 * layers), both per wall-clock second and per CPU-second the benchmark JVM actually got
 * (CpuShareProfiler), since this machine is shared. Output goes to target/bench.
 */
package io.annscore.bench;

import io.annscore.network.Activation;
import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.Scorer;
import io.annscore.network.Summation;
import io.annscore.network.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Scores {@link #ROWS} random rows per invocation through three networks (hidden layers with the
 * {@link #hidden} activation, a softmax output layer), three ways: {@link Scorer#score} row by row,
 * {@link Scorer#scoreBatch}, and {@link Naive}, the textbook loop over row-major weights that the
 * scorer is measured against. Scores are in rows per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class ForwardPassBench {
    /** Rows per invocation; deliberately not a multiple of Scorer.BLOCK, as real partitions are not. */
    static final int ROWS = 250;

    @Param({"32-64-32-4", "128-256-128-10", "784-512-256-10"})
    public String shape;

    @Param({"sigmoid"})
    public String hidden;

    /** The scorer's arithmetic (the naive loop is always float64). */
    @Param({"float64", "float32"})
    public String precision;

    /** The weighted sums' kernel (Scorer.KERNEL_PROPERTY): auto, vector or loops. */
    @Param({"auto"})
    public String kernel;

    private Scorer scorer;
    private Naive naive;
    private double[] features;
    private double[] outputs;

    @Setup
    public void setUp() {
        Network network = network(shape, Activation.parse(hidden), 42);
        System.setProperty(Scorer.KERNEL_PROPERTY, kernel);
        scorer = network.newScorer(io.annscore.network.Precision.parse(precision));
        naive = new Naive(network);
        Random random = new Random(7);
        features = new double[ROWS * network.inputSize()];
        for (int k = 0; k < features.length; k++) {
            features[k] = random.nextGaussian();
        }
        outputs = new double[ROWS * network.outputSize()];
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void rowByRow(Blackhole bh) {
        int in = scorer.network().inputSize();
        for (int r = 0; r < ROWS; r++) {
            bh.consume(scorer.score(features, r * in));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public double[] batch() {
        scorer.scoreBatch(features, ROWS, outputs);
        return outputs;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void naive(Blackhole bh) {
        int in = scorer.network().inputSize();
        for (int r = 0; r < ROWS; r++) {
            bh.consume(naive.score(features, r * in));
        }
    }

    /** A network of the given shape ("in-h1-...-out") with Glorot-uniform random weights. */
    static Network network(String shape, Activation hidden, long seed) {
        String[] sizes = shape.split("-");
        Random random = new Random(seed);
        List<Layer> layers = new ArrayList<>();
        for (int k = 1; k < sizes.length; k++) {
            int in = Integer.parseInt(sizes[k - 1]);
            int out = Integer.parseInt(sizes[k]);
            double limit = Math.sqrt(6.0 / (in + out));
            double[][] w = new double[out][in];
            double[] b = new double[out];
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    w[j][i] = (2 * random.nextDouble() - 1) * limit;
                }
                b[j] = 0.1 * random.nextGaussian();
            }
            boolean last = k == sizes.length - 1;
            layers.add(new Layer(w, b, Summation.WEIGHTED_SUM, last ? Activation.SOFTMAX : hidden, Map.of()));
        }
        int inputs = Integer.parseInt(sizes[0]);
        return new Network(ModelInfo.named("bench-" + shape), new InputSpec(List.of(), inputs, null, null),
                layers, OutputSpec.of(Task.MULTICLASS));
    }

    /** Multiply-adds of one row: Σ in·out over the layers of "in-h1-...-out". */
    static long multiplyAdds(String shape) {
        String[] sizes = shape.split("-");
        long n = 0;
        for (int k = 1; k < sizes.length; k++) {
            n += Long.parseLong(sizes[k - 1]) * Long.parseLong(sizes[k]);
        }
        return n;
    }

    /**
     * The forward pass as one writes it first: weights row-major (one array per neuron), a dot
     * product per neuron, then the activation. The reference point for the scorer's speed.
     */
    static final class Naive {
        private final double[][][] w;
        private final double[][] b;
        private final Activation[] act;
        private final double[][] values;
        private final double[] input;

        Naive(Network network) {
            input = new double[network.inputSize()];
            int n = network.layers().size();
            w = new double[n][][];
            b = new double[n][];
            act = new Activation[n];
            values = new double[n][];
            for (int k = 0; k < n; k++) {
                Layer layer = network.layers().get(k);
                w[k] = layer.weights();
                b[k] = layer.biases();
                act[k] = layer.activation();
                values[k] = new double[layer.outputSize()];
            }
        }

        double[] score(double[] features, int offset) {
            System.arraycopy(features, offset, input, 0, input.length);
            double[] x = input;
            for (int k = 0; k < w.length; k++) {
                double[] z = values[k];
                for (int j = 0; j < z.length; j++) {
                    double[] wj = w[k][j];
                    double acc = 0.0;
                    for (int i = 0; i < wj.length; i++) {
                        acc += wj[i] * x[i];
                    }
                    z[j] = acc + b[k][j];
                }
                if (act[k] == Activation.SOFTMAX) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : z) {
                        max = Math.max(max, v);
                    }
                    double sum = 0.0;
                    for (int j = 0; j < z.length; j++) {
                        z[j] = Math.exp(z[j] - max);
                        sum += z[j];
                    }
                    for (int j = 0; j < z.length; j++) {
                        z[j] /= sum;
                    }
                } else {
                    for (int j = 0; j < z.length; j++) {
                        z[j] = act[k].apply(z[j], 0.0, 0.0);
                    }
                }
                x = z;
            }
            return x;
        }
    }

    /** Runs JMH with the given command-line options, then prints rows/s and GFLOP/s per benchmark. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            builder.include(ForwardPassBench.class.getSimpleName());
        }
        builder.addProfiler(CpuShareProfiler.class);
        Options options = builder.build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println("Forward pass, one thread. GFLOP/s = 2 x multiply-adds per row x rows/s. The machine is shared:");
        System.out.println("'per CPU-s' divides by the CPU share the benchmark JVM got (CpuShareProfiler), wall-clock columns do not.");
        System.out.printf(Locale.ROOT, "%-16s %-8s %-8s %-7s %-9s %12s %10s %9s %6s %13s %11s%n",
                "shape", "hidden", "precision", "kernel", "method", "rows/s", "± rows/s", "GFLOP/s", "share", "rows/CPU-s", "GFLOP/CPU-s");
        for (RunResult rr : results) {
            String label = rr.getParams().getBenchmark();
            String method = label.substring(label.lastIndexOf('.') + 1);
            String s = rr.getParams().getParam("shape");
            String h = rr.getParams().getParam("hidden");
            double rowsPerSecond = rr.getPrimaryResult().getScore();
            double error = rr.getPrimaryResult().getScoreError();
            Result<?> shareResult = rr.getSecondaryResults().get(CpuShareProfiler.LABEL);
            double share = shareResult == null ? Double.NaN : Math.min(1.0, shareResult.getScore());
            double flopsPerRow = 2.0 * multiplyAdds(s);
            System.out.printf(Locale.ROOT, "%-16s %-8s %-8s %-7s %-9s %12.0f %10.0f %9.2f %6.2f %13.0f %11.2f%n",
                    s, h, rr.getParams().getParam("precision"), rr.getParams().getParam("kernel"), method, rowsPerSecond, Double.isNaN(error) ? 0 : error, flopsPerRow * rowsPerSecond / 1e9,
                    share, rowsPerSecond / share, flopsPerRow * rowsPerSecond / share / 1e9);
        }
    }
}
