package io.annscore.network;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weighted sums of a block of rows, the logistic sigmoid and float32's narrowing of the features, written with the Vector API
 * ({@code jdk.incubator.vector}). {@link Scorer} uses it when the JVM has that module: Spark 4.2's launcher starts every driver and
 * executor with {@code --add-modules=jdk.incubator.vector}, and {@code submit.sh} does the same for
 * the JVMs it starts itself. Elsewhere (or with {@code -Dannscore.kernel=loops}) the scorer's own loops,
 * which C2 vectorizes, compute the same bits.
 *
 * <p>Register-tiled: for one block of outputs (two vectors: 8 doubles or 16 floats with AVX2), four
 * rows' sums stay in registers while all of the layer's inputs go by, so that each weight loaded
 * serves four rows and no sum is loaded or stored in between. The weights are read from
 * {@link Layer#packed64}/{@link Layer#packed32}, where each block's weights lie input after input in
 * one array and stream from memory in order. The scratch rows are padded to whole blocks (padding
 * weights and biases are 0), so there is no scalar remainder. Each sum adds its terms in input order
 * by fused multiply-adds from 0, and the bias last, exactly as {@link Scorer#weightedSums} does, so
 * the two kernels agree bit for bit (VectorKernelTest). One layer of 8 rows against the loops
 * (LayerKernelBench): 1.0–3.4× in float64 and 1.4–7× in float32, most on narrow layers, where C2's
 * scalar pre- and post-loops dominate the loops' time.
 */
final class VectorKernel {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Floats as many as D has doubles: what one conversion widens into one vector of D. */
    private static final VectorSpecies<Float> F_HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    /** Outputs per block: two vectors. */
    static final int BLOCK64 = 2 * D.length();
    static final int BLOCK32 = 2 * F.length();

    private VectorKernel() {
    }

    /** z[r][j] = Σ_i w_ji·x[r][i] + b_j for n rows, j up to the layer's outputs rounded up to {@link #BLOCK64}. */
    static void weightedSums(Layer layer, double[][] x, double[][] z, int n) {
        Layer.Packed64 p = layer.packed64();
        int in = layer.inputSize();
        final int lanes = D.length();
        double[][] blocks = p.weights();
        for (int c = 0; c < blocks.length; c++) {
            double[] wc = blocks[c];
            int j = c * 2 * lanes;
            DoubleVector biasLo = DoubleVector.fromArray(D, p.bias(), j);
            DoubleVector biasHi = DoubleVector.fromArray(D, p.bias(), j + lanes);
            int r = 0;
            for (; r + 4 <= n; r += 4) {
                double[] x0 = x[r], x1 = x[r + 1], x2 = x[r + 2], x3 = x[r + 3];
                DoubleVector lo0 = DoubleVector.zero(D), lo1 = lo0, lo2 = lo0, lo3 = lo0;
                DoubleVector hi0 = lo0, hi1 = lo0, hi2 = lo0, hi3 = lo0;
                for (int i = 0, o = 0; i < in; i++, o += 2 * lanes) {
                    DoubleVector wLo = DoubleVector.fromArray(D, wc, o);
                    DoubleVector wHi = DoubleVector.fromArray(D, wc, o + lanes);
                    DoubleVector v = DoubleVector.broadcast(D, x0[i]);
                    lo0 = wLo.fma(v, lo0);
                    hi0 = wHi.fma(v, hi0);
                    v = DoubleVector.broadcast(D, x1[i]);
                    lo1 = wLo.fma(v, lo1);
                    hi1 = wHi.fma(v, hi1);
                    v = DoubleVector.broadcast(D, x2[i]);
                    lo2 = wLo.fma(v, lo2);
                    hi2 = wHi.fma(v, hi2);
                    v = DoubleVector.broadcast(D, x3[i]);
                    lo3 = wLo.fma(v, lo3);
                    hi3 = wHi.fma(v, hi3);
                }
                lo0.add(biasLo).intoArray(z[r], j);
                hi0.add(biasHi).intoArray(z[r], j + lanes);
                lo1.add(biasLo).intoArray(z[r + 1], j);
                hi1.add(biasHi).intoArray(z[r + 1], j + lanes);
                lo2.add(biasLo).intoArray(z[r + 2], j);
                hi2.add(biasHi).intoArray(z[r + 2], j + lanes);
                lo3.add(biasLo).intoArray(z[r + 3], j);
                hi3.add(biasHi).intoArray(z[r + 3], j + lanes);
            }
            for (; r < n; r++) {
                double[] xr = x[r];
                DoubleVector lo = DoubleVector.zero(D), hi = lo;
                for (int i = 0, o = 0; i < in; i++, o += 2 * lanes) {
                    DoubleVector v = DoubleVector.broadcast(D, xr[i]);
                    lo = DoubleVector.fromArray(D, wc, o).fma(v, lo);
                    hi = DoubleVector.fromArray(D, wc, o + lanes).fma(v, hi);
                }
                lo.add(biasLo).intoArray(z[r], j);
                hi.add(biasHi).intoArray(z[r], j + lanes);
            }
        }
    }

    /** {@link #weightedSums(Layer, double[][], double[][], int)} in float32. */
    static void weightedSums(Layer layer, float[][] x, float[][] z, int n) {
        Layer.Packed32 p = layer.packed32();
        int in = layer.inputSize();
        final int lanes = F.length();
        float[][] blocks = p.weights();
        for (int c = 0; c < blocks.length; c++) {
            float[] wc = blocks[c];
            int j = c * 2 * lanes;
            FloatVector biasLo = FloatVector.fromArray(F, p.bias(), j);
            FloatVector biasHi = FloatVector.fromArray(F, p.bias(), j + lanes);
            int r = 0;
            for (; r + 4 <= n; r += 4) {
                float[] x0 = x[r], x1 = x[r + 1], x2 = x[r + 2], x3 = x[r + 3];
                FloatVector lo0 = FloatVector.zero(F), lo1 = lo0, lo2 = lo0, lo3 = lo0;
                FloatVector hi0 = lo0, hi1 = lo0, hi2 = lo0, hi3 = lo0;
                for (int i = 0, o = 0; i < in; i++, o += 2 * lanes) {
                    FloatVector wLo = FloatVector.fromArray(F, wc, o);
                    FloatVector wHi = FloatVector.fromArray(F, wc, o + lanes);
                    FloatVector v = FloatVector.broadcast(F, x0[i]);
                    lo0 = wLo.fma(v, lo0);
                    hi0 = wHi.fma(v, hi0);
                    v = FloatVector.broadcast(F, x1[i]);
                    lo1 = wLo.fma(v, lo1);
                    hi1 = wHi.fma(v, hi1);
                    v = FloatVector.broadcast(F, x2[i]);
                    lo2 = wLo.fma(v, lo2);
                    hi2 = wHi.fma(v, hi2);
                    v = FloatVector.broadcast(F, x3[i]);
                    lo3 = wLo.fma(v, lo3);
                    hi3 = wHi.fma(v, hi3);
                }
                lo0.add(biasLo).intoArray(z[r], j);
                hi0.add(biasHi).intoArray(z[r], j + lanes);
                lo1.add(biasLo).intoArray(z[r + 1], j);
                hi1.add(biasHi).intoArray(z[r + 1], j + lanes);
                lo2.add(biasLo).intoArray(z[r + 2], j);
                hi2.add(biasHi).intoArray(z[r + 2], j + lanes);
                lo3.add(biasLo).intoArray(z[r + 3], j);
                hi3.add(biasHi).intoArray(z[r + 3], j + lanes);
            }
            for (; r < n; r++) {
                float[] xr = x[r];
                FloatVector lo = FloatVector.zero(F), hi = lo;
                for (int i = 0, o = 0; i < in; i++, o += 2 * lanes) {
                    FloatVector v = FloatVector.broadcast(F, xr[i]);
                    lo = FloatVector.fromArray(F, wc, o).fma(v, lo);
                    hi = FloatVector.fromArray(F, wc, o + lanes).fma(v, hi);
                }
                lo.add(biasLo).intoArray(z[r], j);
                hi.add(biasHi).intoArray(z[r], j + lanes);
            }
        }
    }

    /** dst[i] = (float) src[from + i] for i &lt; n. */
    static void narrow(double[] src, int from, float[] dst, int n) {
        int i = 0;
        for (; i + D.length() <= n; i += D.length()) {
            ((FloatVector) DoubleVector.fromArray(D, src, from + i).convertShape(VectorOperators.D2F, F_HALF, 0)).intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] = (float) src[from + i];
        }
    }

    private static DoubleVector bc(double value) {
        return DoubleVector.broadcast(D, value);
    }

    private static final long ROUNDER_BITS = Double.doubleToRawLongBits(Activation.ROUNDER);

    /**
     * {@link Activation#sigmoid} of {@code v[from..to)} in place, the same arithmetic vector by
     * vector, so the same bits; where {@link Activation#sigmoids} must scale by 2^n one value at a
     * time, this takes 2^n's bits from n + 1.5·2^52 (whose low bits hold n) with integer lanes. It
     * scales in two steps always, by 2^(n+64) and 2^−64: exact but for the last step, which rounds
     * exactly as one step would (and as the scalar form's subnormal branch does).
     *
     * @param v room for {@code to} rounded up to whole vectors: the values past {@code to} are overwritten
     */
    static void sigmoids(double[] v, int from, int to) {
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int j = from; j < to; j += D.length()) {
            DoubleVector x = DoubleVector.fromArray(D, v, j);
            DoubleVector minusAx = x.lanewise(VectorOperators.ABS).min(Activation.EXP_CLAMP).neg();
            DoubleVector t = minusAx.mul(Activation.LOG2_E).add(Activation.ROUNDER);
            DoubleVector n = t.sub(Activation.ROUNDER);
            DoubleVector r = n.fma(bc(-Activation.LN2_LO), n.fma(bc(-Activation.LN2_HI), minusAx));
            DoubleVector p = DoubleVector.broadcast(D, 1.0 / 87178291200.0);
            p = p.fma(r, bc(1.0 / 6227020800.0));
            p = p.fma(r, bc(1.0 / 479001600));
            p = p.fma(r, bc(1.0 / 39916800));
            p = p.fma(r, bc(1.0 / 3628800));
            p = p.fma(r, bc(1.0 / 362880));
            p = p.fma(r, bc(1.0 / 40320));
            p = p.fma(r, bc(1.0 / 5040));
            p = p.fma(r, bc(1.0 / 720));
            p = p.fma(r, bc(1.0 / 120));
            p = p.fma(r, bc(1.0 / 24));
            p = p.fma(r, bc(1.0 / 6));
            p = p.fma(r, bc(0.5));
            p = p.fma(r, bc(1.0));
            p = p.fma(r, bc(1.0));
            LongVector scaleBits = ((LongVector) t.reinterpretAsLongs()).sub(ROUNDER_BITS).add(1023 + 64)
                    .lanewise(VectorOperators.LSHL, 52);
            DoubleVector e = p.mul((DoubleVector) scaleBits.reinterpretAsDoubles()).mul(0x1p-64);
            DoubleVector q = one.div(one.add(e));
            VectorMask<Double> negative = ((LongVector) x.reinterpretAsLongs()).compare(VectorOperators.LT, 0).cast(D);
            q.mul(one.blend(e, negative)).intoArray(v, j);
        }
    }

    /**
     * {@link Activation#sigmoidsBeforeFloatRounding} of floats in place, rounded back to float: the
     * same arithmetic in double, vector by vector, so the same bits, without copying the floats to
     * doubles and back.
     *
     * @param v room for {@code to} rounded up to whole vectors: the values past {@code to} are overwritten
     */
    static void sigmoidsBeforeFloatRounding(float[] v, int from, int to) {
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int j = from; j < to; j += D.length()) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(F_HALF, v, j).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector t = x.neg().max(-Activation.SIGMOID_CLAMP).min(Activation.SIGMOID_CLAMP).mul(0x1p-10);
            DoubleVector t2 = t.mul(t);
            DoubleVector t4 = t2.mul(t2);
            DoubleVector p01 = t.add(1.0);
            DoubleVector p23 = t.fma(1.0 / 6, 0.5);
            DoubleVector p45 = t.fma(1.0 / 120, 1.0 / 24);
            DoubleVector p67 = t.fma(1.0 / 5040, 1.0 / 720);
            DoubleVector p89 = t.fma(1.0 / 362880, 1.0 / 40320);
            DoubleVector e = t4.mul(t4).fma(p89, t4.fma(t2.fma(p67, p45), t2.fma(p23, p01)));
            for (int k = 0; k < 10; k++) {
                e = e.mul(e);
            }
            ((FloatVector) one.div(one.add(e)).convertShape(VectorOperators.D2F, F_HALF, 0)).intoArray(v, j);
        }
    }
}
