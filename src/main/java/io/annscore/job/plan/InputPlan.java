package io.annscore.job.plan;

import io.annscore.importers.Provenance;
import io.annscore.job.InputException;
import io.annscore.job.JobConfig;
import io.annscore.job.rows.RowSpec;
import io.annscore.metrics.Metric;
import io.annscore.network.Network;
import io.annscore.network.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Matches the network's inputs and the job's columns to the input's schema, on the driver, before
 * any task: which column feeds which input, that every named column exists, that the types can be
 * read, that the counts agree with the network. Every failure is an {@link InputException} that
 * names the column and lists the columns found. The result is the projection the scoring pass reads
 * ({@link #projected}) and its layout ({@link #spec}).
 *
 * <p>Which columns are the features, in the network's input order:
 * <ol>
 *   <li>{@code input.feature-column}: one {@code array<number>} or MLlib vector column;</li>
 *   <li>else {@code input.features}, taken in order (their count must be the input size);</li>
 *   <li>else, when the network names its features, those names, each read from the column that
 *       {@code input.column-mapping} gives for it or else from the column of the same name;</li>
 *   <li>else every column stored in the files, in file order, except the pass-through, label and
 *       segment columns (their count must be the input size).</li>
 * </ol>
 */
public final class InputPlan {
    /** Output column names that a pass-through column may not take. */
    static final Set<String> RESERVED = Set.of("outputs", "prediction", "probability", "predicted_class",
            "predicted_label", "loss", "reason", "detail", "raw_record", "input_file", "run_date");

    public final Dataset<Row> projected;
    public final RowSpec spec;
    /** Network input (name, or its index when unnamed) → the column it reads, for the log and validate. */
    public final Map<String, String> featureSources;

    private InputPlan(Dataset<Row> projected, RowSpec spec, Map<String, String> featureSources) {
        this.projected = projected;
        this.spec = spec;
        this.featureSources = featureSources;
    }

    public static InputPlan resolve(InputSource source, Network network, JobConfig config, int failPartition) {
        return new Resolver(source, network, config).resolve(failPartition);
    }

    public static Column column(String name) {
        return functions.col("`" + name.replace("`", "``") + "`");
    }

    /** The struct an MLlib vector is stored as: {type: byte, size: int, indices: array<int>, values: array<double>}. */
    static boolean isVectorStruct(DataType type) {
        if (type instanceof UserDefinedType<?> udt) {
            type = udt.sqlType();
        }
        if (!(type instanceof StructType s) || s.fields().length != 4) {
            return false;
        }
        StructField[] f = s.fields();
        return f[0].name().equals("type") && f[0].dataType() instanceof ByteType
                && f[1].name().equals("size") && f[1].dataType().equals(DataTypes.IntegerType)
                && f[2].name().equals("indices") && f[2].dataType() instanceof ArrayType ai
                && ai.elementType().equals(DataTypes.IntegerType)
                && f[3].name().equals("values") && f[3].dataType() instanceof ArrayType av
                && av.elementType().equals(DataTypes.DoubleType);
    }

    private static final class Resolver {
        private final InputSource source;
        private final Network network;
        private final JobConfig config;
        private final JobConfig.InputConfig in;
        private final Map<String, StructField> fields = new LinkedHashMap<>();
        private final boolean csv;

        Resolver(InputSource source, Network network, JobConfig config) {
            this.source = source;
            this.network = network;
            this.config = config;
            this.in = config.input();
            this.csv = source.format() == JobConfig.Format.CSV;
            for (StructField f : source.columns()) {
                fields.put(f.name(), f);
            }
        }

        /**
         * When the network's input names were made up at import (x0, x1, …), how to name the real
         * columns: such a network cannot know them.
         */
        private String unnamedInputsHint() {
            boolean generated = "generated".equals(network.info().provenance().get(Provenance.FEATURE_NAMES_FROM));
            return generated && in.featureColumns().isEmpty()
                    ? ", a name made up at import because the model names none of its inputs: give the columns in the"
                    + " network's input order with input.features (--features a,b,…)"
                    : "";
        }

        private StructField require(String column, String role) {
            StructField f = fields.get(column);
            if (f == null) {
                throw new InputException("the input has no column '" + column + "' (" + role + "); columns found: "
                        + new ArrayList<>(fields.keySet()));
            }
            return f;
        }

        InputPlan resolve(int failPartition) {
            List<Column> select = new ArrayList<>();
            int k = 0;

            List<String> passNames = new ArrayList<>();
            List<DataType> passTypes = new ArrayList<>();
            for (String c : in.passThroughColumns()) {
                StructField f = require(c, "pass-through column");
                if (passNames.contains(c)) {
                    throw new InputException("pass-through column '" + c + "' is listed twice");
                }
                if (RESERVED.contains(c) || c.equals("_kind") || c.equals("_labels") || c.matches("_s[0-9]+")) {
                    throw new InputException("pass-through column '" + c + "' has the name of an output column; "
                            + "reserved names: " + RESERVED);
                }
                if (config.output().format() == JobConfig.Format.CSV && !isAtomic(f.dataType())) {
                    throw new InputException("pass-through column '" + c + "' is of type " + f.dataType().simpleString()
                            + ", which CSV output cannot hold");
                }
                passNames.add(c);
                passTypes.add(f.dataType());
                select.add(column(c).as("_p" + k++));
            }

            Map<String, String> sources = new LinkedHashMap<>();
            List<String> featureNames = new ArrayList<>();
            List<DataType> featureTypes = null;
            DataType vectorType = null;
            int inputSize = network.inputSize();
            if (in.featureVectorColumn() != null) {
                StructField f = require(in.featureVectorColumn(), "feature vector column");
                DataType t = f.dataType();
                if (isVectorStruct(t)) {
                    vectorType = t instanceof UserDefinedType<?> udt ? udt.sqlType() : t;
                } else if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
                    vectorType = t;
                } else {
                    throw new InputException("feature vector column '" + f.name() + "' is of type " + t.simpleString()
                            + "; expected array<double> (or another array of numbers) or an MLlib vector");
                }
                for (int i = 0; i < inputSize; i++) {
                    featureNames.add(network.input().hasFeatureNames() ? network.input().features().get(i)
                            : f.name() + "[" + i + "]");
                    sources.put(featureNames.get(i), f.name() + "[" + i + "]");
                }
                select.add(column(f.name()).as("_v"));
            } else {
                List<String[]> pairs = featureColumns(); // {feature name, column}
                featureTypes = new ArrayList<>();
                int i = 0;
                for (String[] p : pairs) {
                    StructField f = require(p[1], "feature '" + p[0] + "' of the network" + unnamedInputsHint());
                    DataType t = f.dataType();
                    boolean ok = t instanceof NumericType || (csv && t instanceof StringType);
                    if (!ok) {
                        throw new InputException("feature column '" + f.name() + "' (feature '" + p[0] + "' of the network) is of type "
                                + t.simpleString() + "; features must be numeric");
                    }
                    featureNames.add(p[0]);
                    featureTypes.add(t);
                    sources.put(p[0], f.name());
                    select.add(column(f.name()).as("_f" + i++));
                }
            }

            Task task = network.task();
            int outputs = network.outputSize();
            List<String> labels = in.labelColumns();
            if (!labels.isEmpty()) {
                int expected = task == Task.REGRESSION ? outputs : 1;
                if (labels.size() != expected) {
                    throw new InputException(task == Task.REGRESSION
                            ? "a regression network with " + outputs + " outputs takes " + outputs
                              + " label columns (one per output, in order), but input.labels names " + labels.size() + ": " + labels
                            : "a " + task.id() + " network takes one label column, but input.labels names "
                              + labels.size() + ": " + labels);
                }
            }
            List<DataType> labelTypes = new ArrayList<>();
            for (String c : labels) {
                StructField f = require(c, "label column");
                DataType t = f.dataType();
                if (!(t instanceof NumericType || t instanceof StringType || t instanceof BooleanType)) {
                    throw new InputException("label column '" + c + "' is of type " + t.simpleString()
                            + "; labels must be numbers, strings or booleans");
                }
                labelTypes.add(t);
                select.add(column(c).as("_l" + labelTypes.size()));
            }
            String weight = in.weightColumn();
            if (weight != null) {
                StructField f = require(weight, "weight column (input.weight)");
                DataType t = f.dataType();
                if (!(t instanceof NumericType || t instanceof StringType || t instanceof BooleanType)) {
                    throw new InputException("weight column '" + weight + "' (input.weight) is of type "
                            + t.simpleString() + "; weights must be numbers");
                }
                // text that is not a number becomes null, a bad weight, rather than failing the cast
                select.add(column(weight).try_cast(DataTypes.DoubleType).as("_w"));
            }

            int s = 0;
            for (String c : config.segmentColumns()) {
                StructField f = require(c, "segment column");
                if (!isAtomic(f.dataType())) {
                    throw new InputException("segment column '" + c + "' is of type " + f.dataType().simpleString()
                            + "; segments need a simple type (string, number, date, boolean)");
                }
                select.add(column(c).cast(DataTypes.StringType).as("_s" + s++));
            }
            if (csv) {
                select.add(column(source.corruptColumn()).as("_corrupt"));
                select.add(functions.array(source.fileColumns().stream().map(InputPlan::column).toArray(Column[]::new))
                        .as("_record"));
            }
            select.add(functions.input_file_name().as("_file"));

            List<Metric> metrics = new ArrayList<>();
            for (String id : config.metrics()) {
                Metric m;
                try {
                    m = Metric.parse(id);
                } catch (IllegalArgumentException e) {
                    throw new InputException("metrics: " + e.getMessage(), e);
                }
                if (!m.appliesTo(task)) {
                    throw new InputException("metric '" + id + "' does not apply to a " + task.id() + " network");
                }
                metrics.add(m);
            }

            RowSpec spec = new RowSpec(List.copyOf(passNames), List.copyOf(passTypes), List.copyOf(featureNames),
                    featureTypes == null ? null : List.copyOf(featureTypes), vectorType, List.copyOf(labelTypes), s,
                    csv, in.csvDelimiter(), in.csvQuote() == null || in.csvQuote().isEmpty() ? '"' : in.csvQuote().charAt(0),
                    source.fileColumns().size(), task, inputSize, outputs, network.output().classNames(),
                    network.output().threshold(), List.copyOf(metrics), failPartition, weight != null,
                    config.metricThresholds(), config.topK(), csv ? source.fileColumns() : List.of(),
                    in.csvMultiLine());
            Dataset<Row> projected = source.frame().select(select.toArray(new Column[0]));
            return new InputPlan(projected, spec, sources);
        }

        /** The (feature name, column) pairs, in the network's input order. */
        private List<String[]> featureColumns() {
            int size = network.inputSize();
            boolean named = network.input().hasFeatureNames();
            List<String> names = network.input().features();
            for (String key : in.columnMapping().keySet()) {
                if (!names.contains(key)) {
                    throw new InputException("input.column-mapping maps '" + key + "', which is not a feature of the network"
                            + (named ? "; its features: " + names : " (the network does not name its features)"));
                }
            }
            List<String[]> pairs = new ArrayList<>();
            if (!in.featureColumns().isEmpty()) {
                if (in.featureColumns().size() != size) {
                    throw new InputException("the network takes " + size + " inputs, but input.features names "
                            + in.featureColumns().size() + ": " + in.featureColumns());
                }
                for (int i = 0; i < size; i++) {
                    pairs.add(new String[] {named ? names.get(i) : in.featureColumns().get(i), in.featureColumns().get(i)});
                }
            } else if (named) {
                for (String f : names) {
                    pairs.add(new String[] {f, in.columnMapping().getOrDefault(f, f)});
                }
            } else {
                Set<String> excluded = new HashSet<>(in.passThroughColumns());
                excluded.addAll(in.labelColumns());
                excluded.addAll(config.segmentColumns());
                if (in.weightColumn() != null) {
                    excluded.add(in.weightColumn());
                }
                List<String> rest = new ArrayList<>();
                for (String c : source.fileColumns()) {
                    if (!excluded.contains(c)) {
                        rest.add(c);
                    }
                }
                if (rest.size() != size) {
                    throw new InputException("the network takes " + size + " inputs and does not name them, but the input has "
                            + rest.size() + " columns besides the pass-through, label" + (in.weightColumn() != null ? ", weight" : "")
                            + " and segment columns: " + rest
                            + " (name the feature columns with input.features)");
                }
                for (String c : rest) {
                    pairs.add(new String[] {c, c});
                }
            }
            return pairs;
        }
    }

    static boolean isAtomic(DataType t) {
        return !(t instanceof ArrayType || t instanceof StructType || t instanceof org.apache.spark.sql.types.MapType
                || t instanceof UserDefinedType<?>);
    }
}
