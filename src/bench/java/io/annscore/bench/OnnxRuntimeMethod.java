package io.annscore.bench;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * (d) ONNX Runtime on Spark, as SynapseML's {@code ONNXModel} runs it: the ONNX file (float32,
 * {@link BenchNetwork#toOnnx}) broadcast, one {@code OrtSession} per executor JVM, and in
 * {@code mapPartitions} the rows gathered into float32 batches of {@value #BATCH} rows, each run
 * as one tensor; then the same columns as annscore's written, and the log loss and accuracy
 * computed by one aggregation over the written predictions (as {@link MllibMethod} does).
 *
 * <p>The session runs with one intra-op thread: Spark already runs one task per core, and a task's
 * batch is small.
 */
public final class OnnxRuntimeMethod implements BenchMethod {
    public static final String ID = "onnxruntime";
    static final int BATCH = 1024;

    @Override
    public String id() {
        return ID;
    }

    /** The session of this JVM, made on first use from the broadcast model. */
    private static OrtSession session;
    private static int sessionsBuilt;

    static synchronized OrtSession session(byte[] model) throws OrtException {
        if (session == null) {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = OrtEnvironment.getEnvironment().createSession(model, options);
            sessionsBuilt++;
        }
        return session;
    }

    @Override
    public Map<String, String> run(SparkSession spark, RunSpec spec) throws Exception {
        int features = spec.features();
        int classes = spec.classes();
        byte[] bytes = Files.readAllBytes(spec.onnxModel());
        Broadcast<byte[]> model = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).broadcast(bytes);
        List<Column> in = new ArrayList<>();
        in.add(col("id"));
        in.add(col("label").cast("int"));
        for (int i = 0; i < features; i++) {
            in.add(col("f" + i).cast("double"));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType);
        for (int k = 0; k < classes; k++) {
            schema = schema.add("probability_" + k, DataTypes.DoubleType);
        }
        schema = schema.add("predicted_class", DataTypes.IntegerType).add("loss", DataTypes.DoubleType)
                .add("label", DataTypes.IntegerType);
        LeanFloorMethod.allowWideCodegen(spark, spec);
        spark.read().parquet(spec.input().toString()).select(in.toArray(new Column[0]))
                .mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new Batches(rows, session(model.value()), features, classes),
                        Encoders.row(schema))
                .write().mode(SaveMode.Overwrite).parquet(spec.predictions().toString());

        Row metrics = spark.read().parquet(spec.predictions().toString())
                .agg(avg(col("loss")), avg(when(col("predicted_class").equalTo(col("label")), 1.0).otherwise(0.0)))
                .first();
        return Map.of(
                RunResult.LOG_LOSS, Double.toString(metrics.getDouble(0)),
                RunResult.ACCURACY, Double.toString(metrics.getDouble(1)),
                RunResult.NETWORK_BUILDS, Integer.toString(sessionsBuilt));
    }

    /** A partition's rows, scored {@value #BATCH} at a time. */
    private static final class Batches implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final OrtSession session;
        private final int features;
        private final int classes;
        private final float[] x;
        private final long[] ids = new long[BATCH];
        private final int[] labels = new int[BATCH];
        private float[][] probabilities;
        private int size;
        private int next;

        Batches(Iterator<Row> rows, OrtSession session, int features, int classes) {
            this.rows = rows;
            this.session = session;
            this.features = features;
            this.classes = classes;
            this.x = new float[BATCH * features];
        }

        @Override
        public boolean hasNext() {
            if (next < size) {
                return true;
            }
            fill();
            return size > 0;
        }

        private void fill() {
            size = 0;
            next = 0;
            while (size < BATCH && rows.hasNext()) {
                Row r = rows.next();
                ids[size] = r.getLong(0);
                labels[size] = r.getInt(1);
                int base = size * features;
                for (int i = 0; i < features; i++) {
                    x[base + i] = (float) r.getDouble(2 + i);
                }
                size++;
            }
            if (size == 0) {
                return;
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
                    FloatBuffer.wrap(x, 0, size * features), new long[] {size, features});
                 OrtSession.Result result = session.run(Map.of("x", tensor))) {
                probabilities = (float[][]) result.get(0).getValue();
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
            }
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int r = next++;
            float[] p = probabilities[r];
            Object[] values = new Object[classes + 4];
            values[0] = ids[r];
            int best = 0;
            for (int k = 0; k < classes; k++) {
                values[1 + k] = (double) p[k];
                if (p[k] > p[best]) {
                    best = k;
                }
            }
            values[classes + 1] = best;
            double py = Math.min(Math.max(p[labels[r]], 1e-15), 1 - 1e-15);
            values[classes + 2] = -Math.log(py);
            values[classes + 3] = labels[r];
            return RowFactory.create(values);
        }
    }
}
