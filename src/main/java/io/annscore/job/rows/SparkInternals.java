package io.annscore.job.rows;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.parquet.hadoop.Footer;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.FileFormat;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.csv.CSVFileFormat;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat$;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The few places where the job uses Spark's internal (but public in bytecode) API, kept together
 * so that a Spark upgrade has one file to check. Spark 4.2's classic (non-Connect) session only.
 *
 * <ul>
 *   <li>Rows as {@link InternalRow}s in and out of the scoring pass: no conversion to external
 *       {@link Row}s, and an MLlib vector column arrives as its plain struct
 *       {type, size, indices, values} without spark-mllib on the classpath.</li>
 *   <li>A Parquet file's Spark schema read from its footer on the driver, so that opening the
 *       input runs no Spark job (Spark's own inference runs one).</li>
 *   <li>Spark's own Parquet and CSV file writers ({@link FileFormat#prepareWrite} on the driver,
 *       {@link OutputWriter} in the tasks, as {@code FileFormatWriter} uses them), so that the
 *       scoring pass writes its two outputs itself, in one pass, with the files (encoding,
 *       compression, CSV header and quoting) a {@code DataFrameWriter} would write.</li>
 * </ul>
 */
public final class SparkInternals {
    private static final Logger LOG = LoggerFactory.getLogger(SparkInternals.class);

    private SparkInternals() {
    }

    static org.apache.spark.sql.classic.SparkSession classic(SparkSession spark) {
        if (spark instanceof org.apache.spark.sql.classic.SparkSession c) {
            return c;
        }
        throw new IllegalArgumentException("annscore needs a classic SparkSession, not " + spark.getClass().getName()
                + " (Spark Connect is not supported)");
    }

    /** The rows of a query as internal rows (reused between calls of the iterator: copy what you keep). */
    static RDD<InternalRow> toInternalRdd(Dataset<Row> frame) {
        return ((org.apache.spark.sql.classic.Dataset<Row>) frame).queryExecution().toRdd();
    }

    /**
     * The rows of a query as internal rows, planned with whole-stage code generation and the
     * columnar (vectorized) Parquet read allowed for as many columns as the query has. Spark turns
     * both off above {@code spark.sql.codegen.maxFields} (100) columns, which makes a wide table
     * (say 128 features) read row by row at a fraction of the speed. The setting is a session
     * setting read while the plan is made, so it is raised for the planning of this query only and
     * put back at once (the RDD keeps the plan it was made with).
     *
     * <p>For the same planning, unless the session sets it, {@code spark.sql.codegen.hugeMethodLimit}
     * is at most 8000: HotSpot never compiles a method of more bytecode than that, and the generated loop
     * of a wide table (128 columns: about 10 kB) then ran interpreted for every row — a quarter of
     * the job's CPU time. Above the limit Spark plans the query without the whole-stage loop (still
     * the vectorized read, then compiled projections).
     *
     * <p>When the plan is a projection of a vectorized Parquet scan, the rows are read from the
     * scan's column batches in place ({@link ColumnarRows}) rather than converted by Spark.
     */
    public static RDD<InternalRow> toInternalRddWide(SparkSession spark, Dataset<Row> frame) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        String maxFields = "spark.sql.codegen.maxFields";
        int width = frame.schema().size();
        if (width > Integer.parseInt(spark.conf().get(maxFields, "100"))) {
            settings.put(maxFields, Integer.toString(width));
        }
        // A session's lower limit stands (getOption gives Spark's default, 65535, when unset).
        if (Integer.parseInt(spark.conf().get(HUGE_METHOD_LIMIT, "65535")) > HOTSPOT_HUGE_METHOD_LIMIT) {
            settings.put(HUGE_METHOD_LIMIT, Integer.toString(HOTSPOT_HUGE_METHOD_LIMIT));
        }
        Map<String, Option<String>> previous = new java.util.LinkedHashMap<>();
        scala.collection.immutable.Map<String, String> explicit = spark.conf().getAll();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            // What the session set itself (none: unset again afterwards, not set to the default).
            previous.put(e.getKey(), explicit.get(e.getKey()));
            spark.conf().set(e.getKey(), e.getValue());
        }
        try {
            SparkPlan plan = ((org.apache.spark.sql.classic.Dataset<Row>) frame).queryExecution().executedPlan();
            RDD<InternalRow> columnar = ColumnarRows.of(plan);
            if (columnar != null) {
                LOG.info("reading the input's column batches in place ({} columns)", width);
                return columnar;
            }
            LOG.info("reading the input as Spark's rows ({} columns)", width);
            LOG.debug("the input's plan:\n{}", plan.treeString());
            return toInternalRdd(frame);
        } finally {
            for (Map.Entry<String, Option<String>> e : previous.entrySet()) {
                if (e.getValue().isDefined()) {
                    spark.conf().set(e.getKey(), e.getValue().get());
                } else {
                    spark.conf().unset(e.getKey());
                }
            }
        }
    }

    static final String HUGE_METHOD_LIMIT = "spark.sql.codegen.hugeMethodLimit";
    /** HotSpot's {@code -XX:HugeMethodLimit}: larger methods stay interpreted ({@code DontCompileHugeMethods}). */
    static final int HOTSPOT_HUGE_METHOD_LIMIT = 8000;

    /**
     * Runs {@code action} (which runs Spark jobs on RDDs of a query) with the session's SQL settings
     * passed to its tasks, as Spark does for a Dataset's own actions.
     */
    public static <T> T withSqlConf(SparkSession spark, scala.Function0<T> action) {
        return org.apache.spark.sql.execution.SQLExecution$.MODULE$.withSQLConfPropagated(classic(spark), action);
    }

    /** The first {@code n} rows of a query, collected to the driver as internal rows (copies). */
    public static InternalRow[] head(Dataset<Row> frame, int n) {
        return ((org.apache.spark.sql.classic.Dataset<Row>) frame.limit(n)).queryExecution().executedPlan().executeCollect();
    }

    /** A DataFrame over internal rows that match {@code schema}. */
    static Dataset<Row> createDataFrame(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
        return classic(spark).internalCreateDataFrame(rows, schema, false);
    }

    /**
     * A typed reader of one column of an internal row, chosen once. Spark 4.2's generic
     * {@code InternalRow.get(ordinal, type)} looks the type's operations up through
     * {@code SQLConf.get}, which inside a task builds a new conf object on every call.
     */
    static scala.Function2<org.apache.spark.sql.catalyst.expressions.SpecializedGetters, Object, Object> accessor(
            org.apache.spark.sql.types.DataType type) {
        return InternalRow.getAccessor(type, true);
    }

    /** A deep copy of an internal value (strings, structs, arrays, maps point into reused buffers). */
    static Object copyValue(Object value) {
        return InternalRow.copyValue(value);
    }

    /**
     * The Spark schema stored in a Parquet file's footer (or converted from its Parquet schema), or
     * null when the footer cannot be read this way (the caller then lets Spark infer the schema).
     */
    public static StructType parquetFileSchema(SparkSession spark, String file) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path path = new Path(file);
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
            ParquetMetadata footer = reader.getFooter();
            List<Footer> footers = List.of(new Footer(path, footer));
            Option<StructType> schema = ParquetFileFormat$.MODULE$.readSchema(
                    CollectionConverters.asScala(footers).toSeq(), spark);
            return schema.isDefined() ? schema.get() : null;
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not read the schema from the footer of {}; letting Spark infer it: {}", file, e.toString());
            return null;
        }
    }

    /**
     * A file writer for {@code schema} in Parquet or CSV (with {@code options}, as a
     * {@code DataFrameWriter} takes them), prepared on the driver from the session's settings.
     */
    public static FileSinkFactory fileSinks(SparkSession spark, boolean csv, StructType schema, Map<String, String> options) {
        org.apache.spark.sql.classic.SparkSession session = classic(spark);
        scala.collection.immutable.Map<String, String> scalaOptions = scala.collection.immutable.Map.from(
                CollectionConverters.asScala(options));
        try {
            Job job = Job.getInstance(session.sessionState().newHadoopConfWithOptions(scalaOptions));
            job.setOutputKeyClass(Void.class);
            job.setOutputValueClass(InternalRow.class);
            FileFormat format = csv ? new CSVFileFormat() : new ParquetFileFormat();
            OutputWriterFactory factory = format.prepareWrite(session, job, scalaOptions, schema);
            return new FileSinkFactory(factory, new SerializableConfiguration(job.getConfiguration()), schema);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Opens files of one schema and format in a task (serializable; made by {@link #fileSinks}). */
    static final class FileSinkFactory implements Serializable {
        private final OutputWriterFactory factory;
        private final SerializableConfiguration conf;
        private final StructType schema;

        private FileSinkFactory(OutputWriterFactory factory, SerializableConfiguration conf, StructType schema) {
            this.factory = factory;
            this.conf = conf;
            this.schema = schema;
        }

        /** A new file {@code dir/name<extension>} for this task attempt. */
        FileSink open(String dir, String name, int partition, int attempt) {
            Configuration c = new Configuration(conf.value());
            TaskAttemptID id = new TaskAttemptID(new TaskID(new JobID("annscore", 0), TaskType.MAP, partition), attempt);
            c.set("mapreduce.job.id", id.getJobID().toString());
            c.set("mapreduce.task.id", id.getTaskID().toString());
            c.set("mapreduce.task.attempt.id", id.toString());
            c.setBoolean("mapreduce.task.ismap", true);
            c.setInt("mapreduce.task.partition", 0);
            c.set(FileOutputFormat.OUTDIR, dir);
            TaskAttemptContext context = new TaskAttemptContextImpl(c, id);
            String path = new Path(dir, name + factory.getFileExtension(context)).toString();
            return new FileSink(factory.newInstance(path, schema, context), path);
        }
    }

    /** One open output file: rows in, then {@link #close()}. */
    static final class FileSink implements AutoCloseable {
        private final OutputWriter writer;
        private final String path;

        private FileSink(OutputWriter writer, String path) {
            this.writer = writer;
            this.path = path;
        }

        void write(InternalRow row) {
            writer.write(row);
        }

        String path() {
            return path;
        }

        @Override
        public void close() {
            writer.close();
        }
    }
}
