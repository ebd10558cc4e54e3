package io.annscore.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.network.Network;
import io.annscore.testing.NeutralModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of bad file gets its own error, naming the place. The files are the documented
 * example (a binary 2-3-1 network, leaky ReLU then sigmoid) with one edit each.
 */
class ModelFileErrorsTest {
    private static final String EXAMPLE = text(ModelFileExampleTest.exampleNetwork(), ModelFile.Encoding.AUTO);

    @Test
    void notJson() {
        assertMessage("model file: not valid JSON: Unrecognized token 'this'", "this is not JSON");
        assertMessage("model file: not valid JSON: Unexpected end-of-input", EXAMPLE.substring(0, EXAMPLE.length() / 2));
    }

    @Test
    void notAnObject() {
        assertMessage("model file: the top level must be an object, found an array (line 1, column 1)", "[1, 2]");
    }

    @Test
    void wrongFormatName() {
        assertMessage("model file: 'format' is \"onnx\", expected \"annscore-network\"",
                edit("\"format\": \"annscore-network\"", "\"format\": \"onnx\""));
        assertMessage("model file: missing field 'format'", edit("\"format\": \"annscore-network\",", ""));
    }

    @Test
    void unsupportedVersion() {
        assertMessage("model file: format_version 3 is not supported; this annscore reads format_version 1 and 2",
                edit("\"format_version\": 1", "\"format_version\": 3"));
        assertMessage("model file: missing field 'format_version'", edit("\"format_version\": 1,", ""));
    }

    @Test
    void missingField() {
        assertMessage("layer 1: missing field 'bias'", edit("\"bias\": [0.1],", ""));
        assertMessage("model file: missing field 'output'", edit(EXAMPLE.substring(EXAMPLE.indexOf("  ],\n  \"output\"")),
                "  ]\n}\n"));
    }

    @Test
    void wrongType() {
        assertMessage("input: 'size' must be an integer from 1 to 2147483647, found a string (line 15, column 13)",
                edit("\"size\": 2", "\"size\": \"2\""));
        assertMessage("input: 'size' must be an integer from 1 to 2147483647, found the number 2.0 (line 15, column 13)",
                edit("\"size\": 2", "\"size\": 2.0"));
        assertMessage("model file: 'format_version' must be an integer, found a string",
                edit("\"format_version\": 1", "\"format_version\": \"1\""));
        assertMessage("layer 0: 'bias' must be an array of numbers or a base64 object, found a string",
                edit("\"bias\": [0.0, 0.5, -0.25]", "\"bias\": \"0.0\""));
        assertMessage("layer 0: weights [1][0] must be a number, found null", edit("[0.25, 0.75]", "[null, 0.75]"));
    }

    @Test
    void unknownField() {
        assertMessage("layer 1: unknown field 'activaton' (line ", edit("\"activation\": \"sigmoid\"", "\"activaton\": \"sigmoid\""));
        assertMessage("; known: weights, bias, summation, activation, activation_parameters",
                edit("\"activation\": \"sigmoid\"", "\"activaton\": \"sigmoid\""));
    }

    @Test
    void repeatedField() {
        assertMessage("output: field 'task' appears twice", edit("\"task\": \"binary\",", "\"task\": \"binary\", \"task\": \"regression\","));
    }

    @Test
    void unknownActivation() {
        assertMessage("layer 1: unknown activation function 'sigmoidal'; known: identity (linear), binary_step (step),"
                + " sigmoid (logistic), tanh, relu, leaky_relu", edit("\"sigmoid\"", "\"sigmoidal\""));
    }

    @Test
    void unknownSummation() {
        assertMessage("layer 1: unknown summation function 'average'; known: weighted_sum, product, maximum, minimum, majority",
                edit("\"summation\": \"weighted_sum\",\n      \"activation\": \"sigmoid\"",
                        "\"summation\": \"average\",\n      \"activation\": \"sigmoid\""));
    }

    @Test
    void cumulativeSummationIsRefusedWithTheReason() {
        assertMessage("layer 1: summation function 'cumulative' is not supported: the cumulative total",
                edit("\"summation\": \"weighted_sum\",\n      \"activation\": \"sigmoid\"",
                        "\"summation\": \"cumulative\",\n      \"activation\": \"sigmoid\""));
    }

    @Test
    void layerSizesDoNotChain() {
        assertMessage("layer 1: each neuron has 2 weights, but layer 0 has 3 neurons", edit("[0.5, -1.0, 2.0]", "[0.5, -1.0]"));
        assertMessage("layer 0: each neuron has 3 weights, but the input has 2 features",
                edit("[1.0, -0.5],\n        [0.25, 0.75],\n        [-1.0, 0.0]", "[1.0, -0.5, 1],\n        [0.25, 0.75, 1],\n        [-1.0, 0.0, 1]"));
    }

    @Test
    void weightRowOfTheWrongLength() {
        assertMessage("layer 0: weights row 1 has length 1, expected 2 like row 0", edit("[0.25, 0.75]", "[0.25]"));
    }

    @Test
    void biasCountWrong() {
        assertMessage("layer 0: 2 biases for 3 neurons (one bias per neuron)", edit("\"bias\": [0.0, 0.5, -0.25]", "\"bias\": [0.0, 0.5]"));
    }

    @Test
    void nonFiniteWeight() {
        // JSON has no NaN or infinity, but a number too large for a double parses as infinity.
        assertMessage("layer 0: weights [0][1] is not finite: -0.5e999 reads as -Infinity (line ", edit("[1.0, -0.5]", "[1.0, -0.5e999]"));
        assertMessage("input: standardization: mean [1] is not finite: 5e400 reads as Infinity",
                edit("\"mean\": [40.0, 50000.0]", "\"mean\": [40.0, 5e400]"));
    }

    @Test
    void nonFiniteWeightInBase64() {
        // Binary doubles can hold a NaN, which text cannot: put one in layer 0's weights, at [1][1].
        String base64 = text(ModelFileExampleTest.exampleNetwork(), ModelFile.Encoding.BASE64);
        Matcher data = Pattern.compile("\"data\": \"([^\"]*)\"").matcher(base64);
        assertTrue(data.find(base64.indexOf("\"layers\"")));
        byte[] bytes = Base64.getDecoder().decode(data.group(1));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(3 * Double.BYTES, Double.NaN);
        String edited = base64.substring(0, data.start(1)) + Base64.getEncoder().encodeToString(bytes) + base64.substring(data.end(1));
        assertMessage("layer 0: weights [1][1] is not finite: NaN", edited);
    }

    @Test
    void parameterOutOfRange() {
        assertMessage("layer 0: leaky_relu alpha must be finite and >= 0, found -0.1", edit("\"alpha\": 0.1", "\"alpha\": -0.1"));
        assertMessage("layer 0: activation leaky_relu takes only [alpha], found 'beta'", edit("\"alpha\": 0.1", "\"beta\": 0.1"));
        assertMessage("output: the decision threshold must lie in (0, 1), found 1.5", edit("\"threshold\": 0.5", "\"threshold\": 1.5"));
    }

    @Test
    void featureCountAndSizeDisagree() {
        assertMessage("input: the input layer names 2 features but has 3 inputs", edit("\"size\": 2", "\"size\": 3"));
        assertMessage("input: missing field 'features' (the feature names in input order) or, for a network without names, 'size'",
                edit("\"features\": [\"age\", \"income\"],\n    \"size\": 2,", ""));
    }

    @Test
    void classNamesCountWrong() throws Exception {
        assertMessage("output: a binary network has 2 class names, found 3", edit("[\"no\", \"yes\"]", "[\"no\", \"yes\", \"maybe\"]"));

        Network iris = NeutralModels.load(Path.of(getClass().getResource("/fixtures/iris_relu_multiclass/model.json").toURI()));
        String multiclass = text(iris, ModelFile.Encoding.AUTO);
        assertMessage("output: 2 class names for the 3 outputs of the last layer",
                replaceOnce(multiclass, "\"class_names\": [\"0\", \"1\", \"2\"]", "\"class_names\": [\"0\", \"1\"]"));
    }

    @Test
    void thresholdOnANonBinaryNetwork() {
        assertMessage("output: 'threshold' applies to binary networks only; this one is regression",
                edit("\"task\": \"binary\",\n    \"class_names\": [\"no\", \"yes\"],", "\"task\": \"regression\","));
    }

    @Test
    void fileTooLarge(@TempDir Path dir) throws IOException {
        byte[] bytes = EXAMPLE.getBytes(StandardCharsets.UTF_8);
        int limit = bytes.length - 1;
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(bytes, limit));
        assertEquals("model file: " + bytes.length + " bytes, more than the limit of " + limit + " bytes", e.getMessage());

        Path file = Files.write(dir.resolve("big.json"), bytes);
        e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file, limit));
        assertEquals(file + ": model file: " + bytes.length + " bytes, more than the limit of " + limit + " bytes", e.getMessage());
    }

    @Test
    void truncatedBase64() {
        String base64 = text(ModelFileExampleTest.exampleNetwork(), ModelFile.Encoding.BASE64);
        int data = base64.indexOf("\"data\": \"", base64.indexOf("\"layers\"")) + 9; // layer 0's weights
        // 8 characters fewer is 6 bytes fewer: still base64, but not 6 whole doubles.
        assertMessage("layer 0: weights: 'data' decodes to 42 bytes, expected 48 (3 × 2 float64 values of 8 bytes)",
                base64.substring(0, data) + base64.substring(data + 8));
        // 3 characters fewer is not base64 at all.
        assertMessage("layer 0: weights: 'data' is not valid base64: ", base64.substring(0, data) + base64.substring(data + 3));
    }

    @Test
    void base64CountsThatOverflowAreRefusedBeforeAllocating() {
        String base64 = text(ModelFileExampleTest.exampleNetwork(), ModelFile.Encoding.BASE64);
        assertMessage("layer 0: weights: 65536 × 65536 values are more than one array can hold",
                replaceOnce(replaceOnce(base64, "\"rows\": 3", "\"rows\": 65536"), "\"cols\": 2", "\"cols\": 65536"));
        // 20000 × 20000 fits an int, but 3.2 GB of doubles would be allocated on the file's word alone.
        assertMessage("layer 0: weights: 'data' decodes to 48 bytes, expected 3200000000",
                replaceOnce(replaceOnce(base64, "\"rows\": 3", "\"rows\": 20000"), "\"cols\": 2", "\"cols\": 20000"));
    }

    @Test
    void contentAfterTheEnd() {
        assertMessage("model file: more content after the top-level object (line ", EXAMPLE + "{}");
    }

    @Test
    void noLayers() {
        assertMessage("model file: 'layers' is empty: a network needs at least one layer",
                EXAMPLE.substring(0, EXAMPLE.indexOf("\"layers\": [") + 11) + EXAMPLE.substring(EXAMPLE.indexOf("  ],\n  \"output\"")));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static void assertMessage(String expectedPart, String file) {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.read(file.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(expectedPart), () -> "expected a message containing\n  " + expectedPart
                + "\nfound\n  " + e.getMessage());
    }

    private static String edit(String from, String to) {
        return replaceOnce(EXAMPLE, from, to);
    }

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        assertTrue(at >= 0 && at == text.lastIndexOf(from), () -> "the edit must match exactly once: " + from);
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    private static String text(Network network, ModelFile.Encoding encoding) {
        return new String(ModelFile.write(network, encoding), StandardCharsets.UTF_8);
    }
}
