package io.annscore.job.rows;

import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;

/**
 * Reads one column of a row, or the elements of an array column, as a double. Chosen once per
 * column and partition from the column's type ({@link #feature}, {@link #label}), so that reading a
 * row is a call per column with no type switch: the one place where column types become numbers.
 * Rows and arrays are both {@link SpecializedGetters}; the value read must not be null.
 *
 * <p>A value that is not a usable number reads as NaN (or ±∞, as stored); {@link #failure} and
 * {@link #failureDetail} then say why, for a quarantine row.
 */
interface ColumnReader {

    /** The value at {@code ordinal} (not null) as a double. */
    double read(SpecializedGetters in, int ordinal);

    /** Why the last value read was not finite. */
    default QuarantineReason failure() {
        return QuarantineReason.NON_FINITE_FEATURE;
    }

    /** What was wrong with the last value read, {@code v}, after the feature's name. */
    default String failureDetail(double v) {
        return "is not finite: " + v;
    }

    /**
     * A feature column's reader: numbers of any width, decimals, and text parsed as a number
     * ({@link NumberText}).
     *
     * @throws IllegalArgumentException for another type (the plan refuses those before any task)
     */
    static ColumnReader feature(DataType t) {
        if (t instanceof StringType) {
            return new Text(new NumberText());
        }
        return number(t);
    }

    /**
     * A label column's reader: a feature's, and besides, booleans (1 or 0) and, for a classifier,
     * a class's name ({@code classIndex}); anything else reads as NaN (no usable label).
     */
    static ColumnReader label(DataType t, Map<String, Integer> classIndex) {
        if (t instanceof BooleanType) {
            return (in, o) -> in.getBoolean(o) ? 1 : 0;
        }
        if (t instanceof StringType) {
            NumberText number = new NumberText();
            return (in, o) -> {
                String text = in.getUTF8String(o).toString();
                if (number.parse(text) == NumberText.Status.OK) {
                    return number.value;
                }
                Integer c = classIndex.get(text.strip());
                return c == null ? Double.NaN : c;
            };
        }
        return number(t);
    }

    private static ColumnReader number(DataType t) {
        if (t instanceof DoubleType) {
            return (in, o) -> in.getDouble(o);
        } else if (t instanceof FloatType) {
            return (in, o) -> in.getFloat(o);
        } else if (t instanceof LongType) {
            return (in, o) -> in.getLong(o);
        } else if (t instanceof IntegerType) {
            return (in, o) -> in.getInt(o);
        } else if (t instanceof ShortType) {
            return (in, o) -> in.getShort(o);
        } else if (t instanceof ByteType) {
            return (in, o) -> in.getByte(o);
        } else if (t instanceof DecimalType d) {
            int precision = d.precision();
            int scale = d.scale();
            return (in, o) -> in.getDecimal(o, precision, scale).toDouble();
        }
        throw new IllegalArgumentException("cannot read a number from a column of type " + t.simpleString());
    }

    /** Text parsed as a number; remembers why the last text was not one. */
    final class Text implements ColumnReader {
        private final NumberText number;
        private NumberText.Status status = NumberText.Status.OK;
        private String text;

        Text(NumberText number) {
            this.number = number;
        }

        @Override
        public double read(SpecializedGetters in, int ordinal) {
            String t = in.getUTF8String(ordinal).toString();
            status = number.parse(t);
            if (status == NumberText.Status.OK) {
                return number.value;
            }
            text = t;
            return Double.NaN;
        }

        @Override
        public QuarantineReason failure() {
            return switch (status) {
                case MISSING -> QuarantineReason.MISSING_FEATURE;
                case NON_NUMERIC -> QuarantineReason.NON_NUMERIC_FEATURE;
                default -> QuarantineReason.NON_FINITE_FEATURE;
            };
        }

        @Override
        public String failureDetail(double v) {
            return switch (status) {
                case MISSING -> "is empty";
                case NON_NUMERIC -> "is not a number: '" + text + "'";
                default -> "is not finite: '" + text + "'";
            };
        }
    }
}
