package io.annscore.model;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.LayerNorm;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.OutputValues;
import io.annscore.network.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/** Writes a network as a model file, always in the same field order and layout (docs/model-format.md). */
final class ModelWriter {
    private final JsonGenerator g;
    private final ModelFile.Encoding encoding;

    private ModelWriter(JsonGenerator g, ModelFile.Encoding encoding) {
        this.g = g;
        this.encoding = encoding;
    }

    static byte[] write(Network network, ModelFile.Encoding encoding) {
        // Base64 takes about 11 bytes per parameter: sizing the buffer once saves copying a big file.
        long estimate = Math.min(ModelFile.MAX_FILE_BYTES, 4096 + network.parameterCount() * 11);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) estimate);
        try (JsonGenerator g = ModelFile.JSON.createGenerator(out)) {
            g.setPrettyPrinter(new ModelJsonLayout());
            new ModelWriter(g, encoding).network(network);
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    private void network(Network network) throws IOException {
        g.writeStartObject();
        g.writeStringField("format", ModelFile.FORMAT_NAME);
        g.writeNumberField("format_version", ModelFile.versionFor(network));
        metadata(network.info());
        input(network.input());
        g.writeArrayFieldStart("layers");
        for (Layer layer : network.layers()) {
            layer(layer);
        }
        g.writeEndArray();
        output(network.output());
        g.writeEndObject();
    }

    private void metadata(ModelInfo info) throws IOException {
        g.writeObjectFieldStart("metadata");
        g.writeStringField("name", info.name());
        g.writeStringField("version", info.version());
        g.writeStringField("description", info.description());
        g.writeObjectFieldStart("provenance");
        for (Map.Entry<String, String> e : info.provenance().entrySet()) { // sorted: ModelInfo keeps a TreeMap
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private void input(InputSpec input) throws IOException {
        g.writeObjectFieldStart("input");
        if (input.hasFeatureNames()) {
            strings("features", input.features());
        }
        g.writeNumberField("size", input.size());
        if (input.isStandardized()) {
            g.writeObjectFieldStart("standardization");
            vector("mean", input.mean());
            vector("scale", input.scale());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void layer(Layer layer) throws IOException {
        g.writeStartObject();
        weights(layer);
        vector("bias", layer.biases());
        g.writeStringField("summation", layer.summation().id());
        g.writeStringField("activation", layer.activation().id());
        Map<String, Double> parameters = layer.activationParameters();
        if (!parameters.isEmpty()) {
            g.writeObjectFieldStart("activation_parameters");
            for (Map.Entry<String, Double> p : parameters.entrySet()) {
                g.writeNumberField(p.getKey(), p.getValue());
            }
            g.writeEndObject();
        }
        LayerNorm norm = layer.layerNorm();
        if (norm != null) {
            g.writeObjectFieldStart("layer_norm");
            g.writeNumberField("epsilon", norm.epsilon());
            vector("scale", norm.scale());
            vector("bias", norm.bias());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void output(OutputSpec output) throws IOException {
        g.writeObjectFieldStart("output");
        g.writeStringField("task", output.task().id());
        if (!output.classNames().isEmpty()) {
            strings("class_names", output.classNames());
        }
        if (output.task() == Task.BINARY) {
            g.writeNumberField("threshold", output.threshold());
        }
        if (output.values() != OutputValues.PROBABILITIES) {
            g.writeStringField("values", output.values().id());
        }
        g.writeEndObject();
    }

    /** The weights, one row per neuron: rows of numbers, or one base64 block in the same order. */
    private void weights(Layer layer) throws IOException {
        int rows = layer.outputSize();
        int cols = layer.inputSize();
        g.writeFieldName("weights");
        if (asBase64((long) rows * cols)) {
            ByteBuffer bytes = littleEndian(rows * cols);
            for (int j = 0; j < rows; j++) {
                for (int i = 0; i < cols; i++) {
                    bytes.putDouble(layer.weight(j, i));
                }
            }
            g.writeStartObject();
            g.writeStringField("encoding", ModelFile.BASE64_F64LE);
            g.writeNumberField("rows", rows);
            g.writeNumberField("cols", cols);
            base64Data(bytes);
            g.writeEndObject();
            return;
        }
        g.writeStartArray();
        for (int j = 0; j < rows; j++) {
            g.writeStartArray();
            for (int i = 0; i < cols; i++) {
                g.writeNumber(layer.weight(j, i));
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private void vector(String field, double[] values) throws IOException {
        g.writeFieldName(field);
        if (asBase64(values.length)) {
            ByteBuffer bytes = littleEndian(values.length);
            bytes.asDoubleBuffer().put(values);
            g.writeStartObject();
            g.writeStringField("encoding", ModelFile.BASE64_F64LE);
            g.writeNumberField("length", values.length);
            base64Data(bytes);
            g.writeEndObject();
        } else {
            g.writeArray(values, 0, values.length);
        }
    }

    private void strings(String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private boolean asBase64(long count) {
        return encoding == ModelFile.Encoding.BASE64
                || (encoding == ModelFile.Encoding.AUTO && count > ModelFile.BASE64_THRESHOLD);
    }

    private static ByteBuffer littleEndian(int doubles) {
        return ByteBuffer.allocate(Math.multiplyExact(doubles, Double.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void base64Data(ByteBuffer bytes) throws IOException {
        g.writeFieldName("data");
        // MIME without line feeds is RFC 4648 base64: the standard alphabet, '=' padding, one line.
        g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes.array(), 0, bytes.capacity());
    }
}
