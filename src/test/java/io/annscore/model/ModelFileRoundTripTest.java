package io.annscore.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.network.Activation;
import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.Summation;
import io.annscore.network.Task;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelFileRoundTripTest {

    /** Doubles whose text form is easy to get wrong. */
    static final double[] AWKWARD = {
        0.1, 1e-310, -0.0, Double.MIN_VALUE, 1.0 / 3, 1e308, -Double.MAX_VALUE, Double.MIN_NORMAL,
        Math.nextDown(Double.MIN_NORMAL), 2e23, 5e-324 * 3, Math.nextUp(1.0), 9007199254740993.0, -1e-5, Math.PI,
        123456789012345678.0, 4.35e-311, 0.0, 1.0, -2.5e-8,
    };

    /** A network that uses every field, awkward doubles everywhere, and two layers big enough for base64 under AUTO. */
    static Network awkwardNetwork() {
        Random random = new Random(7);
        DoubleSupplier next = new DoubleSupplier() {
            int k;

            @Override
            public double getAsDouble() {
                return k < AWKWARD.length ? AWKWARD[k++] : randomFiniteDouble(random);
            }
        };
        List<String> features = List.of("a \"quoted\" name", "ünïcödé ✓", "tab\there", "back\\slash", "plain");
        double[] mean = {0.1, -0.0, 1e-310, -Double.MAX_VALUE, 1.0 / 3};
        double[] scale = {Double.MIN_VALUE, 1e308, -7.0, 0.1, 2e23};
        List<Layer> layers = List.of(
                layer(5, 6, next, Summation.WEIGHTED_SUM, Activation.LEAKY_RELU, Map.of("alpha", 0.1)),
                layer(6, 3, next, Summation.PRODUCT, Activation.HARD_SIGMOID, Map.of("alpha", 1.0 / 3, "beta", -0.0)),
                layer(3, 2, next, Summation.MAJORITY, Activation.ELU, Map.of("alpha", 1e-310)),
                layer(2, 3000, next, Summation.MAXIMUM, Activation.GELU_TANH, Map.of()),
                layer(3000, 2, next, Summation.MINIMUM, Activation.SOFTMAX, Map.of()));
        return new Network(
                new ModelInfo("awkward \"net\"", "0.1-β", "line one\nline two", Map.of("z", "last", "a", "first", "ü", "\u0000")),
                new InputSpec(features, features.size(), mean, scale),
                layers,
                new OutputSpec(Task.BINARY, List.of("nein", "ja"), 1.0 / 3));
    }

    private static Layer layer(int in, int out, DoubleSupplier next, Summation s, Activation a, Map<String, Double> p) {
        double[][] w = new double[out][in];
        double[] b = new double[out];
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                w[j][i] = next.getAsDouble();
            }
            b[j] = next.getAsDouble();
        }
        return new Layer(w, b, s, a, p);
    }

    /** Any finite double, from random bits: every exponent, subnormals included, is equally likely. */
    static double randomFiniteDouble(Random random) {
        while (true) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(d)) {
                return d;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ModelFile.Encoding.class)
    void writeReadWriteGivesTheSameBytesAndEveryValueBitForBit(ModelFile.Encoding encoding) throws Exception {
        Network original = awkwardNetwork();

        byte[] first = ModelFile.write(original, encoding);
        Network read = ModelFile.read(first);
        byte[] second = ModelFile.write(read, encoding);

        assertArrayEquals(first, second);
        assertSameNetwork(original, read);
    }

    @Test
    void autoWritesSmallArraysAsJsonAndLargeOnesAsBase64() {
        String text = new String(ModelFile.write(awkwardNetwork()), StandardCharsets.UTF_8);
        // Two weight matrices of 6000 values are above the threshold; every other array (at most 3000 values) is not.
        assertEquals(2, count(text, "\"encoding\": \"base64-f64le\""));
        assertEquals(2, count(text, "\"rows\": "));
        assertEquals(0, count(text, "\"length\": "));

        String arrays = new String(ModelFile.write(awkwardNetwork(), ModelFile.Encoding.ARRAYS), StandardCharsets.UTF_8);
        assertFalse(arrays.contains("base64"));

        String base64 = new String(ModelFile.write(awkwardNetwork(), ModelFile.Encoding.BASE64), StandardCharsets.UTF_8);
        assertEquals(5, count(base64, "\"rows\": "));
        assertEquals(5 + 2, count(base64, "\"length\": ")); // five biases, mean and scale
    }

    @Test
    void base64HoldsTheRowsOneAfterAnotherAsLittleEndianDoubles() throws Exception {
        Network one = new Network(ModelInfo.named("n"), new InputSpec(List.of(), 2, null, null),
                List.of(new Layer(new double[][] {{1.0, -2.0}, {0.5, 0.0}}, new double[] {0.25, 3.0},
                        Summation.WEIGHTED_SUM, Activation.IDENTITY, Map.of())),
                OutputSpec.of(Task.REGRESSION));
        String text = new String(ModelFile.write(one, ModelFile.Encoding.BASE64), StandardCharsets.UTF_8);
        // 1.0 = 3FF0000000000000, −2.0 = C000000000000000, 0.5 = 3FE0000000000000, 0.0; each written low byte first.
        byte[] expected = new byte[32];
        expected[6] = (byte) 0xF0;
        expected[7] = (byte) 0x3F;
        expected[15] = (byte) 0xC0;
        expected[22] = (byte) 0xE0;
        expected[23] = (byte) 0x3F;
        Matcher data = Pattern.compile("\"data\": \"([^\"]*)\"").matcher(text);
        assertTrue(data.find());
        assertArrayEquals(expected, java.util.Base64.getDecoder().decode(data.group(1)));
    }

    @Test
    void aHundredThousandRandomDoublesSurviveTheirTextForm() throws Exception {
        Random random = new Random(20240611);
        int n = 100_000;
        double[][] w = new double[1][n];
        for (int i = 0; i < n; i++) {
            // Half from all bit patterns, half subnormal: the hardest to print and parse.
            w[0][i] = i % 2 == 0 ? randomFiniteDouble(random) : Double.longBitsToDouble(random.nextLong() & 0x800F_FFFF_FFFF_FFFFL);
        }
        Network wide = new Network(ModelInfo.named("wide"), new InputSpec(List.of(), n, null, null),
                List.of(new Layer(w, new double[] {-0.0}, Summation.WEIGHTED_SUM, Activation.IDENTITY, Map.of())),
                OutputSpec.of(Task.REGRESSION));

        Network read = ModelFile.read(ModelFile.write(wide, ModelFile.Encoding.ARRAYS));

        for (int i = 0; i < n; i++) {
            assertBits(w[0][i], read.layers().get(0).weight(0, i), "weight " + i);
        }
        assertBits(-0.0, read.layers().get(0).bias(0), "bias");
        assertFalse(read.input().hasFeatureNames());
        assertEquals(n, read.inputSize());
    }

    static void assertSameNetwork(Network expected, Network actual) {
        assertEquals(expected.info(), actual.info());
        assertEquals(expected.input().features(), actual.input().features());
        assertEquals(expected.input().size(), actual.input().size());
        assertBits(expected.input().mean(), actual.input().mean(), "mean");
        assertBits(expected.input().scale(), actual.input().scale(), "scale");
        assertEquals(expected.layers().size(), actual.layers().size());
        for (int k = 0; k < expected.layers().size(); k++) {
            Layer e = expected.layers().get(k);
            Layer a = actual.layers().get(k);
            double[][] ew = e.weights();
            double[][] aw = a.weights();
            assertEquals(ew.length, aw.length, "layer " + k + " neurons");
            for (int j = 0; j < ew.length; j++) {
                assertBits(ew[j], aw[j], "layer " + k + " weights row " + j);
            }
            assertBits(e.biases(), a.biases(), "layer " + k + " bias");
            assertEquals(e.summation(), a.summation());
            assertEquals(e.activation(), a.activation());
            assertEquals(e.activationParameters().keySet(), a.activationParameters().keySet());
            for (String p : e.activationParameters().keySet()) {
                assertBits(e.activationParameters().get(p), a.activationParameters().get(p), "layer " + k + " " + p);
            }
        }
        assertEquals(expected.output().task(), actual.output().task());
        assertEquals(expected.output().classNames(), actual.output().classNames());
        assertBits(expected.output().threshold(), actual.output().threshold(), "threshold");
    }

    static void assertBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> what + ": expected " + expected + ", found " + actual);
    }

    static void assertBits(double[] expected, double[] actual, String what) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, what);
            return;
        }
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertBits(expected[i], actual[i], what + " [" + i + "]");
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
