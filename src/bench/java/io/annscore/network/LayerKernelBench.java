package io.annscore.network;

import java.util.Arrays;
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

/**
 * The weighted sums of one layer for one block of {@link Scorer#BLOCK} rows, by either kernel:
 * the scorer's loops or {@link VectorKernel}. Rows per second; ForwardPassBench's main prints the
 * GFLOP/s (run it with {@code -Djmh.args="LayerKernelBench ..."}). In this package because both
 * kernels are package-private. Checks in its set-up that both give the same bits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class LayerKernelBench {
    /** "inputs-outputs": the layers of ForwardPassBench's networks. */
    @Param({"32-64", "64-32", "32-4", "128-256", "256-128", "128-10", "784-512", "512-256", "256-10"})
    public String shape;

    @Param({"float64", "float32"})
    public String precision;

    @Param({"loops", "vector"})
    public String kernel;

    private Layer layer;
    private double[][] x64;
    private double[][] z64;
    private float[][] x32;
    private float[][] z32;

    @Setup
    public void setUp() {
        String[] sizes = shape.split("-");
        int in = Integer.parseInt(sizes[0]);
        int out = Integer.parseInt(sizes[1]);
        Random random = new Random(11);
        double[][] w = new double[out][in];
        double[] b = new double[out];
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                w[j][i] = random.nextGaussian();
            }
            b[j] = random.nextGaussian();
        }
        layer = new Layer(w, b, Summation.WEIGHTED_SUM, Activation.IDENTITY, Map.of());
        int padded = (out + 15) / 16 * 16;
        x64 = new double[Scorer.BLOCK][in];
        z64 = new double[Scorer.BLOCK][padded];
        x32 = new float[Scorer.BLOCK][in];
        z32 = new float[Scorer.BLOCK][padded];
        for (int r = 0; r < Scorer.BLOCK; r++) {
            for (int i = 0; i < in; i++) {
                x64[r][i] = random.nextGaussian();
                x32[r][i] = (float) x64[r][i];
            }
        }
        double[][] loops64 = new double[Scorer.BLOCK][padded];
        float[][] loops32 = new float[Scorer.BLOCK][padded];
        Scorer.weightedSums(layer, x64, loops64, Scorer.BLOCK);
        Scorer.weightedSums32(layer, x32, loops32, Scorer.BLOCK);
        VectorKernel.weightedSums(layer, x64, z64, Scorer.BLOCK);
        VectorKernel.weightedSums(layer, x32, z32, Scorer.BLOCK);
        for (int r = 0; r < Scorer.BLOCK; r++) {
            if (!Arrays.equals(loops64[r], 0, out, z64[r], 0, out) || !Arrays.equals(loops32[r], 0, out, z32[r], 0, out)) {
                throw new AssertionError("the kernels differ in row " + r);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(Scorer.BLOCK)
    public Object sums() {
        boolean vector = kernel.equals("vector");
        if (precision.equals("float32")) {
            if (vector) {
                VectorKernel.weightedSums(layer, x32, z32, Scorer.BLOCK);
            } else {
                Scorer.weightedSums32(layer, x32, z32, Scorer.BLOCK);
            }
            return z32;
        }
        if (vector) {
            VectorKernel.weightedSums(layer, x64, z64, Scorer.BLOCK);
        } else {
            Scorer.weightedSums(layer, x64, z64, Scorer.BLOCK);
        }
        return z64;
    }
}
