package io.annscore.job.rows;

import io.annscore.metrics.MetricStats;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.Scorer;
import io.annscore.network.OutputValues;
import io.annscore.network.Precision;
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
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Turns projected input rows ({@link RowSpec} layout) into prediction rows and quarantine
 * rows ({@link OutputLayout}), each in the exact schema of its output files. One instance per
 * partition. Knows nothing of Spark's scheduling, so it is unit-tested on hand-made rows.
 *
 * <p>A row goes through four steps: its columns are decoded by one {@link ColumnReader} per
 * column, chosen from the column types when the engine is made (not per row); the quarantine
 * checks; the network, a block of rows at a time; the output row.
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
    private final RowSpec spec;
    private final OutputLayout layout;
    private final OutputSpec outputSpec;
    private final Scorer scorer;
    private final MetricStats labelRules;
    /** The queued rows' features, one after another (inputSize each); check() writes at slot {@link #queued}. */
    private final double[] features;
    private final double[] blockOutputs;
    /** Per queued row: the probabilities (a classifier) or outputs (regression). */
    private final double[][] outputs;
    /** Per queued row, when the layout writes values other than the probabilities: the last layer's own. */
    private final double[][] rawOutputs;
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
    /**
     * Per queued row: where its pass-through values are kept, at ordinals 0..: its prediction row
     * when that holds them, else a row of their own (a quarantine row after scoring needs them).
     */
    private final SpecificInternalRow[] passThroughHolders;
    /** One reader per feature column, or null for a vector column. */
    private final ColumnReader[] featureReaders;
    /** The vector column's elements (array columns; a vector struct's values are doubles). */
    private final ColumnReader vectorElements;
    private final boolean vectorIsStruct;
    private final ColumnReader[] labelReaders;
    private final UTF8String[] classLabels;
    private final UTF8String[] reasonCodes;

    private final scala.Function2<SpecializedGetters, Object, Object>[] passThroughReaders;
    private final SpecificInternalRow quarantine;

    private String failureDetail;
    private int failedFeature = -1;
    /** The profile the scored rows' features and outputs go into, or null ({@link #profileInto}). */
    private io.annscore.metrics.ColumnProfiles profile;
    private int queued;
    /** Where check() writes the row's features: slot {@code queued}'s offset in {@link #features}. */
    private int base;

    public RowEngine(RowSpec spec, Network network) {
        this(spec, network, OutputLayout.Choice.ARRAYS);
    }

    /** Writes the columns {@code choice} asks for, in its layout ({@link OutputLayout}). */
    public RowEngine(RowSpec spec, Network network, OutputLayout.Choice choice) {
        this(spec, network, choice, Precision.FLOAT64);
    }

    /** Writes the columns {@code choice} asks for, computing in {@code precision}. */
    public RowEngine(RowSpec spec, Network network, OutputLayout.Choice choice, Precision precision) {
        if (network.inputSize() != spec.inputSize() || network.outputSize() != spec.outputSize()) {
            throw new IllegalStateException("the network does not match the plan: " + network.inputSize() + "→"
                    + network.outputSize() + " vs " + spec.inputSize() + "→" + spec.outputSize());
        }
        this.spec = spec;
        this.outputSpec = network.output();
        this.layout = new OutputLayout(spec, outputSpec.values() != OutputValues.PROBABILITIES, choice);
        this.predictions = new SpecificInternalRow[Scorer.BLOCK];
        this.passThroughHolders = new SpecificInternalRow[Scorer.BLOCK];
        for (int k = 0; k < Scorer.BLOCK; k++) {
            predictions[k] = new SpecificInternalRow(layout.predictionSchema());
            passThroughHolders[k] = layout.passThrough >= 0 ? predictions[k]
                    : new SpecificInternalRow(scala.jdk.javaapi.CollectionConverters.asScala(spec.passThroughTypes()).toSeq());
        }
        @SuppressWarnings("unchecked")
        scala.Function2<SpecializedGetters, Object, Object>[] readers = new scala.Function2[spec.passThroughCount()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = SparkInternals.accessor(spec.passThroughTypes().get(i));
        }
        this.passThroughReaders = readers;
        this.quarantine = new SpecificInternalRow(layout.quarantineSchema());
        // Logits and log-probabilities written besides the probabilities: the scorer gives them as
        // they are, and the probabilities are made here (the same steps the scorer would take).
        this.scorer = layout.rawOutputs && layout.outputs >= 0 ? network.newRawScorer(precision)
                : network.newScorer(precision);
        this.labelRules = MetricStats.create(spec.task(), spec.outputSize(), spec.threshold(), spec.metrics());
        this.features = new double[Scorer.BLOCK * spec.inputSize()];
        this.blockOutputs = new double[Scorer.BLOCK * spec.outputSize()];
        this.outputs = new double[Scorer.BLOCK][spec.outputSize()];
        this.rawOutputs = layout.rawOutputs && layout.outputs >= 0 ? new double[Scorer.BLOCK][spec.outputSize()] : null;
        this.labels = new double[Scorer.BLOCK][Math.max(1, spec.labelCount())];
        this.labelled = new boolean[Scorer.BLOCK];
        this.finite = new boolean[Scorer.BLOCK];
        this.queuedFile = new UTF8String[Scorer.BLOCK];
        this.queuedRecord = spec.hasCsvRecord() ? new ArrayData[Scorer.BLOCK] : null;
        this.quoteText = UTF8String.fromString(String.valueOf(spec.csvQuote()));
        this.weights = new double[Scorer.BLOCK];

        // The decoding step: one reader per column, chosen here from the column's type.
        if (spec.hasVector()) {
            featureReaders = null;
            vectorIsStruct = !(spec.vectorType() instanceof ArrayType);
            vectorElements = vectorIsStruct ? null : ColumnReader.feature(((ArrayType) spec.vectorType()).elementType());
        } else {
            featureReaders = new ColumnReader[spec.featureTypes().size()];
            for (int i = 0; i < featureReaders.length; i++) {
                featureReaders[i] = ColumnReader.feature(spec.featureTypes().get(i));
            }
            vectorIsStruct = false;
            vectorElements = null;
        }
        List<String> names = spec.classNames();
        Map<String, Integer> classIndex = new HashMap<>();
        classLabels = new UTF8String[names.size()];
        for (int k = 0; k < names.size(); k++) {
            classIndex.put(names.get(k), k);
            classLabels[k] = UTF8String.fromString(names.get(k));
        }
        labelReaders = new ColumnReader[spec.labelCount()];
        for (int j = 0; j < labelReaders.length; j++) {
            labelReaders[j] = ColumnReader.label(spec.labelTypes().get(j), classIndex);
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
            copyPassThrough(in, out, 0, malformedCsv, false);
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
        copyPassThrough(in, passThroughHolders[k], 0, false, true);
        labelled[k] = spec.labelCount() > 0 && readLabels(in, labels[k]);
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
        if (rawOutputs != null) {
            for (int k = 0; k < queued; k++) {
                System.arraycopy(blockOutputs, k * size, rawOutputs[k], 0, size);
                outputSpec.toProbabilities(blockOutputs, k * size, size);
            }
        }
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
        SpecificInternalRow from = passThroughHolders[k];
        for (int i = 0; i < spec.passThroughCount(); i++) {
            if (from.isNullAt(i)) {
                out.setNullAt(i);
            } else {
                out.update(i, passThroughReaders[i].apply(from, i));
            }
        }
        int r = layout.reason;
        out.update(r, reasonCodes[QuarantineReason.NON_FINITE_OUTPUT.ordinal()]);
        failureDetail = nonFiniteDetail(outputs[k]);
        failedFeature = -1;
        out.update(r + 1, UTF8String.fromString(failureDetail));
        if (queuedRecord != null) {
            out.update(r + 2, UTF8String.fromString(renderRecord(queuedRecord[k])));
        } else if (spec.csv()) {
            out.setNullAt(r + 2);
        } else {
            int size = spec.inputSize();
            out.update(r + 2, UTF8String.fromString(RecordJson.ofScored(from, 0, spec, passThroughReaders,
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

    /** The output step: the columns of the layout, from the row's probabilities (or outputs) {@code o}. */
    private void fill(SpecificInternalRow out, double[] o, int k) {
        if (layout.outputs >= 0) {
            putVector(out, layout.outputs, rawOutputs != null ? rawOutputs[k] : o);
        }
        if (layout.prediction >= 0) {
            switch (spec.task()) {
                case REGRESSION -> out.setDouble(layout.prediction, o[0]);
                case BINARY -> out.setDouble(layout.prediction, outputSpec.positiveProbability(o));
                case MULTICLASS -> putVector(out, layout.prediction, o);
            }
        }
        if (layout.predictedClass >= 0 || layout.predictedLabel >= 0) {
            int c = outputSpec.predictedClass(o);
            if (layout.predictedClass >= 0) {
                out.setInt(layout.predictedClass, c);
            }
            if (layout.predictedLabel >= 0) {
                out.update(layout.predictedLabel, classLabels[c]);
            }
        }
        if (layout.loss >= 0) {
            if (labelled[k]) {
                out.setDouble(layout.loss, labelRules.rowLoss(o, labels[k]));
            } else {
                out.setNullAt(layout.loss);
            }
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

    private void putVector(SpecificInternalRow out, int at, double[] values) {
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
        ColumnReader[] readers = featureReaders;
        for (int i = 0; i < readers.length; i++) {
            int ordinal = f0 + i;
            if (in.isNullAt(ordinal)) {
                return failFeature(QuarantineReason.MISSING_FEATURE, i, "is missing");
            }
            double v = readers[i].read(in, ordinal);
            if (!Double.isFinite(v)) {
                return badFeature(readers[i], i, v);
            }
            features[base + i] = v;
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

    /** The feature whose value quarantined the last row (missing, not a number, not finite), or −1. */
    public int failedFeature() {
        return failedFeature;
    }

    private QuarantineReason fail(QuarantineReason reason, String detail) {
        failureDetail = detail;
        failedFeature = -1;
        return reason;
    }

    private QuarantineReason failFeature(QuarantineReason reason, int feature, String what) {
        failureDetail = "feature '" + spec.featureNames().get(feature) + "' " + what;
        failedFeature = feature;
        return reason;
    }

    private QuarantineReason badFeature(ColumnReader reader, int i, double v) {
        return failFeature(reader.failure(), i, reader.failureDetail(v));
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
                        return failFeature(QuarantineReason.NON_FINITE_FEATURE, index, "is not finite: " + v);
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
                return failFeature(QuarantineReason.MISSING_FEATURE, i, "is missing");
            }
            double v = vectorIsStruct ? values.getDouble(i) : vectorElements.read(values, i);
            if (!Double.isFinite(v)) {
                return vectorIsStruct ? failFeature(QuarantineReason.NON_FINITE_FEATURE, i, "is not finite: " + v)
                        : badFeature(vectorElements, i, v);
            }
            features[base + i] = v;
        }
        return null;
    }

    /** Reads the labels into {@code labels}; false when one is missing or unusable for the task. */
    private boolean readLabels(InternalRow in, double[] labels) {
        int l0 = spec.labelOrdinal();
        for (int j = 0; j < labelReaders.length; j++) {
            if (in.isNullAt(l0 + j)) {
                return false;
            }
            labels[j] = labelReaders[j].read(in, l0 + j);
        }
        return labelRules.isValidLabel(labels);
    }

    /** With {@code copy}, values that point into {@code in} (strings, arrays, structs) are copied. */
    private void copyPassThrough(InternalRow in, SpecificInternalRow out, int at, boolean none, boolean copy) {
        for (int i = 0; i < passThroughReaders.length; i++) {
            if (none || in.isNullAt(i)) {
                out.setNullAt(at + i);
            } else {
                Object value = passThroughReaders[i].apply(in, i);
                out.update(at + i, copy ? SparkInternals.copyValue(value) : value);
            }
        }
    }
}
