package io.annscore.job.rows;

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
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.sql.vectorized.ColumnarBatchRow;
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
public final class ColumnarRows {
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
                private int rows;

                @Override
                public boolean hasNext() {
                    while (view.rowId + 1 >= rows) {
                        if (!batches.hasNext()) {
                            return false;
                        }
                        ColumnarBatch batch = batches.next();
                        view.setBatch(batch);
                        rows = batch.numRows();
                    }
                    return true;
                }

                @Override
                public InternalRow next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    view.rowId++;
                    return view;
                }
            };
        }
    }

    /**
     * Column i of the view is column {@code ordinals[i]} of row {@link #rowId} of the current batch
     * (read-only). The getters the job reads for every row go straight to the column vectors; the
     * rest go through Spark's own view of a batch row.
     */
    static final class Projected extends InternalRow {
        private final int[] ordinals;
        /** The vector of each column of the view (null for the input file). */
        private final ColumnVector[] vectors;
        /** Whether column i has a null in this batch: most columns have none, and then need no null check per row. */
        private final boolean[] hasNull;
        private ColumnarBatchRow row;
        int rowId = -1;

        Projected(int[] ordinals) {
            this.ordinals = ordinals;
            this.vectors = new ColumnVector[ordinals.length];
            this.hasNull = new boolean[ordinals.length];
        }

        void setBatch(ColumnarBatch batch) {
            ColumnVector[] all = new ColumnVector[batch.numCols()];
            for (int c = 0; c < all.length; c++) {
                all[c] = batch.column(c);
            }
            for (int i = 0; i < ordinals.length; i++) {
                vectors[i] = ordinals[i] == INPUT_FILE ? null : all[ordinals[i]];
                hasNull[i] = vectors[i] != null && vectors[i].hasNull();
            }
            row = new ColumnarBatchRow(all);
            rowId = -1;
        }

        private InternalRow row() {
            row.rowId = rowId;
            return row;
        }

        @Override
        public int numFields() {
            return ordinals.length;
        }

        @Override
        public boolean isNullAt(int i) {
            return hasNull[i] && vectors[i].isNullAt(rowId);
        }

        @Override
        public UTF8String getUTF8String(int i) {
            ColumnVector v = vectors[i];
            return v == null ? InputFileBlockHolder.getInputFilePath() : v.getUTF8String(rowId);
        }

        @Override
        public Object get(int i, DataType type) {
            return vectors[i] == null ? InputFileBlockHolder.getInputFilePath() : row().get(ordinals[i], type);
        }

        @Override
        public boolean getBoolean(int i) {
            return vectors[i].getBoolean(rowId);
        }

        @Override
        public byte getByte(int i) {
            return vectors[i].getByte(rowId);
        }

        @Override
        public short getShort(int i) {
            return vectors[i].getShort(rowId);
        }

        @Override
        public int getInt(int i) {
            return vectors[i].getInt(rowId);
        }

        @Override
        public long getLong(int i) {
            return vectors[i].getLong(rowId);
        }

        @Override
        public float getFloat(int i) {
            return vectors[i].getFloat(rowId);
        }

        @Override
        public double getDouble(int i) {
            return vectors[i].getDouble(rowId);
        }

        @Override
        public Decimal getDecimal(int i, int precision, int scale) {
            return vectors[i].getDecimal(rowId, precision, scale);
        }

        @Override
        public byte[] getBinary(int i) {
            return row().getBinary(ordinals[i]);
        }

        @Override
        public BinaryView getBinaryView(int i) {
            return row().getBinaryView(ordinals[i]);
        }

        @Override
        public CalendarInterval getInterval(int i) {
            return row().getInterval(ordinals[i]);
        }

        @Override
        public VariantVal getVariant(int i) {
            return row().getVariant(ordinals[i]);
        }

        @Override
        public InternalRow getStruct(int i, int numFields) {
            return row().getStruct(ordinals[i], numFields);
        }

        @Override
        public ArrayData getArray(int i) {
            return row().getArray(ordinals[i]);
        }

        @Override
        public MapData getMap(int i) {
            return row().getMap(ordinals[i]);
        }

        @Override
        public void setNullAt(int i) {
            throw new UnsupportedOperationException("a read-only view of a column batch");
        }

        @Override
        public void update(int i, Object value) {
            throw new UnsupportedOperationException("a read-only view of a column batch");
        }

        /** Not needed by the job, which reads each row in place. */
        @Override
        public InternalRow copy() {
            throw new UnsupportedOperationException("a view of a column batch is read in place, never copied");
        }
    }
}
