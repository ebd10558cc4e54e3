package io.annscore.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every activation function against values computed independently (the formula, evaluated by hand
 * or with Python's math module, written next to each number), at ±1000, at 0, and in between.
 */
class ActivationTest {
    /** Relative tolerance for values computed by another library (a few ulps). */
    private static final double ULPS = 1e-15;

    private static double f(Activation a, double x) {
        double[] p = a.defaultParameters();
        return a.apply(x, p.length > 0 ? p[0] : 0.0, p.length > 1 ? p[1] : 0.0);
    }

    private static void close(double expected, double actual) {
        assertEquals(expected, actual, Math.abs(expected) * 4 * ULPS);
    }

    @Test
    void identityAndBinaryStep() {
        assertEquals(-2.5, f(Activation.IDENTITY, -2.5));
        assertEquals(1.0, f(Activation.BINARY_STEP, 0.0));   // step(0) = 1: x >= 0
        assertEquals(1.0, f(Activation.BINARY_STEP, 3.0));
        assertEquals(0.0, f(Activation.BINARY_STEP, -1e-300));
        assertTrue(Double.isNaN(f(Activation.BINARY_STEP, Double.NaN)));
    }

    @Test
    void sigmoid() {
        close(0.8807970779778823, f(Activation.SIGMOID, 2));      // 1/(1+e^-2)
        close(0.11920292202211755, f(Activation.SIGMOID, -2));    // e^-2/(1+e^-2) = 0.1353352832366127/1.1353352832366128
        assertEquals(0.5, f(Activation.SIGMOID, 0));              // 1/(1+1)
        close(4.248354255291589e-18, f(Activation.SIGMOID, -40)); // e^-40/(1+e^-40): no cancellation to 0
        assertEquals(1.0, f(Activation.SIGMOID, 40));             // 1/(1+4.2e-18) rounds to 1
    }

    @Test
    void tanh() {
        close(0.46211715726000974, f(Activation.TANH, 0.5));   // (e^1 − 1)/(e^1 + 1)
        close(-0.9950547536867305, f(Activation.TANH, -3));    // (e^-6 − 1)/(e^-6 + 1)
        close(1e-10, f(Activation.TANH, 1e-10));               // tanh x = x − x³/3 + … ≈ x
    }

    @Test
    void tanhAgreesWithFdlibmEverywhere() {
        // Our tanh is not Math.tanh (see Activation.tanh); StrictMath.tanh (fdlibm, < 1 ulp) is the
        // independent reference. Sweep both branches, the switch at 1/8, tiny and saturated inputs.
        Random random = new Random(9);
        for (int k = 0; k < 200_000; k++) {
            double x;
            switch (k % 4) {
                case 0: x = 4 * random.nextGaussian(); break;
                case 1: x = 0.3 * (random.nextDouble() - 0.5); break;
                case 2: x = Math.scalb(random.nextDouble(), -random.nextInt(1000)); break;
                default: x = 0.125 + 1e-3 * (random.nextDouble() - 0.5);
            }
            double expected = StrictMath.tanh(x);
            assertEquals(expected, Activation.TANH.apply(x, 0, 0), 1e-15 * Math.abs(expected), "tanh(" + x + ")");
            assertEquals(-Activation.TANH.apply(x, 0, 0), Activation.TANH.apply(-x, 0, 0), "odd");
        }
        for (double x : new double[] {0.125, Math.nextDown(0.125), 21.99, 22, 23, 710, Double.MAX_VALUE, Double.MIN_VALUE}) {
            double expected = StrictMath.tanh(x);
            assertEquals(expected, Activation.TANH.apply(x, 0, 0), 1e-15 * Math.abs(expected), "tanh(" + x + ")");
        }
        assertEquals(1e-9, f(Activation.TANH, 1e-9));                    // 1e-9 − 3.3e-28: below half an ulp of 1e-9
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(f(Activation.TANH, -0.0)));
        assertTrue(Double.isNaN(f(Activation.TANH, Double.NaN)));
    }

    @Test
    void reluAndLeakyRelu() {
        assertEquals(3.0, f(Activation.RELU, 3));
        assertEquals(0.0, f(Activation.RELU, -3));
        assertTrue(Double.isNaN(f(Activation.RELU, Double.NaN)));   // a NaN from an overflowed layer is not hidden as 0
        double[] layer = {-3, 3, Double.NaN, -0.0, Double.NEGATIVE_INFINITY};
        Activation.RELU.applyInPlace(layer, 0, layer.length, 0, 0);
        assertArrayEquals(new double[] {0, 3, Double.NaN, 0, 0}, layer);
        close(-0.03, Activation.LEAKY_RELU.apply(-3, 0.01, 0));   // 0.01 · −3
        close(-0.3, Activation.LEAKY_RELU.apply(-3, 0.1, 0));     // alpha 0.1
        assertEquals(3.0, Activation.LEAKY_RELU.apply(3, 0.1, 0));
        assertArrayEquals(new double[] {0.01}, Activation.LEAKY_RELU.defaultParameters());
    }

    @Test
    void eluAndSelu() {
        close(-0.6321205588285577, f(Activation.ELU, -1));                 // 1·(e^-1 − 1)
        close(-0.43233235838169365, Activation.ELU.apply(-2, 0.5, 0));     // 0.5·(e^-2 − 1) = 0.5·−0.8646647167633873
        assertEquals(2.0, Activation.ELU.apply(2, 0.5, 0));
        close(1.0507009873554805, f(Activation.SELU, 1));                  // λ·1
        close(-1.1113307378125625, f(Activation.SELU, -1));                // λ·α·(e^-1 − 1) = 1.0507…·1.6732…·−0.63212…
    }

    @Test
    void softplusSoftsignSiluGelu() {
        close(1.3132616875182228, f(Activation.SOFTPLUS, 1));     // ln(1 + e)
        close(0.31326168751822286, f(Activation.SOFTPLUS, -1));   // ln(1 + e^-1)
        close(0.6931471805599453, f(Activation.SOFTPLUS, 0));     // ln 2
        assertEquals(0.75, f(Activation.SOFTSIGN, 3));            // 3/(1+3)
        assertEquals(-0.5, f(Activation.SOFTSIGN, -1));           // −1/(1+1)
        close(0.7310585786300049, f(Activation.SILU, 1));         // 1·σ(1) = 1/(1+e^-1)
        close(-0.2689414213699951, f(Activation.SILU, -1));       // −1·σ(−1)
        close(0.8413447460685429, f(Activation.GELU, 1));         // ½·1·(1 + erf(1/√2)) = Φ(1)
        close(-0.15865525393145707, f(Activation.GELU, -1));      // ½·−1·(1 + erf(−1/√2))
        close(1.9544997361036416, f(Activation.GELU, 2));         // 2·Φ(2)
        close(0.8411919906082768, f(Activation.GELU_TANH, 1));    // ½(1 + tanh(√(2/π)(1 + 0.044715)))
        close(-0.15880800939172324, f(Activation.GELU_TANH, -1));
    }

    @Test
    void hardSigmoidDefaultsAndPyTorchParameters() {
        // Defaults alpha 0.2, beta 0.5 (ONNX/Keras): 0.2·1 + 0.5 = 0.7
        assertArrayEquals(new double[] {0.2, 0.5}, Activation.HARD_SIGMOID.defaultParameters());
        close(0.7, f(Activation.HARD_SIGMOID, 1));
        assertEquals(1.0, f(Activation.HARD_SIGMOID, 2.5));   // 0.2·2.5 + 0.5 = 1, clipped at 1
        assertEquals(0.0, f(Activation.HARD_SIGMOID, -3));    // −0.1 clipped to 0
        // PyTorch's Hardsigmoid: alpha 1/6, beta 1/2
        double a = 1.0 / 6, b = 0.5;
        assertEquals(0.6666666666666666, Activation.HARD_SIGMOID.apply(1, a, b), 1e-16);   // 1/6 + 1/2
        assertEquals(0.33333333333333337, Activation.HARD_SIGMOID.apply(-1, a, b), 1e-16); // −1/6 + 1/2
        assertEquals(1.0, Activation.HARD_SIGMOID.apply(3, a, b));     // 3/6 + 1/2 = 1
        assertEquals(0.0, Activation.HARD_SIGMOID.apply(-3, a, b));    // −3/6 + 1/2 = 0
        assertEquals(1.0, Activation.HARD_SIGMOID.apply(4, a, b));     // clipped
        assertEquals(0.5, Activation.HARD_SIGMOID.apply(0, a, b));
    }

    @Test
    void atZero() {
        double[] expected = {
            0.0,                  // identity
            1.0,                  // binary step: 0 >= 0
            0.5,                  // sigmoid
            0.0,                  // tanh
            0.0,                  // relu
            0.0,                  // leaky relu
            0.0,                  // elu: alpha·(e^0 − 1)
            0.0,                  // selu
            0.6931471805599453,   // softplus: ln 2
            0.0,                  // softsign
            0.0,                  // silu: 0·½
            0.0,                  // gelu: ½·0·…
            0.0,                  // gelu tanh
            0.5,                  // hard sigmoid: beta
            0.0,                  // prelu
            0.0,                  // hard swish: 0·3/6
            0.0,                  // mish: 0·tanh(ln 2)
            0.0,                  // celu: alpha·(e^0 − 1)
            0.0,                  // clip to [−1, 1]
        };
        Activation[] all = Arrays.stream(Activation.values()).filter(a -> !a.isLayerWise()).toArray(Activation[]::new);
        assertEquals(expected.length, all.length, "one value per element-wise function");
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], f(all[k], 0.0), 1e-16, all[k].id());
        }
    }

    @Test
    void atPlusAndMinusThousandEveryResultIsFiniteAndRight() {
        // {f(1000), f(−1000)}; e^-1000 underflows to 0, so these limits are exact in double.
        Object[][] cases = {
            {Activation.IDENTITY, 1000.0, -1000.0},
            {Activation.BINARY_STEP, 1.0, 0.0},
            {Activation.SIGMOID, 1.0, 0.0},
            {Activation.TANH, 1.0, -1.0},
            {Activation.RELU, 1000.0, 0.0},
            {Activation.LEAKY_RELU, 1000.0, -10.0},                // 0.01·−1000
            {Activation.ELU, 1000.0, -1.0},                        // 1·(0 − 1)
            {Activation.SELU, 1050.7009873554805, -1.7580993408473766}, // λ·1000, λ·α·(0 − 1)
            {Activation.SOFTPLUS, 1000.0, 0.0},                    // 1000 + ln(1 + e^-1000), ln(1 + e^-1000)
            {Activation.SOFTSIGN, 1000.0 / 1001, -1000.0 / 1001},
            {Activation.SILU, 1000.0, 0.0},                        // 1000·1, −1000·0
            {Activation.GELU, 1000.0, 0.0},                        // 1000·Φ(1000), −1000·Φ(−1000)
            {Activation.GELU_TANH, 1000.0, 0.0},
            {Activation.HARD_SIGMOID, 1.0, 0.0},
            {Activation.PRELU, 1000.0, -250.0},                    // 0.25·−1000
            {Activation.HARD_SWISH, 1000.0, 0.0},                  // 1000·6/6, −1000·0/6
            {Activation.MISH, 1000.0, 0.0},                        // 1000·tanh(1000), −1000·tanh(e^-1000)
            {Activation.CELU, 1000.0, -1.0},                       // 1·(0 − 1)
            {Activation.CLIP, 1.0, -1.0},
        };
        assertEquals(Arrays.stream(Activation.values()).filter(a -> !a.isLayerWise()).count(), cases.length);
        for (Object[] c : cases) {
            Activation a = (Activation) c[0];
            for (int s = 0; s < 2; s++) {
                double x = s == 0 ? 1000 : -1000;
                double y = f(a, x);
                assertTrue(Double.isFinite(y), a.id() + "(" + x + ") = " + y);
                assertEquals((double) c[1 + s], y, 1e-12 * Math.abs((double) c[1 + s]) + 1e-300, a.id() + "(" + x + ")");
            }
        }
    }

    @Test
    void softmaxOfHugeValues() {
        // e^(x − max): (1000, 1000, −1000) → (1, 1, e^-2000 = 0) / 2
        double[] v = {7.0, 1000, 1000, -1000, 7.0};
        Activation.SOFTMAX.applyInPlace(v, 1, 4, 0, 0);
        assertArrayEquals(new double[] {7.0, 0.5, 0.5, 0.0, 7.0}, v, 0.0, "only [1, 4) changes");
        double[] w = {-1000, -1000, -1000, -1000};
        Activation.SOFTMAX.applyInPlace(w, 0, 4, 0, 0);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, w, 0.0);
    }

    @Test
    void softmaxValues() {
        // e^1, e^2, e^3 over their sum 30.19287485057736
        double[] v = {1, 2, 3};
        Activation.SOFTMAX.applyInPlace(v, 0, 3, 0, 0);
        double[] expected = {0.09003057317038046, 0.24472847105479767, 0.6652409557748219};
        for (int k = 0; k < 3; k++) {
            close(expected[k], v[k]);
        }
        double[] shifted = {1001, 1002, 1003};   // softmax is shift-invariant; naive e^1003 would overflow
        Activation.SOFTMAX.applyInPlace(shifted, 0, 3, 0, 0);
        for (int k = 0; k < 3; k++) {
            close(expected[k], shifted[k]);
        }
        assertThrows(UnsupportedOperationException.class, () -> Activation.SOFTMAX.apply(1, 0, 0));
        assertTrue(Activation.LOG_SOFTMAX.isLayerWise());
        assertTrue(Activation.SOFTMAX.isLayerWise());
        assertFalse(Activation.SIGMOID.isLayerWise());
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"SOFTMAX", "LOG_SOFTMAX"}, mode = EnumSource.Mode.EXCLUDE)
    void applyInPlaceIsApplyOnEachElementOfTheRange(Activation a) {
        Random random = new Random(5);
        double[] v = new double[40];
        for (int k = 0; k < v.length; k++) {
            v[k] = k < 5 ? new double[] {0, -0.0, 1000, -1000, 1e-300}[k] : 8 * random.nextGaussian();
        }
        double alpha = a == Activation.HARD_SIGMOID ? 1.0 / 6 : 0.3;
        double beta = 0.5;
        double[] copy = v.clone();
        a.applyInPlace(v, 2, 37, alpha, beta);
        for (int k = 0; k < v.length; k++) {
            double expected = k >= 2 && k < 37 ? a.apply(copy[k], alpha, beta) : copy[k];
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(v[k]), a.id() + " at " + k);
        }
    }

    @Test
    void hardSwishMishCeluAndClipByHand() {
        close(2.0 / 3, f(Activation.HARD_SWISH, 1));              // 1·4/6
        close(-1.0 / 3, f(Activation.HARD_SWISH, -1));            // −1·2/6
        assertEquals(4.0, f(Activation.HARD_SWISH, 4));           // x·6/6
        // mish(1) = tanh(ln(1 + e)) = ((1 + e)² − 1)/((1 + e)² + 1)
        double e1 = (1 + Math.E) * (1 + Math.E);
        close((e1 - 1) / (e1 + 1), f(Activation.MISH, 1));
        close(2 * Math.expm1(-0.5), Activation.CELU.apply(-1, 2, 0)); // 2·(e^(−1/2) − 1)
        assertEquals(6.0, Activation.CLIP.apply(7, 0, 6));        // ReLU6
        assertEquals(0.5, Activation.PRELU.apply(-2, -0.25, 0));  // a negative slope flips the sign
        assertEquals(0.0, Activation.CLIP.apply(-7, 0, 6));
        assertEquals(-0.5, Activation.CLIP.apply(-0.5, -1, 1));
    }

    @Test
    void logSoftmaxIsTheLogOfSoftmaxAndDoesNotOverflow() {
        // ln Σ e^x over (1, 2, 3) = 3 + ln(1 + e^-1 + e^-2) = 3.40760596444438 (Python: math.log).
        double[] v = {9, 1, 2, 3, 9};
        Activation.LOG_SOFTMAX.applyInPlace(v, 1, 4, 0, 0);
        assertArrayEquals(new double[] {9, -2.40760596444438, -1.4076059644443801, -0.40760596444438013, 9}, v, 1e-15);
        // Shifted by 1000 the values are the same, where a naive e^x would overflow.
        double[] big = {1001, 1002, 1003};
        Activation.LOG_SOFTMAX.applyInPlace(big, 0, 3, 0, 0);
        assertArrayEquals(new double[] {-2.40760596444438, -1.4076059644443801, -0.40760596444438013}, big, 1e-12);
    }

    @Test
    void sigmoidIsMonotoneAndSymmetric() {
        // σ(−x) = 1 − σ(x); checked where 1 − σ(x) loses nothing (σ(x) ≤ 1/2 for x ≤ 0)
        for (double x = -30; x <= 0; x += 0.37) {
            double lo = f(Activation.SIGMOID, x);
            double hi = f(Activation.SIGMOID, -x);
            assertEquals(1.0, lo + hi, 4.5e-16, "σ(" + x + ") + σ(" + -x + ")");
            assertTrue(f(Activation.SIGMOID, x + 0.37) >= lo);
        }
    }

    @Test
    void sigmoidIsWithinTwoUlpsOfSixtyDigitArithmetic() {
        // The reference: e^−|x| = (e^(−|x|/4096))^4096 by its Taylor series in 60-digit decimals,
        // then 1/(1 + e) or e/(1 + e), rounded to double once.
        Random random = new Random(11);
        double worst = 0;
        for (int k = 0; k < 6000; k++) {
            double x = k < 4000 ? random.nextGaussian() * 8 : (2 * random.nextDouble() - 1) * 760;
            double exact = exactSigmoid(x);
            worst = Math.max(worst, Math.abs(f(Activation.SIGMOID, x) - exact) / Math.ulp(exact));
        }
        assertTrue(worst <= 2, "σ is " + worst + " ulps from the exact value");
    }

    @Test
    void sigmoidOfALayerIsTheSigmoidOfEachValue() {
        Random random = new Random(5);
        double[] v = new double[300];
        for (int j = 0; j < v.length; j++) {
            v[j] = j < 200 ? random.nextGaussian() * 10 : (2 * random.nextDouble() - 1) * 800;
        }
        double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, -745.2, -720, 36.8};
        System.arraycopy(special, 0, v, 1, special.length);
        double[] layer = v.clone();
        Activation.SIGMOID.applyInPlace(layer, 1, 299, 0, 0, new double[300]);
        assertEquals(v[0], layer[0]);      // outside [from, to): untouched
        assertEquals(v[299], layer[299]);
        for (int j = 1; j < 299; j++) {
            assertEquals(f(Activation.SIGMOID, v[j]), layer[j], 0, "σ(" + v[j] + ")");
        }
        assertTrue(Double.isNaN(layer[1]));
        assertEquals(1.0, layer[2]);
        assertEquals(0.0, layer[3]);
        assertEquals(0.5, layer[4]);
        assertEquals(0.5, layer[5]);
        assertTrue(layer[6] >= 0 && layer[6] <= Double.MIN_VALUE);   // e^−745.2 ≈ 2.5e-324: 0 or the smallest subnormal
        assertEquals(exactSigmoid(-720), layer[7], Math.ulp(exactSigmoid(-720)));   // e ≈ 2e-313 is subnormal: 2^n scaled in two steps (n = −1039)
    }

    /** σ(x) in 60-digit decimal arithmetic, rounded to double. */
    private static double exactSigmoid(double x) {
        java.math.MathContext mc = new java.math.MathContext(60);
        java.math.BigDecimal y = new java.math.BigDecimal(-Math.abs(x)).divide(java.math.BigDecimal.valueOf(4096), mc);
        java.math.BigDecimal term = java.math.BigDecimal.ONE;
        java.math.BigDecimal e = java.math.BigDecimal.ONE;
        for (int i = 1; i < 40; i++) {
            term = term.multiply(y, mc).divide(java.math.BigDecimal.valueOf(i), mc);
            e = e.add(term, mc);
        }
        for (int i = 0; i < 12; i++) {
            e = e.multiply(e, mc);
        }
        java.math.BigDecimal onePlus = java.math.BigDecimal.ONE.add(e, mc);
        return (x >= 0 ? java.math.BigDecimal.ONE.divide(onePlus, mc) : e.divide(onePlus, mc)).doubleValue();
    }

    @Test
    void sigmoidForFloat32IsExactAfterRounding() {
        // The float32 pass's σ (a polynomial exp, vectorized) against σ from StrictMath.exp (fdlibm,
        // < 1 ulp), written as e^x/(1 + e^x) for x < 0 so that nothing cancels or overflows.
        double worst = 0;
        double[] v = new double[1];
        for (double x = -150; x <= 150; x += 0.000917) {
            v[0] = x;
            Activation.SIGMOID.applyInPlaceBeforeFloatRounding(v, 0, 1, 0, 0);
            double exact = x >= 0 ? 1 / (1 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1 + StrictMath.exp(x));
            assertEquals((float) exact, (float) v[0], 0, "σ(" + x + ") rounded to float32");
            if (x > -100) {   // below, the exact value is under float32's smallest subnormal anyway
                worst = Math.max(worst, Math.abs(v[0] - exact) / exact);
            }
        }
        assertTrue(worst < 1e-12, "largest relative error " + worst);
        double[] odd = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1000, 1000, 0};
        Activation.SIGMOID.applyInPlaceBeforeFloatRounding(odd, 0, odd.length, 0, 0);
        assertTrue(Double.isNaN(odd[0]));
        assertEquals(1.0, odd[1]);
        assertEquals(0f, (float) odd[2]);
        assertEquals(0f, (float) odd[3]);
        assertEquals(1.0, odd[4]);
        assertEquals(0.5, odd[5]);
        // Every other function is computed as applyInPlace computes it
        double[] a = {-2, -0.5, 0, 0.5, 2};
        double[] b = a.clone();
        Activation.TANH.applyInPlaceBeforeFloatRounding(a, 0, a.length, 0, 0);
        Activation.TANH.applyInPlace(b, 0, b.length, 0, 0);
        assertArrayEquals(b, a, 0);
    }

    @Test
    void parseNamesAndAliases() {
        assertSame(Activation.SIGMOID, Activation.parse("sigmoid"));
        assertSame(Activation.SIGMOID, Activation.parse("logistic"));
        assertSame(Activation.IDENTITY, Activation.parse("linear"));
        assertSame(Activation.SILU, Activation.parse("swish"));
        assertSame(Activation.HARD_SIGMOID, Activation.parse("hard_sigmoid"));
        for (Activation a : Activation.values()) {
            assertSame(a, Activation.parse(a.id()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("sigmod"));
        assertTrue(e.getMessage().contains("'sigmod'") && e.getMessage().contains("sigmoid (logistic)"), e.getMessage());
        assertEquals(List.of("alpha", "beta"), Activation.HARD_SIGMOID.parameterNames());
        assertEquals(List.of(), Activation.TANH.parameterNames());
    }
}
