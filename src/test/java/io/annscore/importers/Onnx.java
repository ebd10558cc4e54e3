package io.annscore.importers;

import com.google.protobuf.ByteString;
import io.annscore.importers.onnx.OnnxIr.AttributeProto;
import io.annscore.importers.onnx.OnnxIr.GraphProto;
import io.annscore.importers.onnx.OnnxIr.ModelProto;
import io.annscore.importers.onnx.OnnxIr.NodeProto;
import io.annscore.importers.onnx.OnnxIr.OperatorSetIdProto;
import io.annscore.importers.onnx.OnnxIr.StringStringEntryProto;
import io.annscore.importers.onnx.OnnxIr.TensorProto;
import io.annscore.importers.onnx.OnnxIr.TensorShapeProto;
import io.annscore.importers.onnx.OnnxIr.TypeProto;
import io.annscore.importers.onnx.OnnxIr.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Builders for small ONNX graphs in tests, with the generated protobuf classes. */
final class Onnx {
    private Onnx() {
    }

    /** A float32 tensor stored in raw_data, little-endian. */
    static TensorProto floatsRaw(String name, long[] dims, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return TensorProto.newBuilder().setName(name).addAllDims(boxed(dims))
                .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b.array())).build();
    }

    /** A float32 tensor stored in float_data. */
    static TensorProto floatsTyped(String name, long[] dims, float... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).addAllDims(boxed(dims))
                .setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (float f : v) {
            t.addFloatData(f);
        }
        return t.build();
    }

    /** A float64 tensor stored in double_data. */
    static TensorProto doubles(String name, long[] dims, double... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).addAllDims(boxed(dims))
                .setDataType(TensorProto.DataType.DOUBLE_VALUE);
        for (double d : v) {
            t.addDoubleData(d);
        }
        return t.build();
    }

    static TensorProto int64s(String name, long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).addDims(v.length)
                .setDataType(TensorProto.DataType.INT64_VALUE);
        for (long x : v) {
            t.addInt64Data(x);
        }
        return t.build();
    }

    static NodeProto node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)).build();
    }

    static AttributeProto f(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto i(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto t(String name, TensorProto v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(v).build();
    }

    /** A float tensor value of shape [batch, width]. */
    static ValueInfoProto value(String name, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))).build();
    }

    static byte[] model(GraphProto graph, String... metadata) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(7).setProducerName("annscore-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph);
        for (int k = 0; k < metadata.length; k += 2) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(metadata[k]).setValue(metadata[k + 1]));
        }
        return m.build().toByteArray();
    }

    static long[] dims(long... d) {
        return d;
    }

    private static List<Long> boxed(long[] dims) {
        return java.util.Arrays.stream(dims).boxed().toList();
    }
}
