package io.annscore.testing;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * A user-defined type stored exactly as MLlib's {@code VectorUDT} stores a vector (its sqlType is
 * MLlib's struct {type: byte, size: int, indices: array&lt;int&gt;, values: array&lt;double&gt;},
 * type 0 sparse, 1 dense), so that the job's handling of vector columns is tested without
 * spark-mllib on the classpath.
 */
public class MllibStyleVectorUDT extends UserDefinedType<MllibStyleVectorUDT.Vec> {

    /** A dense vector ({@code indices == null}) or a sparse one of {@code size}. */
    public record Vec(int size, int[] indices, double[] values) implements Serializable {
    }

    public static final StructType SQL_TYPE = new StructType()
            .add("type", DataTypes.ByteType, false)
            .add("size", DataTypes.IntegerType, true)
            .add("indices", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
            .add("values", DataTypes.createArrayType(DataTypes.DoubleType, false), true);

    @Override
    public DataType sqlType() {
        return SQL_TYPE;
    }

    @Override
    public Object serialize(Vec v) {
        if (v.indices() == null) {
            return new GenericInternalRow(new Object[] {(byte) 1, null, null, UnsafeArrayData.fromPrimitiveArray(v.values())});
        }
        return new GenericInternalRow(new Object[] {(byte) 0, v.size(), UnsafeArrayData.fromPrimitiveArray(v.indices()),
                UnsafeArrayData.fromPrimitiveArray(v.values())});
    }

    @Override
    public Vec deserialize(Object datum) {
        InternalRow r = (InternalRow) datum;
        double[] values = r.getArray(3).toDoubleArray();
        return r.getByte(0) == 1 ? new Vec(values.length, null, values) : new Vec(r.getInt(1), r.getArray(2).toIntArray(), values);
    }

    @Override
    public Class<Vec> userClass() {
        return Vec.class;
    }
}
