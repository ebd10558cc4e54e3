package io.annscore.importers;

import io.annscore.importers.onnx.OnnxIr.TensorProto;
import io.annscore.importers.onnx.OnnxIr.TensorProto.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A constant tensor of an ONNX graph (an initializer or a Constant node's value), row-major, its
 * values widened to double. float32 widens exactly, so a weight keeps the value the exporter wrote.
 */
record OnnxTensor(String name, long[] dims, double[] values) {

    int rank() {
        return dims.length;
    }

    boolean isScalar() {
        return values.length == 1;
    }

    /** Element (r, c) of a rank-2 tensor. */
    double at(int r, int c) {
        return values[r * (int) dims[1] + c];
    }

    String shape() {
        return Arrays.toString(dims);
    }

    /**
     * Reads float, double, int32 and int64 tensors from raw_data (little-endian) or the typed field.
     *
     * @throws ImportException for another element type, external data, or a value count that does
     *     not match the shape
     */
    static OnnxTensor decode(TensorProto t) throws ImportException {
        String name = t.getName();
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new ImportException("tensor '" + name + "' keeps its values in an external file, which annscore"
                    + " does not read; export the model with its weights inside the .onnx file");
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new ImportException("tensor '" + name + "' has a negative dimension: " + Arrays.toString(dims));
            }
            try {
                count = Math.multiplyExact(count, Math.toIntExact(d));
            } catch (ArithmeticException e) {
                throw new ImportException("tensor '" + name + "' is too large: " + Arrays.toString(dims), e);
            }
        }
        DataType type = DataType.forNumber(t.getDataType());
        if (type == null) {
            throw new ImportException("tensor '" + name + "' has an unknown element type " + t.getDataType());
        }
        double[] values;
        if (!t.getRawData().isEmpty()) {
            values = fromRaw(name, type, t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
        } else {
            switch (type) {
                case FLOAT:
                    values = new double[t.getFloatDataCount()];
                    for (int k = 0; k < values.length; k++) {
                        values[k] = t.getFloatData(k);
                    }
                    break;
                case DOUBLE:
                    values = t.getDoubleDataList().stream().mapToDouble(Double::doubleValue).toArray();
                    break;
                case INT64:
                    values = t.getInt64DataList().stream().mapToDouble(Long::doubleValue).toArray();
                    break;
                case INT32:
                    values = t.getInt32DataList().stream().mapToDouble(Integer::doubleValue).toArray();
                    break;
                default:
                    throw unsupportedType(name, type);
            }
        }
        if (values.length != count) {
            throw new ImportException("tensor '" + name + "' has shape " + Arrays.toString(dims) + " (" + count
                    + " values) but holds " + values.length + " values");
        }
        return new OnnxTensor(name, dims, values);
    }

    private static double[] fromRaw(String name, DataType type, ByteBuffer raw) throws ImportException {
        int width;
        switch (type) {
            case FLOAT: case INT32: width = 4; break;
            case DOUBLE: case INT64: width = 8; break;
            default: throw unsupportedType(name, type);
        }
        if (raw.remaining() % width != 0) {
            throw new ImportException("tensor '" + name + "' has " + raw.remaining() + " bytes of " + type
                    + " data, not a multiple of " + width);
        }
        double[] values = new double[raw.remaining() / width];
        for (int k = 0; k < values.length; k++) {
            switch (type) {
                case FLOAT: values[k] = raw.getFloat(); break;
                case DOUBLE: values[k] = raw.getDouble(); break;
                case INT32: values[k] = raw.getInt(); break;
                default: values[k] = raw.getLong();
            }
        }
        return values;
    }

    private static ImportException unsupportedType(String name, DataType type) {
        return new ImportException("tensor '" + name + "' holds " + type
                + " values; annscore reads FLOAT and DOUBLE weights (and INT32/INT64 shapes)");
    }
}
