package io.annscore.job.rows;

import io.annscore.metrics.MetricStats;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.Scorer;
import io.annscore.network.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
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
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Turns projected input rows ({@link RowSpec} layout) into prediction rows and quarantine
 * rows ({@link OutputLayout}), each in the exact schema of its output files. One instance per
 * partition. Knows nothing of Spark's scheduling, so it is unit-tested on hand-made rows.
 *
 * <p>A row that fails a check gets its quarantine row at once ({@link #add} returns the reason). A
 * good row is queued: its features, labels and pass-through values (copied, since the input row is
 * reused) go into one of {@link Scorer#BLOCK} slots, and {@link #scoreQueued} scores the slots
 * together with {@link Scorer#scoreBatch} — the same bits as row by row, 25–35% faster on the
 * benchmark networks — and fills their prediction rows. So at most one block of rows is ever held.
 * The buffers and output rows are reused for every block; per row only the output columns' arrays
 * and, for text input or string pass-through columns, strings are allocated.
 *
 * <p>Checks, in order: a CSV record the reader flagged as corrupt ({@code wrong_field_count} or
 * {@code malformed_record}, told apart by re-splitting the raw line); then each feature in the
 * network's input order, the first bad one giving the reason ({@code missing_feature},
 * {@code non_numeric_feature}, {@code non_finite_feature}; for a vector column also
 * {@code wrong_field_count} for another size and {@code malformed_record} for indices that do not
 * fit). A row with good features is scored; its labels, when missing or invalid (not a number, not
 * a class of the network, not finite), leave {@code loss} and {@code _labels} null. A scored row
 * whose outputs are not all finite is no prediction: {@link #scored} is false for it and it is
 * quarantined as {@code non_finite_output} ({@link #outputQuarantineRow}).
 */
public final class RowEngine {
    // Kinds of numeric reads, decided once per column.
    private static final int DOUBLE = 0;
    private static final int FLOAT = 1;
    private static final int LONG = 2;
    private static final int INT = 3;
    private static final int SHORT = 4;
    private static final int BYTE = 5;
    private static final int DECIMAL = 6;
    private static final int STRING = 7;
    private static final int BOOLEAN = 8;

    private final RowSpec spec;
    private final OutputLayout layout;
    private final OutputSpec outputSpec;
    private final Scorer scorer;
    private final MetricStats labelRules;
    /** The queued rows' features, one after another (inputSize each); check() writes at slot {@link #queued}. */
    private final double[] features;
    private final double[] blockOutputs;
    private final double[][] outputs;
    private final double[][] labels;
    private final boolean[] labelled;
    /** Per queued row: whether its outputs are all finite (set by scoreQueued). */
    private final boolean[] finite;
    /** Per queued row: its input file (for a quarantine row after scoring); copied only when it changes. */
    private final UTF8String[] queuedFile;
    /** CSV: each queued row's record fields (copied: the reader reuses its rows), for raw_record. */
    private final ArrayData[] queuedRecord;
    private final UTF8String quoteText;
    private UTF8String lastFile;
    private final double[] weights;
    private final SpecificInternalRow[] predictions;
    private final NumberText number = new NumberText();
    private final int[] featureKinds;
    private final DecimalType[] featureDecimals;
    private final int vectorElementKind;
    private final boolean vectorIsStruct;
    private final int[] labelKinds;
    private final DecimalType[] labelDecimals;
    private final Map<String, Integer> classIndex = new HashMap<>();
    private final UTF8String[] classLabels;
    private final UTF8String[] reasonCodes;

    private final scala.Function2<SpecializedGetters, Object, Object>[] passThroughReaders;
    private final SpecificInternalRow quarantine;

    private String failureDetail;
    /** The profile the scored rows' features and outputs go into, or null ({@link #profileInto}). */
    private io.annscore.metrics.ColumnProfiles profile;
    private int queued;
    /** Where check() writes the row's features: slot {@code queued}'s offset in {@link #features}. */
    private int base;

    public RowEngine(RowSpec spec, Network network) {
        this(spec, network, false);
    }

    /** With {@code flatten}, the prediction rows hold one column per output (CSV output). */
    public RowEngine(RowSpec spec, Network network, boolean flatten) {
        if (network.inputSize() != spec.inputSize() || network.outputSize() != spec.outputSize()) {
            throw new IllegalStateException("the network does not match the plan: " + network.inputSize() + "→"
                    + network.outputSize() + " vs " + spec.inputSize() + "→" + spec.outputSize());
        }
        this.spec = spec;
        this.layout = new OutputLayout(spec, flatten);
        this.predictions = new SpecificInternalRow[Scorer.BLOCK];
        for (int k = 0; k < Scorer.BLOCK; k++) {
            predictions[k] = new SpecificInternalRow(layout.predictionSchema());
        }
        @SuppressWarnings("unchecked")
        scala.Function2<SpecializedGetters, Object, Object>[] readers = new scala.Function2[spec.passThroughCount()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = SparkInternals.accessor(spec.passThroughTypes().get(i));
        }
        this.passThroughReaders = readers;
        this.quarantine = new SpecificInternalRow(layout.quarantineSchema());
        this.outputSpec = network.output();
        this.scorer = network.newScorer();
        this.labelRules = MetricStats.create(spec.task(), spec.outputSize(), spec.threshold(), spec.metrics());
        this.features = new double[Scorer.BLOCK * spec.inputSize()];
        this.blockOutputs = new double[Scorer.BLOCK * spec.outputSize()];
        this.outputs = new double[Scorer.BLOCK][spec.outputSize()];
        this.labels = new double[Scorer.BLOCK][Math.max(1, spec.labelCount())];
        this.labelled = new boolean[Scorer.BLOCK];
        this.finite = new boolean[Scorer.BLOCK];
        this.queuedFile = new UTF8String[Scorer.BLOCK];
        this.queuedRecord = spec.hasCsvRecord() ? new ArrayData[Scorer.BLOCK] : null;
        this.quoteText = UTF8String.fromString(String.valueOf(spec.csvQuote()));
        this.weights = new double[Scorer.BLOCK];
        if (spec.hasVector()) {
            featureKinds = null;
            featureDecimals = null;
            vectorIsStruct = !(spec.vectorType() instanceof ArrayType);
            vectorElementKind = vectorIsStruct ? DOUBLE : kind(((ArrayType) spec.vectorType()).elementType());
        } else {
            featureKinds = new int[spec.featureTypes().size()];
            featureDecimals = new DecimalType[featureKinds.length];
            for (int i = 0; i < featureKinds.length; i++) {
                featureKinds[i] = kind(spec.featureTypes().get(i));
                featureDecimals[i] = spec.featureTypes().get(i) instanceof DecimalType d ? d : null;
            }
            vectorIsStruct = false;
            vectorElementKind = -1;
        }
        labelKinds = new int[spec.labelCount()];
        labelDecimals = new DecimalType[labelKinds.length];
        for (int j = 0; j < labelKinds.length; j++) {
            labelKinds[j] = kind(spec.labelTypes().get(j));
            labelDecimals[j] = spec.labelTypes().get(j) instanceof DecimalType d ? d : null;
        }
        List<String> names = spec.classNames();
        classLabels = new UTF8String[names.size()];
        for (int k = 0; k < names.size(); k++) {
            classIndex.put(names.get(k), k);
            classLabels[k] = UTF8String.fromString(names.get(k));
        }
        QuarantineReason[] reasons = QuarantineReason.values();
        reasonCodes = new UTF8String[reasons.length];
        for (QuarantineReason r : reasons) {
            reasonCodes[r.ordinal()] = UTF8String.fromString(r.code());
        }
    }

    /**
     * What {@code validate} reports of a sample: how many rows were parsed, how many would be
     * quarantined for each reason code, and the first ten details.
     */
    public record SampleCheck(int rows, Map<String, Long> reasons, List<String> details) {
    }

    /** Checks the first {@code n} rows of the projected input (scoring and writing nothing). */
    public static SampleCheck checkSample(Dataset<Row> projected, RowSpec spec, Network network, int n) {
        RowEngine engine = new RowEngine(spec, network);
        Map<String, Long> reasons = new LinkedHashMap<>();
        List<String> details = new ArrayList<>();
        InternalRow[] sample = n > 0 ? SparkInternals.head(projected, n) : new InternalRow[0];
        for (InternalRow row : sample) {
            QuarantineReason r = engine.check(row);
            if (r != null) {
                reasons.merge(r.code(), 1L, Long::sum);
                if (details.size() < 10) {
                    details.add(r.code() + ": " + engine.failureDetail());
                }
            }
        }
        return new SampleCheck(sample.length, reasons, details);
    }

    private static int kind(DataType t) {
        if (t instanceof DoubleType) {
            return DOUBLE;
        } else if (t instanceof FloatType) {
            return FLOAT;
        } else if (t instanceof LongType) {
            return LONG;
        } else if (t instanceof IntegerType) {
            return INT;
        } else if (t instanceof ShortType) {
            return SHORT;
        } else if (t instanceof ByteType) {
            return BYTE;
        } else if (t instanceof DecimalType) {
            return DECIMAL;
        } else if (t instanceof StringType) {
            return STRING;
        } else if (t instanceof BooleanType) {
            return BOOLEAN;
        }
        throw new IllegalArgumentException("cannot read a number from a column of type " + t.simpleString());
    }

    OutputLayout layout() {
        return layout;
    }

    /**
     * Checks one row. A bad row gets its quarantine row ({@link #quarantineRow()}, valid until the
     * next call, and pointing into {@code in}: write it at once) and its reason is returned. A good
     * row is queued to be scored (null is returned); there must be room ({@link #full()} false).
     */
    QuarantineReason add(InternalRow in) {
        if (queued == Scorer.BLOCK) {
            throw new IllegalStateException("the queue is full: score it first");
        }
        QuarantineReason reason = check(in);
        if (reason != null) {
            SpecificInternalRow out = quarantine;
            boolean malformedCsv = reason == QuarantineReason.MALFORMED_RECORD && spec.csv();
            copyPassThrough(in, out, malformedCsv, false);
            int r = layout.reason;
            out.update(r, reasonCodes[reason.ordinal()]);
            out.update(r + 1, UTF8String.fromString(failureDetail));
            if (spec.csv() && !in.isNullAt(spec.corruptOrdinal())) {
                out.update(r + 2, in.getUTF8String(spec.corruptOrdinal()));
            } else if (spec.hasCsvRecord()) {
                out.update(r + 2, UTF8String.fromString(renderRecord(in.getArray(spec.recordOrdinal()))));
            } else if (!spec.csv()) {
                out.update(r + 2, UTF8String.fromString(RecordJson.ofInput(in, spec, passThroughReaders)));
            } else {
                out.setNullAt(r + 2);
            }
            if (in.isNullAt(spec.fileOrdinal())) {
                out.setNullAt(r + 3);
            } else {
                out.update(r + 3, in.getUTF8String(spec.fileOrdinal()));
            }
            return reason;
        }
        int k = queued++;
        copyPassThrough(in, predictions[k], false, true);
        labelled[k] = layout.loss >= 0 && readLabels(in, labels[k]);
        queuedFile[k] = file(in);
        if (queuedRecord != null) {
            queuedRecord[k] = in.getArray(spec.recordOrdinal()).copy();
        }
        weights[k] = !spec.weighted() ? 1 : in.isNullAt(spec.weightOrdinal()) ? Double.NaN : in.getDouble(spec.weightOrdinal());
        return null;
    }

    /** The row's input file, as a copy that outlives the row; the same copy while the file does not change. */
    private UTF8String file(InternalRow in) {
        if (in.isNullAt(spec.fileOrdinal())) {
            return null;
        }
        UTF8String f = in.getUTF8String(spec.fileOrdinal());
        if (!f.equals(lastFile)) {
            lastFile = f.copy();
        }
        return lastFile;
    }

    /** The number of rows queued. */
    int queued() {
        return queued;
    }

    /** Whether the queue has no room for another row. */
    boolean full() {
        return queued == Scorer.BLOCK;
    }

    /**
     * Scores the queued rows together and fills their prediction rows: {@link #predictionRow},
     * {@link #outputs}, {@link #labelled} and {@link #labels} of slot k &lt; {@link #queued()} then
     * describe the k-th row queued, until {@link #clear()}.
     */
    void scoreQueued() {
        scorer.scoreBatch(features, queued, blockOutputs);
        int size = spec.outputSize();
        // One pass over the block: v − v is 0 for a finite v and NaN for NaN or ±∞, and NaN sticks.
        double probe = 0;
        for (int i = 0, n = queued * size; i < n; i++) {
            probe += blockOutputs[i] - blockOutputs[i];
        }
        boolean allFinite = probe == 0;
        for (int k = 0; k < queued; k++) {
            System.arraycopy(blockOutputs, k * size, outputs[k], 0, size);
            finite[k] = allFinite || allFinite(outputs[k]);
            if (finite[k]) {
                fill(predictions[k], outputs[k], k);
            }
        }
        if (profile != null) {
            profile.addBlock(features, blockOutputs, queued, finite);
        }
    }

    /** Hands each scored block's decoded features and outputs to {@code p} (the rows with finite outputs). */
    void profileInto(io.annscore.metrics.ColumnProfiles p) {
        this.profile = p;
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether queued row k was scored to finite outputs (after {@link #scoreQueued}). When not, it
     * is no prediction: write {@link #outputQuarantineRow} instead of {@link #predictionRow}.
     */
    boolean scored(int k) {
        return finite[k];
    }

    /**
     * The quarantine row ({@code non_finite_output}) of queued row k, whose outputs are not all
     * finite: the outputs that are not, with their values, in the detail; for Parquet input the
     * row's features and pass-through values as JSON in {@code raw_record}. Valid until the next call.
     */
    InternalRow outputQuarantineRow(int k) {
        SpecificInternalRow out = quarantine;
        SpecificInternalRow from = predictions[k];
        for (int i = 0; i < spec.passThroughCount(); i++) {
            int at = layout.passThrough + i;
            if (from.isNullAt(at)) {
                out.setNullAt(at);
            } else {
                out.update(at, passThroughReaders[i].apply(from, at));
            }
        }
        int r = layout.reason;
        out.update(r, reasonCodes[QuarantineReason.NON_FINITE_OUTPUT.ordinal()]);
        failureDetail = nonFiniteDetail(outputs[k]);
        out.update(r + 1, UTF8String.fromString(failureDetail));
        if (queuedRecord != null) {
            out.update(r + 2, UTF8String.fromString(renderRecord(queuedRecord[k])));
        } else if (spec.csv()) {
            out.setNullAt(r + 2);
        } else {
            int size = spec.inputSize();
            out.update(r + 2, UTF8String.fromString(RecordJson.ofScored(from, layout.passThrough, spec, passThroughReaders,
                    java.util.Arrays.copyOfRange(features, k * size, (k + 1) * size))));
        }
        if (queuedFile[k] == null) {
            out.setNullAt(r + 3);
        } else {
            out.update(r + 3, queuedFile[k]);
        }
        return out;
    }

    private String nonFiniteDetail(double[] o) {
        StringBuilder detail = new StringBuilder("the network's output is not finite:");
        String sep = " ";
        for (int j = 0; j < o.length; j++) {
            if (!Double.isFinite(o[j])) {
                detail.append(sep).append(outputName(j)).append(" = ").append(o[j]);
                sep = ", ";
            }
        }
        return detail.toString();
    }

    private String outputName(int j) {
        return spec.classNames().size() == spec.outputSize() ? "output " + j + " ('" + spec.classNames().get(j) + "')" : "output " + j;
    }

    /** Empties the queue. */
    void clear() {
        queued = 0;
    }

    /**
     * One row at once: {@link #add} and, when it was queued, {@link #scoreQueued}; its prediction
     * is then slot 0. The queue must be empty. The job itself queues blocks; the unit tests use this.
     */
    QuarantineReason process(InternalRow in) {
        if (queued != 0) {
            throw new IllegalStateException(queued + " rows are queued");
        }
        QuarantineReason reason = add(in);
        if (reason == null) {
            scoreQueued();
            queued = 0;
            if (!finite[0]) {
                outputQuarantineRow(0);
                return QuarantineReason.NON_FINITE_OUTPUT;
            }
        }
        return reason;
    }

    private void fill(SpecificInternalRow out, double[] o, int k) {
        putArray(out, layout.outputs, o);
        switch (spec.task()) {
            case REGRESSION -> {
                if (layout.prediction >= 0) {
                    out.setDouble(layout.prediction, o[0]);
                }
            }
            case BINARY -> {
                out.setDouble(layout.prediction, outputSpec.positiveProbability(o));
                out.setInt(layout.predictedClass, outputSpec.predictedClass(o));
            }
            case MULTICLASS -> {
                putArray(out, layout.prediction, o);
                int c = outputSpec.predictedClass(o);
                out.setInt(layout.predictedClass, c);
                if (layout.predictedLabel >= 0) {
                    out.update(layout.predictedLabel, classLabels[c]);
                }
            }
        }
        if (labelled[k]) {
            out.setDouble(layout.loss, labelRules.rowLoss(o, labels[k]));
        } else if (layout.loss >= 0) {
            out.setNullAt(layout.loss);
        }
    }

    /** The prediction row of queued row k (after {@link #scoreQueued}). */
    InternalRow predictionRow(int k) {
        return predictions[k];
    }

    /** The quarantine row of the last row quarantined. */
    InternalRow quarantineRow() {
        return quarantine;
    }

    /** The network's outputs for queued row k (after {@link #scoreQueued}). */
    double[] outputs(int k) {
        return outputs[k];
    }

    /** Whether queued row k had usable labels ({@link #labels}). */
    boolean labelled(int k) {
        return labelled[k];
    }

    /** The weight of queued row k: 1 without a weight column, NaN when missing (not yet checked). */
    double weight(int k) {
        return weights[k];
    }

    /** The parsed labels of queued row k, when {@link #labelled}. */
    double[] labels(int k) {
        return labels[k];
    }

    private void putArray(SpecificInternalRow out, int at, double[] values) {
        if (layout.flatten) {
            for (int k = 0; k < values.length; k++) {
                out.setDouble(at + k, values[k]);
            }
        } else {
            out.update(at, UnsafeArrayData.fromPrimitiveArray(values));
        }
    }

    /**
     * Reads the row's features into the buffer; returns null when they are all usable, else the
     * reason (and sets the detail). Scores nothing.
     */
    public QuarantineReason check(InternalRow in) {
        base = queued * spec.inputSize();
        if (spec.csv() && !in.isNullAt(spec.corruptOrdinal())) {
            String raw = in.getUTF8String(spec.corruptOrdinal()).toString();
            char escape = CsvLine.ESCAPE;
            int fields = CsvLine.fieldCount(raw, spec.csvDelimiter(), spec.csvQuote(), escape);
            QuarantineReason r = CsvLine.classifyCorrupt(raw, spec.csvDelimiter(), spec.csvQuote(), escape, spec.csvFieldCount());
            return fail(r, r == QuarantineReason.WRONG_FIELD_COUNT
                    ? "the record has " + fields + " fields, the header " + spec.csvFieldCount()
                    : fields < 0 ? "a quote is never closed" + (spec.csvMultiLine() ? ""
                            : " on this line (a quoted field that spans lines needs input.csv.multi-line = true)")
                    : "the line is no record of " + spec.csvFieldCount() + " fields");
        }
        if (spec.hasCsvRecord() && !spec.csvMultiLine()) {
            QuarantineReason r = checkQuotes(in.getArray(spec.recordOrdinal()));
            if (r != null) {
                return r;
            }
        }
        if (spec.hasVector()) {
            return readVector(in);
        }
        int f0 = spec.featureOrdinal();
        for (int i = 0; i < featureKinds.length; i++) {
            QuarantineReason r = readFeature(in, f0 + i, featureKinds[i], featureDecimals[i], i);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /**
     * Single-line CSV: a parsed record none of whose fields holds the quote character. A field that
     * does is what is left of a quoted field whose line break cut the record in two (its other half
     * is the record before, flagged for its open quote), or a stray quote; either way the values
     * may not be in their columns.
     */
    private QuarantineReason checkQuotes(ArrayData record) {
        for (int i = 0; i < record.numElements(); i++) {
            if (!record.isNullAt(i) && record.getUTF8String(i).contains(quoteText)) {
                return fail(QuarantineReason.STRAY_QUOTE, "field '" + spec.csvColumns().get(i) + "' holds the quote"
                        + " character " + spec.csvQuote() + " inside an unquoted value: a record cut by a line break"
                        + " inside quotes (set input.csv.multi-line = true to read such records whole), or a stray quote");
            }
        }
        return null;
    }

    private String renderRecord(ArrayData record) {
        String[] fields = new String[record.numElements()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = record.isNullAt(i) ? null : record.getUTF8String(i).toString();
        }
        return CsvLine.render(fields, spec.csvDelimiter(), spec.csvQuote(), CsvLine.ESCAPE);
    }

    /** The detail of the last quarantine decision (which feature, what was wrong). */
    public String failureDetail() {
        return failureDetail;
    }

    private QuarantineReason fail(QuarantineReason reason, String detail) {
        failureDetail = detail;
        return reason;
    }

    private QuarantineReason readFeature(InternalRow in, int ordinal, int kind, DecimalType decimal, int i) {
        if (in.isNullAt(ordinal)) {
            return fail(QuarantineReason.MISSING_FEATURE, "feature '" + spec.featureNames().get(i) + "' is missing");
        }
        double v;
        switch (kind) {
            case DOUBLE -> v = in.getDouble(ordinal);
            case FLOAT -> v = in.getFloat(ordinal);
            case LONG -> v = in.getLong(ordinal);
            case INT -> v = in.getInt(ordinal);
            case SHORT -> v = in.getShort(ordinal);
            case BYTE -> v = in.getByte(ordinal);
            case DECIMAL -> v = in.getDecimal(ordinal, decimal.precision(), decimal.scale()).toDouble();
            case STRING -> {
                String text = in.getUTF8String(ordinal).toString();
                NumberText.Status status = number.parse(text);
                if (status == NumberText.Status.MISSING) {
                    return fail(QuarantineReason.MISSING_FEATURE, "feature '" + spec.featureNames().get(i) + "' is empty");
                } else if (status == NumberText.Status.NON_NUMERIC) {
                    return fail(QuarantineReason.NON_NUMERIC_FEATURE, "feature '" + spec.featureNames().get(i)
                            + "' is not a number: '" + text + "'");
                } else if (status == NumberText.Status.NON_FINITE) {
                    return fail(QuarantineReason.NON_FINITE_FEATURE, "feature '" + spec.featureNames().get(i)
                            + "' is not finite: '" + text + "'");
                }
                v = number.value;
            }
            default -> throw new IllegalStateException("feature kind " + kind);
        }
        if (!Double.isFinite(v)) {
            return fail(QuarantineReason.NON_FINITE_FEATURE, "feature '" + spec.featureNames().get(i) + "' is not finite: " + v);
        }
        features[base + i] = v;
        return null;
    }

    private QuarantineReason readVector(InternalRow in) {
        int ordinal = spec.featureOrdinal();
        int size = spec.inputSize();
        if (in.isNullAt(ordinal)) {
            return fail(QuarantineReason.MISSING_FEATURE, "the feature vector is missing");
        }
        ArrayData values;
        if (vectorIsStruct) {
            InternalRow vector = in.getStruct(ordinal, 4);
            if (vector.isNullAt(3)) {
                return fail(QuarantineReason.MALFORMED_RECORD, "the feature vector has no values");
            }
            values = vector.getArray(3);
            boolean dense = !vector.isNullAt(0) && vector.getByte(0) == 1;
            if (!dense) {
                if (vector.isNullAt(1) || vector.isNullAt(2)) {
                    return fail(QuarantineReason.MALFORMED_RECORD, "a sparse feature vector without size or indices");
                }
                int declared = vector.getInt(1);
                if (declared != size) {
                    return fail(QuarantineReason.WRONG_FIELD_COUNT, "the feature vector has size " + declared
                            + ", the network takes " + size);
                }
                ArrayData indices = vector.getArray(2);
                if (indices.numElements() != values.numElements()) {
                    return fail(QuarantineReason.MALFORMED_RECORD, "a sparse feature vector with "
                            + indices.numElements() + " indices and " + values.numElements() + " values");
                }
                java.util.Arrays.fill(features, base, base + size, 0.0);
                for (int k = 0; k < indices.numElements(); k++) {
                    int index = indices.getInt(k);
                    if (index < 0 || index >= size) {
                        return fail(QuarantineReason.MALFORMED_RECORD, "sparse index " + index + " outside [0, " + size + ")");
                    }
                    double v = values.getDouble(k);
                    if (!Double.isFinite(v)) {
                        return fail(QuarantineReason.NON_FINITE_FEATURE, "feature '" + spec.featureNames().get(index)
                                + "' is not finite: " + v);
                    }
                    features[base + index] = v;
                }
                return null;
            }
        } else {
            values = in.getArray(ordinal);
        }
        if (values.numElements() != size) {
            return fail(QuarantineReason.WRONG_FIELD_COUNT, "the feature vector has " + values.numElements()
                    + " values, the network takes " + size);
        }
        for (int i = 0; i < size; i++) {
            if (values.isNullAt(i)) {
                return fail(QuarantineReason.MISSING_FEATURE, "feature '" + spec.featureNames().get(i) + "' is missing");
            }
            double v = switch (vectorElementKind) {
                case DOUBLE -> values.getDouble(i);
                case FLOAT -> values.getFloat(i);
                case LONG -> values.getLong(i);
                case INT -> values.getInt(i);
                case SHORT -> values.getShort(i);
                case BYTE -> values.getByte(i);
                default -> throw new IllegalStateException("vector element kind " + vectorElementKind);
            };
            if (!Double.isFinite(v)) {
                return fail(QuarantineReason.NON_FINITE_FEATURE, "feature '" + spec.featureNames().get(i) + "' is not finite: " + v);
            }
            features[base + i] = v;
        }
        return null;
    }

    /** Reads the labels into {@code labels}; false when one is missing or unusable for the task. */
    private boolean readLabels(InternalRow in, double[] labels) {
        int l0 = spec.labelOrdinal();
        for (int j = 0; j < labelKinds.length; j++) {
            int ordinal = l0 + j;
            if (in.isNullAt(ordinal)) {
                return false;
            }
            switch (labelKinds[j]) {
                case DOUBLE -> labels[j] = in.getDouble(ordinal);
                case FLOAT -> labels[j] = in.getFloat(ordinal);
                case LONG -> labels[j] = in.getLong(ordinal);
                case INT -> labels[j] = in.getInt(ordinal);
                case SHORT -> labels[j] = in.getShort(ordinal);
                case BYTE -> labels[j] = in.getByte(ordinal);
                case BOOLEAN -> labels[j] = in.getBoolean(ordinal) ? 1 : 0;
                case DECIMAL -> labels[j] = in.getDecimal(ordinal, labelDecimals[j].precision(), labelDecimals[j].scale()).toDouble();
                case STRING -> {
                    String text = in.getUTF8String(ordinal).toString();
                    if (number.parse(text) == NumberText.Status.OK) {
                        labels[j] = number.value;
                    } else if (spec.task() != Task.REGRESSION && classIndex.containsKey(text.strip())) {
                        labels[j] = classIndex.get(text.strip());
                    } else {
                        return false;
                    }
                }
                default -> throw new IllegalStateException("label kind " + labelKinds[j]);
            }
        }
        return labelRules.isValidLabel(labels);
    }

    /** With {@code copy}, values that point into {@code in} (strings, arrays, structs) are copied. */
    private void copyPassThrough(InternalRow in, SpecificInternalRow out, boolean none, boolean copy) {
        for (int i = 0; i < passThroughReaders.length; i++) {
            if (none || in.isNullAt(i)) {
                out.setNullAt(layout.passThrough + i);
            } else {
                Object value = passThroughReaders[i].apply(in, i);
                out.update(layout.passThrough + i, copy ? SparkInternals.copyValue(value) : value);
            }
        }
    }
}
