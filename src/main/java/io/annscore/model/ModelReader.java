package io.annscore.model;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.annscore.network.Activation;
import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.LayerNorm;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.OutputValues;
import io.annscore.network.Summation;
import io.annscore.network.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a model file with Jackson's streaming parser (no tree: a tree would hold a node per
 * number, and a base64 block would be copied into a String before decoding). A first pass reads
 * the format name and version, wherever they are in the top-level object; the reader of that
 * version then reads the whole file, checks that the parts fit together, and only then builds the
 * network. Every error names its place: "layer 2: ...", "input: ...", "output: ...".
 */
final class ModelReader {
    private static final String TOP = "model file";
    /** The versions {@link #read} has a reader for: keep in step with its switch. */
    private static final String SUPPORTED_VERSIONS = "1 and 2";

    private final JsonParser p;
    private int version = 1;

    private ModelReader(JsonParser p) {
        this.p = p;
    }

    static Network read(byte[] bytes) throws ModelFormatException {
        try {
            int version = readVersion(bytes);
            return switch (version) {
                case 1, 2 -> readVersion(bytes, version);
                default -> throw error(TOP, "format_version " + version + " is not supported; this annscore reads"
                        + " format_version " + SUPPORTED_VERSIONS + " (was the file written by a newer annscore?)");
            };
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(TOP + ": not valid JSON: " + e.getOriginalMessage() + at(e.getLocation()), e);
        } catch (IOException e) {
            throw new ModelFormatException(TOP + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** The first pass: the format name and version, skipping everything else. */
    private static int readVersion(byte[] bytes) throws IOException, ModelFormatException {
        try (JsonParser p = ModelFile.JSON.createParser(bytes)) {
            ModelReader r = new ModelReader(p);
            p.nextToken();
            r.expect(JsonToken.START_OBJECT, TOP, "the top level", "an object");
            String format = null;
            Integer version = null;
            while ((format == null || version == null) && p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("format")) {
                    format = r.string(TOP, name);
                } else if (name.equals("format_version")) {
                    version = r.integer(TOP, name);
                } else {
                    p.skipChildren();
                }
            }
            if (format == null) {
                throw error(TOP, "missing field 'format' (\"" + ModelFile.FORMAT_NAME + "\"): is this an annscore model file?");
            }
            if (!format.equals(ModelFile.FORMAT_NAME)) {
                throw error(TOP, "'format' is \"" + format + "\", expected \"" + ModelFile.FORMAT_NAME + "\"");
            }
            if (version == null) {
                throw error(TOP, "missing field 'format_version'");
            }
            return version;
        }
    }

    /** Versions 1 and 2 differ only in the fields version 2 adds: the output's values, a layer's layer_norm. */
    private static Network readVersion(byte[] bytes, int version) throws IOException, ModelFormatException {
        try (JsonParser p = ModelFile.JSON.createParser(bytes)) {
            ModelReader reader = new ModelReader(p);
            reader.version = version;
            return reader.fields();
        }
    }

    private Network fields() throws IOException, ModelFormatException {
        p.nextToken();
        Members top = new Members(TOP, "the top level", TOP, "format", "format_version", "metadata", "input", "layers", "output");
        ModelInfo info = null;
        InputSpec input = null;
        List<LayerFields> layers = null;
        OutputSpec output = null;
        while (top.next()) {
            switch (top.name()) {
                case "metadata" -> info = metadata();
                case "input" -> input = input();
                case "layers" -> layers = layers();
                case "output" -> output = output();
                default -> { } // format and format_version: read by the first pass
            }
        }
        top.require("metadata", "input", "layers", "output");
        if (p.nextToken() != null) {
            throw error(TOP, "more content after the top-level object" + at(p.currentTokenLocation()));
        }
        checkFit(input, layers, output);
        return build(info, input, layers, output);
    }

    // ---- the parts ------------------------------------------------------------------------

    private ModelInfo metadata() throws IOException, ModelFormatException {
        String place = "metadata";
        Members m = new Members(TOP, "'metadata'", place, "name", "version", "description", "provenance");
        String name = null;
        String version = null;
        String description = null;
        Map<String, String> provenance = Map.of();
        while (m.next()) {
            switch (m.name()) {
                case "name" -> name = string(place, "name");
                case "version" -> version = string(place, "version");
                case "description" -> description = string(place, "description");
                default -> provenance = stringMap(place, "provenance");
            }
        }
        m.require("name");
        try {
            return new ModelInfo(name, version, description, provenance);
        } catch (IllegalArgumentException e) {
            throw error(place, e.getMessage(), e);
        }
    }

    private InputSpec input() throws IOException, ModelFormatException {
        String place = "input";
        Members m = new Members(TOP, "'input'", place, "features", "size", "standardization");
        List<String> features = null;
        Integer size = null;
        double[][] standardization = null;
        while (m.next()) {
            switch (m.name()) {
                case "features" -> features = strings(place, "features");
                case "size" -> size = positiveInteger(place, "size");
                default -> standardization = standardization();
            }
        }
        if (features == null && size == null) {
            throw error(place, "missing field 'features' (the feature names in input order) or, for a network"
                    + " without names, 'size'");
        }
        if (features != null && features.isEmpty()) {
            throw error(place, "'features' is empty; leave it out and give 'size' for a network without feature names");
        }
        try {
            return new InputSpec(features == null ? List.of() : features, size == null ? features.size() : size,
                    standardization == null ? null : standardization[0], standardization == null ? null : standardization[1]);
        } catch (IllegalArgumentException e) {
            throw error(place, e.getMessage(), e);
        }
    }

    /** The mean and scale vectors. */
    private double[][] standardization() throws IOException, ModelFormatException {
        String place = "input: standardization";
        Members m = new Members("input", "'standardization'", place, "mean", "scale");
        double[][] meanAndScale = new double[2][];
        while (m.next()) {
            meanAndScale[m.name().equals("mean") ? 0 : 1] = vector(place, m.name());
        }
        m.require("mean", "scale");
        return meanAndScale;
    }

    private List<LayerFields> layers() throws IOException, ModelFormatException {
        expect(JsonToken.START_ARRAY, TOP, "'layers'", "an array of layer objects");
        List<LayerFields> layers = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            layers.add(layer(layers.size()));
        }
        if (layers.isEmpty()) {
            throw error(TOP, "'layers' is empty: a network needs at least one layer");
        }
        return layers;
    }

    private LayerFields layer(int index) throws IOException, ModelFormatException {
        String place = "layer " + index;
        Members m = version >= 2
                ? new Members(TOP, place, place, "weights", "bias", "summation", "activation", "activation_parameters",
                        "layer_norm")
                : new Members(TOP, place, place, "weights", "bias", "summation", "activation", "activation_parameters");
        LayerNorm layerNorm = null;
        double[][] weights = null;
        double[] bias = null;
        Summation summation = Summation.WEIGHTED_SUM;
        Activation activation = null;
        Map<String, Double> parameters = Map.of();
        while (m.next()) {
            switch (m.name()) {
                case "weights" -> weights = matrix(place, "weights");
                case "bias" -> bias = vector(place, "bias");
                case "summation" -> summation = function(place, "summation", Summation::parse);
                case "activation" -> activation = function(place, "activation", Activation::parse);
                case "layer_norm" -> layerNorm = layerNorm(place + ": layer_norm");
                default -> parameters = numberMap(place, "activation_parameters");
            }
        }
        m.require("weights", "bias", "activation");
        if (layerNorm != null && layerNorm.size() != weights.length) {
            throw error(place, "layer_norm has " + layerNorm.size() + " scales for " + weights.length + " neurons");
        }
        return new LayerFields(weights, bias, summation, activation, parameters, layerNorm);
    }

    /** {@code {"epsilon": number, "scale": vector, "bias": vector}}, all required (format_version 2). */
    private LayerNorm layerNorm(String place) throws IOException, ModelFormatException {
        Members m = new Members(place, "'layer_norm'", place, "epsilon", "scale", "bias");
        Double epsilon = null;
        double[] scale = null;
        double[] bias = null;
        while (m.next()) {
            switch (m.name()) {
                case "epsilon" -> epsilon = number(place, "epsilon");
                case "scale" -> scale = vector(place, "scale");
                default -> bias = vector(place, "bias");
            }
        }
        m.require("epsilon", "scale", "bias");
        if (scale.length != bias.length) {
            throw error(place, scale.length + " scales but " + bias.length + " biases");
        }
        try {
            return new LayerNorm(epsilon, scale, bias);
        } catch (IllegalArgumentException e) {
            throw error(place, e.getMessage());
        }
    }

    private OutputSpec output() throws IOException, ModelFormatException {
        String place = "output";
        Members m = version >= 2
                ? new Members(TOP, "'output'", place, "task", "class_names", "threshold", "values")
                : new Members(TOP, "'output'", place, "task", "class_names", "threshold");
        Task task = null;
        List<String> classNames = List.of();
        Double threshold = null;
        OutputValues values = OutputValues.PROBABILITIES;
        while (m.next()) {
            switch (m.name()) {
                case "task" -> task = function(place, "task", Task::parse);
                case "class_names" -> classNames = strings(place, "class_names");
                case "values" -> values = function(place, "values", OutputValues::parse);
                default -> threshold = number(place, "threshold");
            }
        }
        m.require("task");
        if (threshold != null && task != Task.BINARY) {
            throw error(place, "'threshold' applies to binary networks only; this one is " + task.id());
        }
        try {
            return new OutputSpec(task, classNames, threshold == null ? OutputSpec.DEFAULT_THRESHOLD : threshold, values);
        } catch (IllegalArgumentException e) {
            throw error(place, e.getMessage(), e);
        }
    }

    // ---- checks across parts, then building ---------------------------------------------------

    /**
     * Checks what single fields cannot: that the sizes chain from the input through the layers to
     * the output, and that each layer's activation parameters are ones its function takes, in range.
     */
    private static void checkFit(InputSpec input, List<LayerFields> layers, OutputSpec output) throws ModelFormatException {
        int width = input.size();
        for (int k = 0; k < layers.size(); k++) {
            LayerFields layer = layers.get(k);
            int neurons = layer.weights.length;
            int inputs = layer.weights[0].length;
            if (inputs != width) {
                throw error("layer " + k, "each neuron has " + inputs + " weights, but "
                        + (k == 0 ? "the input has " + width + " features" : "layer " + (k - 1) + " has " + width + " neurons"));
            }
            if (layer.bias.length != neurons) {
                throw error("layer " + k, layer.bias.length + " biases for " + neurons + " neurons (one bias per neuron)");
            }
            try {
                // Parameter names and ranges are Layer's rules: try them on a 1×1 layer before building the real one.
                new Layer(new double[][] {{0}}, new double[] {0}, layer.summation, layer.activation, layer.parameters);
            } catch (IllegalArgumentException e) {
                throw error("layer " + k, e.getMessage(), e);
            }
            width = neurons;
        }
        List<String> classNames = output.classNames();
        if (output.task() == Task.MULTICLASS && !classNames.isEmpty() && classNames.size() != width) {
            throw error("output", classNames.size() + " class names for the " + width + " outputs of the last layer");
        }
    }

    private static Network build(ModelInfo info, InputSpec input, List<LayerFields> fields, OutputSpec output)
            throws ModelFormatException {
        List<Layer> layers = new ArrayList<>(fields.size());
        for (int k = 0; k < fields.size(); k++) {
            LayerFields f = fields.get(k);
            try {
                layers.add(new Layer(f.weights, f.bias, f.summation, f.activation, f.parameters, f.layerNorm));
            } catch (IllegalArgumentException e) {
                throw error("layer " + k, e.getMessage(), e);
            }
        }
        try {
            return new Network(info, input, layers, output);
        } catch (IllegalArgumentException e) {
            // The sizes chain (checked above), so this is about the task or the kind of outputs.
            String fix = e.getMessage().contains("declare") ? " (the 'values' field of 'output', format_version 2:"
                    + " probabilities, logits or log_probabilities; see docs/model-format.md)" : "";
            throw error("output", e.getMessage() + fix, e);
        }
    }

    // ---- values ----------------------------------------------------------------------------

    private String string(String place, String field) throws IOException, ModelFormatException {
        expect(JsonToken.VALUE_STRING, place, "'" + field + "'", "a string");
        return p.getText();
    }

    private int integer(String place, String field) throws IOException, ModelFormatException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw typeError(place, "'" + field + "'", "an integer");
        }
        return p.getIntValue();
    }

    private int positiveInteger(String place, String field) throws IOException, ModelFormatException {
        boolean isInt = p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT;
        if (!isInt || p.getIntValue() < 1) {
            throw typeError(place, "'" + field + "'", "an integer from 1 to " + Integer.MAX_VALUE);
        }
        return p.getIntValue();
    }

    /** A finite number: JSON has no NaN, but a number such as 1e999 reads as infinity. */
    private double number(String place, String what) throws IOException, ModelFormatException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
            throw typeError(place, what, "a number");
        }
        double value = p.getDoubleValue();
        if (!Double.isFinite(value)) {
            throw error(place, what + " is not finite: " + p.getText() + " reads as " + value + at(p.currentTokenLocation()));
        }
        return value;
    }

    private List<String> strings(String place, String field) throws IOException, ModelFormatException {
        expect(JsonToken.START_ARRAY, place, "'" + field + "'", "an array of strings");
        List<String> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            values.add(string(place, field + "[" + values.size() + "]"));
        }
        return values;
    }

    private Map<String, String> stringMap(String place, String field) throws IOException, ModelFormatException {
        Members m = new Members(place, "'" + field + "'", place + ": " + field);
        Map<String, String> values = new LinkedHashMap<>();
        while (m.next()) {
            values.put(m.name(), string(place, field + "." + m.name()));
        }
        return values;
    }

    private Map<String, Double> numberMap(String place, String field) throws IOException, ModelFormatException {
        Members m = new Members(place, "'" + field + "'", place + ": " + field);
        Map<String, Double> values = new LinkedHashMap<>();
        while (m.next()) {
            values.put(m.name(), number(place, field + "." + m.name()));
        }
        return values;
    }

    /** A name looked up in a closed vocabulary, whose parse method explains a refusal. */
    private <T> T function(String place, String field, Function<String, T> parse) throws IOException, ModelFormatException {
        String name = string(place, field);
        try {
            return parse.apply(name);
        } catch (IllegalArgumentException e) {
            throw error(place, e.getMessage(), e);
        }
    }

    /** A vector: an array of numbers, or a base64 block with a {@code length}. */
    private double[] vector(String place, String field) throws IOException, ModelFormatException {
        if (p.currentToken() == JsonToken.START_OBJECT) {
            return base64(place, field, false)[0];
        }
        expect(JsonToken.START_ARRAY, place, "'" + field + "'", "an array of numbers or a base64 object");
        Doubles values = new Doubles();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            values.add(number(place, field + " [" + values.size + "]"));
        }
        return values.toArray();
    }

    /** A matrix of one row per neuron: an array of arrays of numbers, or a base64 block with {@code rows} and {@code cols}. */
    private double[][] matrix(String place, String field) throws IOException, ModelFormatException {
        if (p.currentToken() == JsonToken.START_OBJECT) {
            return base64(place, field, true);
        }
        expect(JsonToken.START_ARRAY, place, "'" + field + "'", "an array of rows (arrays of numbers) or a base64 object");
        List<double[]> rows = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            int j = rows.size();
            expect(JsonToken.START_ARRAY, place, field + " row " + j, "an array of numbers");
            Doubles row = new Doubles();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                row.add(number(place, field + " [" + j + "][" + row.size + "]"));
            }
            if (row.size == 0) {
                throw error(place, field + " row " + j + " is empty (a neuron needs at least one input)");
            }
            if (j > 0 && row.size != rows.get(0).length) {
                throw error(place, field + " row " + j + " has length " + row.size + ", expected "
                        + rows.get(0).length + " like row 0");
            }
            rows.add(row.toArray());
        }
        if (rows.isEmpty()) {
            throw error(place, field + " has no rows (a layer needs at least one neuron)");
        }
        return rows.toArray(new double[0][]);
    }

    /**
     * A base64 block of little-endian doubles: {@code rows}×{@code cols} of them for a matrix,
     * {@code length} for a vector (returned as one row). The declared counts are checked against
     * the decoded bytes before any array of doubles is allocated.
     */
    private double[][] base64(String place, String field, boolean matrix) throws IOException, ModelFormatException {
        String where = place + ": " + field;
        Members m = matrix
                ? new Members(place, "'" + field + "'", where, "encoding", "rows", "cols", "data")
                : new Members(place, "'" + field + "'", where, "encoding", "length", "data");
        String encoding = null;
        int rows = 1;
        int cols = 0;
        byte[] data = null;
        while (m.next()) {
            switch (m.name()) {
                case "encoding" -> encoding = string(where, "encoding");
                case "rows" -> rows = positiveInteger(where, "rows");
                case "cols", "length" -> cols = positiveInteger(where, m.name());
                default -> data = base64Data(where);
            }
        }
        if (matrix) {
            m.require("encoding", "rows", "cols", "data");
        } else {
            m.require("encoding", "length", "data");
        }
        if (!encoding.equals(ModelFile.BASE64_F64LE)) {
            throw error(where, "unknown encoding '" + encoding + "'; known: " + ModelFile.BASE64_F64LE);
        }
        int count;
        try {
            count = Math.multiplyExact(rows, cols);
        } catch (ArithmeticException e) {
            throw error(where, rows + " × " + cols + " values are more than one array can hold", e);
        }
        long expectedBytes = (long) count * Double.BYTES;
        if (data.length != expectedBytes) {
            throw error(where, "'data' decodes to " + data.length + " bytes, expected " + expectedBytes
                    + " (" + (matrix ? rows + " × " + cols : count) + " float64 values of 8 bytes): truncated or wrong size");
        }
        DoubleBuffer doubles = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        double[][] values = new double[rows][cols];
        for (int j = 0; j < rows; j++) {
            doubles.get(values[j]);
            for (int i = 0; i < cols; i++) {
                if (!Double.isFinite(values[j][i])) {
                    throw error(place, field + (matrix ? " [" + j + "][" + i + "]" : " [" + i + "]")
                            + " is not finite: " + values[j][i]);
                }
            }
        }
        return values;
    }

    private byte[] base64Data(String where) throws IOException, ModelFormatException {
        expect(JsonToken.VALUE_STRING, where, "'data'", "a base64 string");
        JsonLocation start = p.currentTokenLocation();
        try {
            return p.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
        } catch (JsonProcessingException e) {
            throw error(where, "'data' is not valid base64: " + e.getOriginalMessage() + at(start), e);
        }
    }

    // ---- objects, types and messages ----------------------------------------------------------

    /** Walks the members of one JSON object, refusing unknown and repeated names. */
    private final class Members {
        private final String place;
        private final List<String> known;
        private final Set<String> seen = new HashSet<>();
        private String name;

        /**
         * @param parent the place of the object itself, named in a type error as {@code what}
         * @param place the place named in errors about the object's members
         * @param known the allowed names, or none for a free-form map
         */
        Members(String parent, String what, String place, String... known) throws ModelFormatException {
            expect(JsonToken.START_OBJECT, parent, what, "an object");
            this.place = place;
            this.known = List.of(known);
        }

        /** Moves to the value of the next member; false at the end of the object. */
        boolean next() throws IOException, ModelFormatException {
            if (p.nextToken() == JsonToken.END_OBJECT) {
                return false;
            }
            name = p.currentName();
            if (!known.isEmpty() && !known.contains(name)) {
                throw error(place, "unknown field '" + name + "'" + at(p.currentTokenLocation())
                        + "; known: " + String.join(", ", known));
            }
            if (!seen.add(name)) {
                throw error(place, "field '" + name + "' appears twice" + at(p.currentTokenLocation()));
            }
            p.nextToken();
            return true;
        }

        String name() {
            return name;
        }

        void require(String... names) throws ModelFormatException {
            for (String n : names) {
                if (!seen.contains(n)) {
                    throw error(place, "missing field '" + n + "'");
                }
            }
        }
    }

    private void expect(JsonToken token, String place, String what, String expected) throws ModelFormatException {
        if (p.currentToken() != token) {
            throw typeError(place, what, expected);
        }
    }

    private ModelFormatException typeError(String place, String what, String expected) {
        return error(place, what + " must be " + expected + ", found " + describe(p.currentToken()) + at(p.currentTokenLocation()));
    }

    private String describe(JsonToken token) {
        if (token == null) {
            return "the end of the file";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + numberText();
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString();
        };
    }

    private String numberText() {
        try {
            return p.getText();
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static ModelFormatException error(String place, String message) {
        return new ModelFormatException(place + ": " + message);
    }

    /** The same, keeping the cause for the trace behind {@code --debug}. */
    private static ModelFormatException error(String place, String message, Throwable cause) {
        return new ModelFormatException(place + ": " + message, cause);
    }

    private record LayerFields(double[][] weights, double[] bias, Summation summation, Activation activation,
                               Map<String, Double> parameters, LayerNorm layerNorm) {
    }

    /** A growing array of doubles, so that an array of numbers needs no boxing. */
    private static final class Doubles {
        private double[] values = new double[16];
        private int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
            }
            values[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
