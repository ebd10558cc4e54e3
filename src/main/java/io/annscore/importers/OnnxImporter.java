package io.annscore.importers;

import com.google.protobuf.InvalidProtocolBufferException;
import io.annscore.importers.onnx.OnnxIr.ModelProto;
import io.annscore.importers.onnx.OnnxIr.OperatorSetIdProto;
import io.annscore.importers.onnx.OnnxIr.StringStringEntryProto;
import io.annscore.model.ModelFile;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.Layer;
import io.annscore.network.OutputSpec;
import io.annscore.network.OutputValues;
import io.annscore.network.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a feed-forward network from an ONNX model file, as written by {@code torch.onnx.export},
 * skl2onnx, tf2onnx and the like: a chain of dense layers ({@code Gemm}, or {@code MatMul} then
 * {@code Add}), each followed by at most one activation, optionally preceded by a standardization
 * of the input ({@code Sub}/{@code Div} or {@code Add}/{@code Mul} by constants). Float32 weights
 * widen exactly to double. Anything else is refused with an {@link ImportException} naming the node
 * and listing what is supported.
 *
 * <p>Feature names come from the model's {@code metadata_props} entry {@value #FEATURE_NAMES_KEY}
 * (comma-separated, in input order; surrounding spaces ignored), else from
 * {@link ImportOptions#features()}, else they are x0..x{n−1}. The task comes from the options, or
 * is inferred from the output layer (see {@link ImportOptions}).
 *
 * <p>Provenance: {@link Provenance#SOURCE}, {@link Provenance#SOURCE_SHA256} of the file's bytes,
 * {@link Provenance#IMPORTER} {@code onnx}, {@link Provenance#IMPORTER_VERSION},
 * {@link Provenance#IMPORTED_AT}, {@link Provenance#FEATURE_NAMES_FROM}, and {@code onnx_producer},
 * {@code onnx_opset}, {@code onnx_ir_version}.
 */
public final class OnnxImporter {
    public static final String NAME = "onnx";
    public static final String VERSION = "1";
    /** The metadata_props key whose value lists the feature names, comma-separated. */
    public static final String FEATURE_NAMES_KEY = "feature_names";

    private OnnxImporter() {
    }

    public static Network read(Path file) throws IOException, ImportException {
        return read(file, ImportOptions.defaults());
    }

    /** Reads a file; the model is named after the file (without extension) unless the options name it. */
    public static Network read(Path file, ImportOptions options) throws IOException, ImportException {
        String noRoom = io.annscore.model.HeapRoom.shortfall(Files.size(file));
        if (noRoom != null) {
            throw new ImportException(file + " " + noRoom);
        }
        byte[] bytes = Files.readAllBytes(file);
        String fileName = file.getFileName().toString();
        String stem = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        try {
            return read(bytes, options, file.toAbsolutePath().normalize().toString(), stem);
        } catch (ImportException e) {
            throw new ImportException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the bytes of an ONNX file. */
    public static Network read(byte[] onnx, ImportOptions options) throws ImportException {
        return read(onnx, options, "(bytes)", null);
    }

    /**
     * Reads the bytes of an ONNX file read from {@code source} (a path or URI on any file system),
     * which is recorded as provenance; as for a local file, the model is named after the file
     * (without extension) unless the options name it.
     */
    public static Network read(byte[] onnx, String source, ImportOptions options) throws ImportException {
        String fileName = source.substring(source.lastIndexOf('/') + 1);
        String stem = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        return read(onnx, options, source, stem);
    }

    private static Network read(byte[] bytes, ImportOptions options, String source, String stem)
            throws ImportException {
        ModelProto model = parse(bytes);
        int opset = 0;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        OnnxGraphReader.Result graph;
        try {
            graph = new OnnxGraphReader(model.getGraph(), opset).read();
        } catch (ImportException e) {
            String m = e.getMessage().endsWith(".") ? e.getMessage().substring(0, e.getMessage().length() - 1)
                    : e.getMessage();
            throw new ImportException(m + "; see " + OnnxGraphReader.GUIDE + " for what annscore reads", e);
        } catch (RuntimeException e) {   // a damaged graph the checks did not foresee
            throw new ImportException("the ONNX graph is malformed: " + e, e);
        }

        Map<String, String> provenance = new HashMap<>();
        provenance.put(Provenance.SOURCE, source);
        provenance.put(Provenance.SOURCE_SHA256, ModelFile.sha256(bytes));
        provenance.put(Provenance.IMPORTER, NAME);
        provenance.put(Provenance.IMPORTER_VERSION, VERSION);
        provenance.put(Provenance.IMPORTED_AT, Provenance.now());
        provenance.put("onnx_producer", (model.getProducerName() + " " + model.getProducerVersion()).trim());
        provenance.put("onnx_opset", Integer.toString(opset));
        provenance.put("onnx_ir_version", Long.toString(model.getIrVersion()));
        if (graph.inputShape() != null) {
            provenance.put("onnx_input_shape", graph.inputShape().toString() + " per row, read row-major");
        }

        List<String> features = Provenance.featureNames(metadataFeatures(model), options, graph.inputs(),
                provenance);
        String name = options.name() != null ? options.name()
                : stem != null && !stem.isBlank() ? stem
                : !model.getGraph().getName().isBlank() ? model.getGraph().getName() : "onnx-model";
        String version = model.getModelVersion() > 0 ? Long.toString(model.getModelVersion()) : "";
        String description = !model.getDocString().isBlank() ? model.getDocString()
                : "imported from ONNX" + (model.getProducerName().isEmpty() ? "" : " (" + provenance.get("onnx_producer") + ")");
        ModelInfo info = new ModelInfo(name, version, description, provenance);
        Layer last = graph.layers().get(graph.layers().size() - 1);
        OutputValues values = Provenance.values(options.values(), last);
        Task task = Provenance.task(options.task(), values, last);
        return Provenance.network(info, features, graph.inputs(), graph.mean(), graph.scale(), graph.layers(),
                task, values, OutputSpec.DEFAULT_THRESHOLD);
    }

    /**
     * Parses ONNX bytes.
     *
     * @throws ImportException when the bytes are not a protobuf ModelProto (a truncated or damaged
     *     file, or another format) or hold no graph
     */
    static ModelProto parse(byte[] bytes) throws ImportException {
        if (ModelSources.startsWithBrace(bytes)) {
            throw new ImportException("not an ONNX model: the file is JSON text (it starts with '{'), not protobuf");
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ImportException("not a readable ONNX model (a truncated or damaged file, or another format): "
                    + e.getMessage(), e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new ImportException("not an ONNX model: the file holds no graph");
        }
        return model;
    }

    private static List<String> metadataFeatures(ModelProto model) {
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (e.getKey().equals(FEATURE_NAMES_KEY) && !e.getValue().isBlank()) {
                return Arrays.stream(e.getValue().split(",")).map(String::trim).toList();
            }
        }
        return List.of();
    }
}
