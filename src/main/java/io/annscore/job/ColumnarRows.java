package io.annscore.job;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.InputFileBlockHolder;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.InputFileName;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.BinaryView;
import org.apache.spark.unsafe.types.CalendarInterval;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.unsafe.types.VariantVal;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Reads a projection of a columnar (vectorized Parquet) scan straight from the scan's column
 * batches, without Spark turning each row into an {@code UnsafeRow} first: each row is a view,
 * {@link Projected}, whose column i reads column {@code ordinals[i]} of the batch in place.
 *
 * <p>Applies only to the plan {@code [WholeStageCodegen] Project(columns, aliases of columns,
 * input_file_name()) ← ColumnarToRow ← FileScan (batched)}, which is what the job's input
 * projection of a Parquet table plans to; for anything else (CSV, a cast, a row-based scan)
 * {@link #of} returns null and the caller keeps Spark's rows. Measured on the 128-feature benchmark
 * table: Spark's row conversion and projection were about 8% of the job's CPU time.
 */
final class ColumnarRows {
    /** The ordinal that stands for {@code input_file_name()}: the file of the batch being read. */
    private static final int INPUT_FILE = -1;

    private ColumnarRows() {
    }

    /** The rows of {@code plan} read from its scan's column batches, or null when the plan has another shape. */
    static RDD<InternalRow> of(SparkPlan plan) {
        SparkPlan node = unwrap(plan);
        if (!(node instanceof ProjectExec project)) {
            return null;
        }
        node = unwrap(project.child());
        if (!(node instanceof ColumnarToRowExec toRows)) {
            return null;
        }
        node = unwrap(toRows.child());
        if (!(node instanceof FileSourceScanExec scan) || !scan.supportsColumnar()) {
            return null;
        }
        List<Attribute> scanned = CollectionConverters.asJava(scan.output());
        List<NamedExpression> columns = CollectionConverters.asJava(project.projectList());
        int[] ordinals = new int[columns.size()];
        for (int i = 0; i < ordinals.length; i++) {
            Expression e = (Expression) columns.get(i);
            if (e instanceof Alias alias) {
                e = alias.child();
            }
            if (e instanceof InputFileName) {
                ordinals[i] = INPUT_FILE;
                continue;
            }
            ordinals[i] = e instanceof Attribute a ? indexOf(scanned, a) : -2;
            if (ordinals[i] < 0) {
                return null;
            }
        }
        return scan.executeColumnar().toJavaRDD().mapPartitions(new Rows(ordinals)).rdd();
    }

    private static SparkPlan unwrap(SparkPlan plan) {
        if (plan instanceof WholeStageCodegenExec w) {
            return unwrap(w.child());
        }
        if (plan instanceof InputAdapter a) {
            return unwrap(a.child());
        }
        return plan;
    }

    private static int indexOf(List<Attribute> attributes, Attribute a) {
        for (int k = 0; k < attributes.size(); k++) {
            if (attributes.get(k).exprId().equals(a.exprId())) {
                return k;
            }
        }
        return -2;
    }

    /** Batches → rows, one reused view per partition. */
    private static final class Rows implements FlatMapFunction<Iterator<ColumnarBatch>, InternalRow> {
        private final int[] ordinals;

        Rows(int[] ordinals) {
            this.ordinals = ordinals;
        }

        @Override
        public Iterator<InternalRow> call(Iterator<ColumnarBatch> batches) {
            Projected view = new Projected(ordinals);
            return new Iterator<>() {
                private Iterator<InternalRow> rows = java.util.Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!rows.hasNext()) {
                        if (!batches.hasNext()) {
                            return false;
                        }
                        rows = batches.next().rowIterator();
                    }
                    return true;
                }

                @Override
                public InternalRow next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    view.row = rows.next();
                    return view;
                }
            };
        }
    }

    /** Column i of the view is column {@code ordinals[i]} of the current batch row (read-only). */
    static final class Projected extends InternalRow {
        private final int[] ordinals;
        InternalRow row;

        Projected(int[] ordinals) {
            this.ordinals = ordinals;
        }

        @Override
        public int numFields() {
            return ordinals.length;
        }

        @Override
        public boolean isNullAt(int i) {
            int o = ordinals[i];
            return o == INPUT_FILE ? false : row.isNullAt(o);
        }

        @Override
        public UTF8String getUTF8String(int i) {
            int o = ordinals[i];
            return o == INPUT_FILE ? InputFileBlockHolder.getInputFilePath() : row.getUTF8String(o);
        }

        @Override
        public Object get(int i, DataType type) {
            int o = ordinals[i];
            return o == INPUT_FILE ? InputFileBlockHolder.getInputFilePath() : row.get(o, type);
        }

        @Override
        public boolean getBoolean(int i) {
            return row.getBoolean(ordinals[i]);
        }

        @Override
        public byte getByte(int i) {
            return row.getByte(ordinals[i]);
        }

        @Override
        public short getShort(int i) {
            return row.getShort(ordinals[i]);
        }

        @Override
        public int getInt(int i) {
            return row.getInt(ordinals[i]);
        }

        @Override
        public long getLong(int i) {
            return row.getLong(ordinals[i]);
        }

        @Override
        public float getFloat(int i) {
            return row.getFloat(ordinals[i]);
        }

        @Override
        public double getDouble(int i) {
            return row.getDouble(ordinals[i]);
        }

        @Override
        public Decimal getDecimal(int i, int precision, int scale) {
            return row.getDecimal(ordinals[i], precision, scale);
        }

        @Override
        public byte[] getBinary(int i) {
            return row.getBinary(ordinals[i]);
        }

        @Override
        public BinaryView getBinaryView(int i) {
            return row.getBinaryView(ordinals[i]);
        }

        @Override
        public CalendarInterval getInterval(int i) {
            return row.getInterval(ordinals[i]);
        }

        @Override
        public VariantVal getVariant(int i) {
            return row.getVariant(ordinals[i]);
        }

        @Override
        public InternalRow getStruct(int i, int numFields) {
            return row.getStruct(ordinals[i], numFields);
        }

        @Override
        public ArrayData getArray(int i) {
            return row.getArray(ordinals[i]);
        }

        @Override
        public MapData getMap(int i) {
            return row.getMap(ordinals[i]);
        }

        @Override
        public void setNullAt(int i) {
            throw new UnsupportedOperationException("a read-only view of a column batch");
        }

        @Override
        public void update(int i, Object value) {
            throw new UnsupportedOperationException("a read-only view of a column batch");
        }

        /** Not needed by the job, which reads each row in place; the batch row itself is not copyable by type-free code. */
        @Override
        public InternalRow copy() {
            throw new UnsupportedOperationException("a view of a column batch is read in place, never copied");
        }
    }
}
