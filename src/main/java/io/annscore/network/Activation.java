package io.annscore.network;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.math3.special.Erf;

/**
 * The activation function of a layer: the output of neuron j is {@code f(net_j)}, where
 * {@code net_j} is the layer's summation function. Every formula below is implemented so that
 * inputs of ±1000 give finite results (never NaN or infinity, except that identity, ReLU and
 * their relatives return their input unchanged when it is already infinite).
 *
 * <p>Parameters: {@code alpha} for {@link #LEAKY_RELU} (default 0.01), {@link #ELU} and
 * {@link #CELU} (default 1) and {@link #HARD_SIGMOID} (default 0.2); {@code beta} for
 * {@link #HARD_SIGMOID} (default 0.5); {@code min} and {@code max} for {@link #CLIP} (defaults −1
 * and 1); {@code slope} for {@link #PRELU} (default 0.25). The others take none.
 */
public enum Activation {
    /** Identity (linear): f(x) = x. */
    IDENTITY("identity", "linear"),
    /** Binary step (Heaviside): f(x) = 1 if x ≥ 0, else 0. */
    BINARY_STEP("binary_step", "step"),
    /** Logistic sigmoid: f(x) = 1 / (1 + e^−x); computed as e^x / (1 + e^x) for x &lt; 0 so that e^−x cannot overflow. */
    SIGMOID("sigmoid", "logistic"),
    /**
     * Hyperbolic tangent: f(x) = (e^x − e^−x) / (e^x + e^−x), computed as (e^2|x| − 1) / (e^2|x| + 1)
     * with the sign of x, and by its Taylor series below |x| = 1/8 (see {@link #tanh(double)}).
     */
    TANH("tanh"),
    /** Rectified linear unit: f(x) = max(0, x) (NaN for NaN). */
    RELU("relu"),
    /** Leaky ReLU: f(x) = x if x ≥ 0, else alpha·x. */
    LEAKY_RELU("leaky_relu", new String[] {"alpha"}, 0.01),
    /** Exponential linear unit: f(x) = x if x &gt; 0, else alpha·(e^x − 1). */
    ELU("elu", new String[] {"alpha"}, 1.0),
    /**
     * Scaled ELU: f(x) = λ·x if x &gt; 0, else λ·α·(e^x − 1), with the standard constants
     * α = 1.6732632423543772 and λ = 1.0507009873554805 (Klambauer et al., 2017).
     */
    SELU("selu"),
    /** Softplus: f(x) = ln(1 + e^x), computed as max(x, 0) + ln(1 + e^−|x|). */
    SOFTPLUS("softplus"),
    /** Softsign: f(x) = x / (1 + |x|). */
    SOFTSIGN("softsign"),
    /** SiLU, also called swish: f(x) = x·σ(x), with σ the logistic sigmoid. */
    SILU("silu", "swish"),
    /**
     * GELU, exact form: f(x) = x·Φ(x) = ½·x·(1 + erf(x/√2)); computed as ½·x·erfc(−x/√2), which
     * keeps its precision for negative x.
     */
    GELU("gelu"),
    /** GELU, tanh approximation: f(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    GELU_TANH("gelu_tanh"),
    /**
     * Hard sigmoid: f(x) = max(0, min(1, alpha·x + beta)). Defaults alpha = 0.2, beta = 0.5 (ONNX
     * and Keras); PyTorch's {@code Hardsigmoid} is alpha = 1/6, beta = 1/2.
     */
    HARD_SIGMOID("hard_sigmoid", new String[] {"alpha", "beta"}, 0.2, 0.5),
    /**
     * PReLU with one learned slope: f(x) = x if x ≥ 0, else slope·x. Unlike leaky ReLU's alpha, the
     * slope may be negative, as training leaves it. Default slope = 0.25 (PyTorch's initial value).
     */
    PRELU("prelu", new String[] {"slope"}, 0.25),
    /** Hard swish: f(x) = x·min(max(x + 3, 0), 6) / 6 (PyTorch's {@code Hardswish}, ONNX's {@code HardSwish}). */
    HARD_SWISH("hard_swish"),
    /** Mish: f(x) = x·tanh(softplus(x)) = x·tanh(ln(1 + e^x)). */
    MISH("mish"),
    /** CELU: f(x) = x if x &gt; 0, else alpha·(e^(x/alpha) − 1). Default alpha = 1 (then it is ELU). */
    CELU("celu", new String[] {"alpha"}, 1.0),
    /**
     * Clip: f(x) = min(max(x, min), max). Defaults min = −1, max = 1 (HardTanh); ReLU6 is min = 0,
     * max = 6.
     */
    CLIP("clip", new String[] {"min", "max"}, -1.0, 1.0),
    /** Softmax over the layer: f(x)_j = e^(x_j − m) / Σ_k e^(x_k − m), with m = max_k x_k. */
    SOFTMAX("softmax"),
    /**
     * Log-softmax over the layer: f(x)_j = ln softmax(x)_j = x_j − m − ln Σ_k e^(x_k − m), with
     * m = max_k x_k, so that no exponential overflows and the largest term of the sum is 1. Its
     * values are log-probabilities: a classifier ending in it declares
     * {@link OutputValues#LOG_PROBABILITIES}.
     */
    LOG_SOFTMAX("log_softmax");

    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private final String id;
    private final String alias;
    private final List<String> parameterNames;
    private final double[] defaults;

    Activation(String id) {
        this(id, null, new String[0]);
    }

    Activation(String id, String alias) {
        this(id, alias, new String[0]);
    }

    Activation(String id, String[] parameterNames, double... defaults) {
        this(id, null, parameterNames, defaults);
    }

    Activation(String id, String alias, String[] parameterNames, double... defaults) {
        this.id = id;
        this.alias = alias;
        this.parameterNames = List.of(parameterNames);
        this.defaults = defaults;
    }

    /** The name used in model files. */
    public String id() {
        return id;
    }

    /** The names of the parameters this function takes, in order ({@code alpha}, {@code beta}). */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /** The default value of each parameter, in the order of {@link #parameterNames()}. */
    public double[] defaultParameters() {
        return defaults.clone();
    }

    /** Whether the function works on the whole layer (softmax) rather than on each neuron alone. */
    public boolean isLayerWise() {
        return this == SOFTMAX || this == LOG_SOFTMAX;
    }

    /** Looks a function up by its name or alias; the error lists the known names. */
    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.id.equals(name) || name.equals(a.alias)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation function '" + name + "'; known: " + knownNames());
    }

    public static String knownNames() {
        return Arrays.stream(values())
                .map(a -> a.alias == null ? a.id : a.id + " (" + a.alias + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * Applies an element-wise function to one value. {@code alpha} and {@code beta} are the layer's
     * parameters (ignored by functions that take none).
     *
     * @throws UnsupportedOperationException for {@link #SOFTMAX}, which needs the whole layer
     */
    public double apply(double x, double alpha, double beta) {
        switch (this) {
            case IDENTITY: return x;
            case BINARY_STEP: return x >= 0 ? 1.0 : x < 0 ? 0.0 : x;   // NaN stays NaN
            case SIGMOID: return sigmoid(x);
            case TANH: return tanh(x);
            case RELU: return Math.max(x, 0.0);
            case LEAKY_RELU: return x >= 0 ? x : alpha * x;
            case ELU: return x > 0 ? x : alpha * Math.expm1(x);
            case SELU: return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
            case SOFTPLUS: return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            case SOFTSIGN: return x / (1.0 + Math.abs(x));
            case SILU: return x * sigmoid(x);
            case GELU: return 0.5 * x * Erf.erfc(-x * SQRT_HALF);
            case GELU_TANH: return 0.5 * x * (1.0 + tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            case HARD_SIGMOID: return Math.max(0.0, Math.min(1.0, alpha * x + beta));
            case PRELU: return x >= 0 ? x : alpha * x;
            case HARD_SWISH: return x * Math.min(Math.max(x + 3, 0.0), 6.0) / 6;
            case MISH: return x * tanh(Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x))));
            case CELU: return x > 0 ? x : alpha * Math.expm1(x / alpha);
            case CLIP: return Math.min(Math.max(x, alpha), beta);
            default: throw new UnsupportedOperationException(id + " applies to a whole layer");
        }
    }

    /**
     * Applies the function in place to {@code v[from..to)}, one layer's net inputs. For the sigmoid
     * this allocates its scratch; the forward pass uses the form that takes one.
     */
    public void applyInPlace(double[] v, int from, int to, double alpha, double beta) {
        applyInPlace(v, from, to, alpha, beta, this == SIGMOID ? new double[to] : null);
    }

    /**
     * {@link #applyInPlace(double[], int, int, double, double)} with the room some functions need
     * (the logistic sigmoid, {@link #sigmoids}): {@code scratch} holds at least {@code to} values
     * and is overwritten. The forward pass hands in an array it has at hand, so nothing is allocated.
     */
    public void applyInPlace(double[] v, int from, int to, double alpha, double beta, double[] scratch) {
        switch (this) {
            case IDENTITY:
                return;
            case RELU:
                // Math.max, not a comparison: C2 vectorizes it (no branch to mispredict on random
                // signs), and a NaN stays NaN, so an overflowed layer is quarantined, not hidden as 0.
                for (int j = from; j < to; j++) {
                    v[j] = Math.max(v[j], 0.0);
                }
                return;
            case SIGMOID:
                sigmoids(v, from, to, scratch);
                return;
            case TANH:
                for (int j = from; j < to; j++) {
                    v[j] = tanh(v[j]);
                }
                return;
            case SOFTMAX:
                softmax(v, from, to);
                return;
            case LOG_SOFTMAX:
                logSoftmax(v, from, to);
                return;
            default:
                for (int j = from; j < to; j++) {
                    v[j] = apply(v[j], alpha, beta);
                }
        }
    }

    /**
     * {@link #applyInPlace}, for a float32 forward pass: the caller rounds the results to float32.
     * The logistic sigmoid then uses {@link #sigmoidsBeforeFloatRounding}, about twice as fast as
     * {@link #sigmoids} and exact after the rounding; every other function is computed as in
     * {@link #applyInPlace}.
     */
    public void applyInPlaceBeforeFloatRounding(double[] v, int from, int to, double alpha, double beta) {
        if (this == SIGMOID) {
            sigmoidsBeforeFloatRounding(v, from, to);
        } else {
            applyInPlace(v, from, to, alpha, beta);
        }
    }

    /** Where σ's input is clamped: σ(−104) ≈ 6.8e-46 is below half of float32's smallest subnormal, so it rounds to 0. */
    static final double SIGMOID_CLAMP = 104;

    /**
     * σ(x) = 1 / (1 + e^−x) for a result that is rounded to float32 next, in place. e^−x is
     * computed as (e^t)^1024 with t = −x/1024 (exact), |t| ≤ 104/1024: e^t by its Taylor polynomial
     * to t⁹ (the first term left out is below 4e-17) evaluated in Estrin's scheme, then squared ten
     * times. Relative error below 1e-12 (ActivationTest), far under float32's 6e-8.
     *
     * <p>Why: the loop has only multiply-adds, products, a min, a max and a division, so C2
     * vectorizes it whole, in one pass (2.5 ns per value on this machine, JDK 17, against 5–8 for
     * {@link #sigmoids} and 9–12 through {@link Math#exp}). It is not used in float64, where
     * {@link #sigmoid} keeps results within 2 ulps. NaN stays NaN; ±∞ give 1 and 0.
     */
    static void sigmoidsBeforeFloatRounding(double[] v, int from, int to) {
        for (int j = from; j < to; j++) {
            double t = Math.min(Math.max(-v[j], -SIGMOID_CLAMP), SIGMOID_CLAMP) * 0x1p-10;
            double t2 = t * t;
            double t4 = t2 * t2;
            double p01 = t + 1.0;
            double p23 = Math.fma(t, 1.0 / 6, 0.5);
            double p45 = Math.fma(t, 1.0 / 120, 1.0 / 24);
            double p67 = Math.fma(t, 1.0 / 5040, 1.0 / 720);
            double p89 = Math.fma(t, 1.0 / 362880, 1.0 / 40320);
            double e = Math.fma(t4 * t4, p89, Math.fma(t4, Math.fma(t2, p67, p45), Math.fma(t2, p23, p01)));
            e *= e;
            e *= e;
            e *= e;
            e *= e;
            e *= e;
            e *= e;
            e *= e;
            e *= e;
            e *= e;
            e *= e;
            v[j] = 1.0 / (1.0 + e);
        }
    }

    // Taylor coefficients of tanh x = x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 − …
    private static final double T3 = -1.0 / 3;
    private static final double T5 = 2.0 / 15;
    private static final double T7 = -17.0 / 315;
    private static final double T9 = 62.0 / 2835;
    private static final double T11 = -1382.0 / 155925;
    private static final double T13 = 21844.0 / 6081075;
    private static final double T15 = -929569.0 / 638512875;

    /**
     * tanh to within 6 ulps of StrictMath.tanh (relative error below 1e-15), about 4× faster than {@link Math#tanh}:
     * on JDK 17 that is fdlibm in C behind a native call (~17 ns here), while {@link Math#exp} is
     * a JIT intrinsic (~4 ns).
     *
     * <p>For 1/8 ≤ |x| &lt; 22: (e − 1)/(e + 1) with e = e^2|x| ≥ 1.28; e − 1 is exact for e ≤ 2 and
     * its relative error stays below 6 ulps. Below 1/8 that form cancels (x = 1e-9 would keep only
     * 7 digits), so the Taylor series is used up to x¹⁵: the first term left out is below 1e-18·|x|.
     * From 22 on, tanh rounds to ±1 (1 − tanh 22 ≈ 1.6e-19).
     */
    static double tanh(double x) {
        double ax = Math.abs(x);
        if (ax < 0x1p-28) {
            return x;   // x³/3 is below half an ulp of x; also keeps the sign of −0
        }
        if (ax < 0.125) {
            double x2 = x * x;
            return x + x * x2 * (T3 + x2 * (T5 + x2 * (T7 + x2 * (T9 + x2 * (T11 + x2 * (T13 + x2 * T15))))));
        }
        if (ax >= 22) {
            return Math.copySign(1.0, x);
        }
        double e = Math.exp(2 * ax);
        return Math.copySign((e - 1) / (e + 1), x);
    }

    /**
     * σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) for x &lt; 0, with e = e^−|x| ≤ 1 (so nothing
     * overflows). Within 2 ulps of the exact value (ActivationTest measures it against 60-digit
     * arithmetic). The same arithmetic as {@link #sigmoids}, one value at a time, so the two agree
     * bit for bit.
     */
    static double sigmoid(double x) {
        return sigmoidOf(x, expOfReduced(reduced(x)));
    }

    /**
     * {@link #sigmoid} of {@code v[from..to)} in place, in two passes over the values. e^−|x| is
     * 2^n·e^r with n = round(−|x|/ln 2) and |r| ≤ ln(2)/2: the first pass computes e^r (a
     * polynomial) into {@code scratch}, and with only multiply-adds, a min and an abs in it, C2
     * vectorizes it; the second pass scales by 2^n, which needs the bits of a double (C2 in JDK 17
     * does not vectorize that), and divides. 5–8 ns per value against 9–12 ns through
     * {@link Math#exp}, which is a call per value.
     *
     * @param scratch room for {@code to} values; overwritten
     */
    static void sigmoids(double[] v, int from, int to, double[] scratch) {
        for (int j = from; j < to; j++) {
            scratch[j] = expOfReduced(reduced(v[j]));
        }
        for (int j = from; j < to; j++) {
            v[j] = sigmoidOf(v[j], scratch[j]);
        }
    }

    static final double LOG2_E = 1.4426950408889634;
    /** ln 2 as the nearest double and what it leaves out: LN2_HI + LN2_LO is ln 2 to about 1e-33. */
    static final double LN2_HI = 0.6931471805599453;
    static final double LN2_LO = 2.3190468138462996e-17;
    /** 1.5·2^52: adding and subtracting it rounds a double below 2^51 in magnitude to an integer. */
    static final double ROUNDER = 0x1.8p52;
    /** Where e^−|x| is taken as e^−746: it is 0 in double from 745.2 on. */
    static final double EXP_CLAMP = 746;

    /** n = round(−|x|/ln 2), as a double; −1076 ≤ n ≤ 0 (NaN for NaN). */
    private static double exponentOf(double x) {
        double ax = Math.min(Math.abs(x), EXP_CLAMP);
        return (-ax * LOG2_E + ROUNDER) - ROUNDER;
    }

    /** r = −|x| − n·ln 2, |r| ≤ ln(2)/2; ln 2 in two parts, so that r keeps its precision for large n. */
    private static double reduced(double x) {
        double ax = Math.min(Math.abs(x), EXP_CLAMP);
        double n = exponentOf(x);
        return Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, -ax));
    }

    /** e^r for |r| ≤ ln(2)/2: its Taylor polynomial to r¹⁴ (the first term left out is below 1e-17·e^r). */
    private static double expOfReduced(double r) {
        double p = 1.0 / 87178291200.0;
        p = Math.fma(p, r, 1.0 / 6227020800.0);
        p = Math.fma(p, r, 1.0 / 479001600);
        p = Math.fma(p, r, 1.0 / 39916800);
        p = Math.fma(p, r, 1.0 / 3628800);
        p = Math.fma(p, r, 1.0 / 362880);
        p = Math.fma(p, r, 1.0 / 40320);
        p = Math.fma(p, r, 1.0 / 5040);
        p = Math.fma(p, r, 1.0 / 720);
        p = Math.fma(p, r, 1.0 / 120);
        p = Math.fma(p, r, 1.0 / 24);
        p = Math.fma(p, r, 1.0 / 6);
        p = Math.fma(p, r, 0.5);
        p = Math.fma(p, r, 1.0);
        return Math.fma(p, r, 1.0);
    }

    /**
     * σ(x) from e^r (see {@link #reduced}): e = e^r·2^n, then 1/(1 + e) times 1 or e. The choice
     * is made on the bits of x, not by a branch: hidden units' inputs change sign at random, and a
     * mispredicted branch per unit cost about a sixth of a small network's forward pass.
     */
    private static double sigmoidOf(double x, double expR) {
        long n = (long) exponentOf(x);
        double e = n >= -1022
                ? expR * Double.longBitsToDouble((n + 1023) << 52)
                : expR * Double.longBitsToDouble((n + 1023 + 64) << 52) * 0x1p-64;   // a subnormal e: scaled in two steps
        double r = 1.0 / (1.0 + e);
        long negative = Double.doubleToRawLongBits(x) >> 63;   // all ones for x < 0 (and −0.0), else 0
        double scale = Double.longBitsToDouble(Double.doubleToRawLongBits(e) & negative
                | Double.doubleToRawLongBits(1.0) & ~negative);
        return r * scale;
    }

    private static void logSoftmax(double[] v, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < to; j++) {
            max = Math.max(max, v[j]);
        }
        double sum = 0.0;
        for (int j = from; j < to; j++) {
            sum += Math.exp(v[j] - max);
        }
        double logSum = Math.log(sum);
        for (int j = from; j < to; j++) {
            v[j] = (v[j] - max) - logSum;
        }
    }

    static void softmax(double[] v, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < to; j++) {
            max = Math.max(max, v[j]);
        }
        double sum = 0.0;
        for (int j = from; j < to; j++) {
            v[j] = Math.exp(v[j] - max);
            sum += v[j];
        }
        for (int j = from; j < to; j++) {
            v[j] /= sum;
        }
    }
}
