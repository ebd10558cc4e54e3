package io.annscore.job.plan;

import io.annscore.job.InputException;
import io.annscore.job.JobConfig;
import io.annscore.job.JobKeys;
import io.annscore.job.rows.CsvLine;
import io.annscore.job.rows.SparkInternals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The input rows as Spark will read them, opened on the driver without running any Spark job:
 * files are listed, and the schema is taken from the first file's CSV header or Parquet footer
 * (Spark's own Parquet schema inference would start a job).
 *
 * <p>CSV is read with every column as a string, in the header's order, with
 * {@code enforceSchema=false} so that Spark checks every file's header against it by name (the
 * default, {@code true}, would silently take columns by position), in PERMISSIVE mode with a
 * corrupt-record column that receives the raw line of a record with the wrong number of fields.
 * Reading every column as text is what lets the job tell an empty feature from {@code n/a} from
 * {@code NaN}: Spark would turn the first into null and the last into a number.
 *
 * @param frame the rows, with partition columns (if any) after the file columns
 * @param format the input format
 * @param fileColumns the columns stored in the files, in file order (not partition columns, not
 *     the corrupt-record column)
 * @param corruptColumn the corrupt-record column (CSV), or null
 * @param files the data files the paths matched, sorted (what {@link InputFingerprint} describes)
 */
public record InputSource(Dataset<Row> frame, JobConfig.Format format, List<String> fileColumns, String corruptColumn,
                          List<String> files) {

    /** The corrupt-record column's name (prefixed so that it cannot clash with a data column). */
    static final String CORRUPT_COLUMN = "_annscore_corrupt_record";
    /** Spark's default CSV escape character, which the job does not change. */

    public static InputSource open(SparkSession spark, JobConfig.InputConfig input) {
        if (input.table() != null) {
            return openTable(spark, input);
        }
        String[] paths = input.paths().toArray(new String[0]);
        checkPathsMatch(spark.sparkContext().hadoopConfiguration(), paths);
        return input.format() == JobConfig.Format.CSV ? openCsv(spark, input, paths) : openParquet(spark, paths);
    }

    private static InputSource openCsv(SparkSession spark, JobConfig.InputConfig input, String[] paths) {
        if (input.csvQuote() == null || input.csvQuote().length() != 1) {
            throw new InputException(JobKeys.CSV_QUOTE + " must be one character");
        }
        if (input.csvDelimiter() == null || input.csvDelimiter().isEmpty()) {
            throw new InputException(JobKeys.CSV_DELIMITER + " must not be empty");
        }
        DataFrameReader reader = csvReader(spark, input);
        String[] files = listFiles(() -> reader.schema(new StructType().add("_", DataTypes.StringType)).csv(paths), paths);
        List<String> header = firstRecord(spark.sparkContext().hadoopConfiguration(), files, input);
        List<String> columns = new ArrayList<>();
        if (input.csvHeader()) {
            Set<String> seen = new HashSet<>();
            for (String name : header) {
                if (!seen.add(name)) {
                    throw new InputException("the CSV header of " + files[0] + " names column '" + name
                            + "' twice: " + header);
                }
                columns.add(name);
            }
        } else {
            for (int i = 0; i < header.size(); i++) {
                columns.add("_c" + i);
            }
        }
        StructType schema = new StructType();
        for (String c : columns) {
            schema = schema.add(c, DataTypes.StringType, true);
        }
        schema = schema.add(CORRUPT_COLUMN, DataTypes.StringType, true);
        Dataset<Row> frame = csvReader(spark, input).schema(schema).csv(paths);
        return new InputSource(frame, JobConfig.Format.CSV, List.copyOf(columns), CORRUPT_COLUMN, List.of(files));
    }

    static DataFrameReader csvReader(SparkSession spark, JobConfig.InputConfig input) {
        return spark.read()
                .option("header", input.csvHeader())
                .option("sep", input.csvDelimiter())
                .option("quote", input.csvQuote())
                .option("escape", String.valueOf(CsvLine.ESCAPE))
                .option("multiLine", input.csvMultiLine())
                .option("mode", "PERMISSIVE")
                .option("enforceSchema", false)
                .option("columnNameOfCorruptRecord", CORRUPT_COLUMN);
    }

    /**
     * A table of the session's catalog with its own schema, filtered by {@code input.where}. The
     * condition is part of the query Spark plans, so a condition on partition columns becomes a
     * partition filter of the scan: only those partitions are listed and read.
     */
    private static InputSource openTable(SparkSession spark, JobConfig.InputConfig input) {
        String table = input.table();
        List<String> partitions = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        Dataset<Row> frame;
        try {
            if (!spark.catalog().tableExists(table)) {
                throw new InputException("the input table " + table + " (" + JobKeys.INPUT_TABLE + ") does not exist");
            }
            for (org.apache.spark.sql.catalog.Column c : spark.catalog().listColumns(table).collectAsList()) {
                (c.isPartition() ? partitions : columns).add(c.name());
            }
            frame = spark.table(table);
        } catch (AnalysisException e) {
            throw new InputException("cannot read the input table " + table + " (" + JobKeys.INPUT_TABLE + "): "
                    + firstLine(e.getMessage()), e);
        }
        if (input.where() != null) {
            try {
                frame = frame.where(input.where());
                frame.schema(); // analysed now: a wrong column fails here, naming the key
            } catch (Exception e) {
                if (e instanceof AnalysisException) { // a ParseException is one too
                    throw new InputException(JobKeys.INPUT_WHERE + " '" + input.where() + "' does not apply to " + table
                            + ": " + firstLine(e.getMessage()), e);
                }
                throw e;
            }
        }
        // Partition columns last, as for partitioned folders.
        List<Column> ordered = new ArrayList<>();
        for (String c : columns) {
            ordered.add(functions.col("`" + c.replace("`", "``") + "`"));
        }
        for (String c : partitions) {
            ordered.add(functions.col("`" + c.replace("`", "``") + "`"));
        }
        Dataset<Row> selected = frame.select(ordered.toArray(new Column[0]));
        String[] files = selected.inputFiles();
        Arrays.sort(files);
        return new InputSource(selected, JobConfig.Format.PARQUET, List.copyOf(columns), null, List.of(files));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static InputSource openParquet(SparkSession spark, String[] paths) {
        String[] files = listFiles(() -> spark.read().schema(new StructType().add("_", DataTypes.StringType)).parquet(paths), paths);
        StructType fileSchema = SparkInternals.parquetFileSchema(spark, files[0]);
        Dataset<Row> frame = fileSchema == null ? spark.read().parquet(paths) : spark.read().schema(fileSchema).parquet(paths);
        List<String> fileColumns = fileSchema == null
                ? Arrays.asList(frame.columns()) : Arrays.asList(fileSchema.fieldNames());
        return new InputSource(frame, JobConfig.Format.PARQUET, List.copyOf(fileColumns), null, List.of(files));
    }

    private interface FrameMaker {
        Dataset<Row> make();
    }

    /**
     * Every path or glob matches something, checked with Hadoop's own glob expansion before Spark
     * sees the paths (Spark would stop with its {@code [PATH_NOT_FOUND]} error): a night whose data
     * has not landed ends with one line naming the path, and exit code 4.
     */
    static void checkPathsMatch(Configuration conf, String[] paths) {
        for (String p : paths) {
            Path path = new Path(p);
            org.apache.hadoop.fs.FileStatus[] matched;
            try {
                matched = path.getFileSystem(conf).globStatus(path);
            } catch (IOException | IllegalArgumentException e) {
                throw new InputException("cannot list the input " + p + " (" + JobKeys.INPUT_PATHS + "): " + e.getMessage(), e);
            }
            if (matched == null || matched.length == 0) {
                throw new InputException("no input: " + p + " (" + JobKeys.INPUT_PATHS + ") matches no file;"
                        + " nothing has landed for this run date yet, or the path is wrong; nothing was published");
            }
        }
    }

    /** The data files behind the paths, sorted; a path that matches nothing is an InputException. */
    private static String[] listFiles(FrameMaker maker, String[] paths) {
        String[] files;
        try {
            files = maker.make().inputFiles();
        } catch (Exception e) {
            // Spark throws AnalysisException undeclared (a Scala exception), so Java cannot catch it by name.
            if (e instanceof AnalysisException) {
                throw new InputException("cannot read the input " + Arrays.toString(paths) + ": " + e.getMessage(), e);
            }
            throw e;
        }
        if (files.length == 0) {
            throw new InputException("the input " + Arrays.toString(paths) + " holds no data files");
        }
        Arrays.sort(files);
        return files;
    }

    /** The first non-blank line of the first file that has one, split into fields. */
    private static List<String> firstRecord(Configuration conf, String[] files, JobConfig.InputConfig input) {
        CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
        for (String file : files) {
            Path path = new Path(file);
            try {
                FileSystem fs = path.getFileSystem(conf);
                CompressionCodec codec = codecs.getCodec(path);
                try (InputStream raw = fs.open(path);
                     InputStream in = codec == null ? raw : codec.createInputStream(raw);
                     BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("\uFEFF")) {
                            line = line.substring(1);
                        }
                        if (!line.isBlank()) {
                            List<String> fields = CsvLine.split(line, input.csvDelimiter(), input.csvQuote().charAt(0), CsvLine.ESCAPE);
                            if (fields == null) {
                                throw new InputException("the first line of " + file + " has an unterminated quote: " + line);
                            }
                            return fields;
                        }
                    }
                }
            } catch (IOException e) {
                throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        throw new InputException("every input file is empty: " + Arrays.toString(files));
    }

    /** The columns a query can select: the file columns and partition columns, not the corrupt-record column. */
    List<StructField> columns() {
        List<StructField> out = new ArrayList<>();
        for (StructField f : frame.schema().fields()) {
            if (!f.name().equals(corruptColumn)) {
                out.add(f);
            }
        }
        return out;
    }
}
