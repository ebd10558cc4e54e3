package io.annscore.job.rows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The {@code raw_record} of a quarantined Parquet row: a JSON object of its pass-through values,
 * then its features by name (a feature-vector column as {@code "features": [..]}). Built only for
 * quarantined rows. JSON has no NaN or infinity, so those are written as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}; dates and timestamps as ISO-8601 strings.
 */
final class RecordJson {
    private static final JsonFactory JSON = new JsonFactory();

    private RecordJson() {
    }

    /** Of a projected input row, as it was read (before any check). */
    static String ofInput(InternalRow in, RowSpec spec, scala.Function2<SpecializedGetters, Object, Object>[] readers) {
        return render(g -> {
            passThrough(g, in, 0, spec, readers);
            int f0 = spec.featureOrdinal();
            if (spec.hasVector()) {
                g.writeFieldName("features");
                if (in.isNullAt(f0)) {
                    g.writeNull();
                } else if (spec.vectorType() instanceof org.apache.spark.sql.types.ArrayType a) {
                    writeArray(g, in.getArray(f0), a.elementType());
                } else {
                    writeVectorStruct(g, in.getStruct(f0, 4));
                }
            } else {
                for (int i = 0; i < spec.featureTypes().size(); i++) {
                    g.writeFieldName(spec.featureNames().get(i));
                    writeValue(g, in.isNullAt(f0 + i) ? null : in.get(f0 + i, spec.featureTypes().get(i)), spec.featureTypes().get(i));
                }
            }
        });
    }

    /** Of a scored row: its pass-through values (in {@code row} from {@code at}) and the features it was scored with. */
    static String ofScored(InternalRow row, int at, RowSpec spec, scala.Function2<SpecializedGetters, Object, Object>[] readers,
                           double[] features) {
        return render(g -> {
            passThrough(g, row, at, spec, readers);
            if (spec.hasVector()) {
                g.writeArrayFieldStart("features");
                for (double v : features) {
                    writeDouble(g, v);
                }
                g.writeEndArray();
            } else {
                for (int i = 0; i < features.length; i++) {
                    g.writeFieldName(spec.featureNames().get(i));
                    writeDouble(g, features[i]);
                }
            }
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String render(Body body) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void passThrough(JsonGenerator g, InternalRow row, int at, RowSpec spec,
                                    scala.Function2<SpecializedGetters, Object, Object>[] readers) throws IOException {
        for (int i = 0; i < readers.length; i++) {
            g.writeFieldName(spec.passThroughNames().get(i));
            DataType type = spec.passThroughTypes().get(i);
            writeValue(g, row.isNullAt(at + i) ? null : readers[i].apply(row, at + i), type);
        }
    }

    private static void writeValue(JsonGenerator g, Object v, DataType type) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (type instanceof DateType && v instanceof Integer days) {
            g.writeString(LocalDate.ofEpochDay(days).toString());
        } else if (type instanceof TimestampType && v instanceof Long micros) {
            g.writeString(Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1000L)).toString());
        } else if (v instanceof Double d) {
            writeDouble(g, d);
        } else if (v instanceof Float f) {
            writeDouble(g, f);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Integer n) {
            g.writeNumber(n);
        } else if (v instanceof Short n) {
            g.writeNumber(n);
        } else if (v instanceof Byte n) {
            g.writeNumber(n);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Decimal d) {
            g.writeNumber(d.toJavaBigDecimal());
        } else if (v instanceof UTF8String s) {
            g.writeString(s.toString());
        } else if (v instanceof ArrayData a && type instanceof org.apache.spark.sql.types.ArrayType t) {
            writeArray(g, a, t.elementType());
        } else {
            g.writeString(String.valueOf(v));
        }
    }

    private static void writeArray(JsonGenerator g, ArrayData a, DataType element) throws IOException {
        g.writeStartArray();
        for (int k = 0; k < a.numElements(); k++) {
            writeValue(g, a.isNullAt(k) ? null : a.get(k, element), element);
        }
        g.writeEndArray();
    }

    /** An MLlib-style vector struct {type, size, indices, values}, as its fields. */
    private static void writeVectorStruct(JsonGenerator g, InternalRow v) throws IOException {
        g.writeStartObject();
        g.writeFieldName("size");
        if (v.isNullAt(1)) {
            g.writeNull();
        } else {
            g.writeNumber(v.getInt(1));
        }
        g.writeFieldName("indices");
        if (v.isNullAt(2)) {
            g.writeNull();
        } else {
            writeArray(g, v.getArray(2), org.apache.spark.sql.types.DataTypes.IntegerType);
        }
        g.writeFieldName("values");
        if (v.isNullAt(3)) {
            g.writeNull();
        } else {
            writeArray(g, v.getArray(3), org.apache.spark.sql.types.DataTypes.DoubleType);
        }
        g.writeEndObject();
    }

    private static void writeDouble(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeString(Double.toString(v));
        }
    }
}
