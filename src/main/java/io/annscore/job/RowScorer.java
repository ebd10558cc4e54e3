package io.annscore.job;

import io.annscore.metrics.MetricStats;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.Scorer;
import io.annscore.network.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
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
 * Turns one projected input row ({@link ScoringSpec} layout) into one output row
 * ({@link OutputLayout}): scored, or quarantined with a reason. One instance per partition (it
 * holds the scorer's scratch space and the feature and label buffers, reused for every row); it
 * allocates per row only the output row and what it holds, and, for text input, the strings of
 * the fields. Knows nothing of Spark's scheduling, so it is unit-tested on hand-made rows.
 *
 * <p>Checks, in order: a CSV record the reader flagged as corrupt ({@code wrong_field_count} or
 * {@code malformed_record}, told apart by re-splitting the raw line); then each feature in the
 * network's input order, the first bad one giving the reason ({@code missing_feature},
 * {@code non_numeric_feature}, {@code non_finite_feature}; for a vector column also
 * {@code wrong_field_count} for another size and {@code malformed_record} for indices that do not
 * fit). A row with good features is scored; its labels, when missing or invalid (not a number, not
 * a class of the network, not finite), leave {@code loss} and {@code _labels} null.
 */
final class RowScorer {
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

    private final ScoringSpec spec;
    private final OutputLayout layout;
    private final OutputSpec outputSpec;
    private final Scorer scorer;
    private final MetricStats labelRules;
    private final double[] features;
    private final double[] labels;
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

    private QuarantineReason failure;
    private String failureDetail;

    RowScorer(ScoringSpec spec, Network network) {
        if (network.inputSize() != spec.inputSize() || network.outputSize() != spec.outputSize()) {
            throw new IllegalStateException("the network does not match the plan: " + network.inputSize() + "→"
                    + network.outputSize() + " vs " + spec.inputSize() + "→" + spec.outputSize());
        }
        this.spec = spec;
        this.layout = new OutputLayout(spec);
        this.outputSpec = network.output();
        this.scorer = network.newScorer();
        this.labelRules = MetricStats.create(spec.task(), spec.outputSize(), spec.threshold(), spec.metrics());
        this.features = new double[spec.inputSize()];
        this.labels = new double[Math.max(1, spec.labelCount())];
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

    /** Scores or quarantines one row; the result shares nothing with {@code in}. */
    InternalRow process(InternalRow in) {
        QuarantineReason reason = check(in);
        Object[] out = new Object[layout.width];
        if (reason != null) {
            out[0] = OutputLayout.QUARANTINED;
            if (reason != QuarantineReason.MALFORMED_RECORD || !spec.csv()) {
                copyPassThrough(in, out);
            }
            out[layout.reason] = reasonCodes[reason.ordinal()];
            out[layout.reason + 1] = UTF8String.fromString(failureDetail);
            if (spec.csv() && !in.isNullAt(spec.corruptOrdinal())) {
                out[layout.reason + 2] = in.getUTF8String(spec.corruptOrdinal()).copy();
            }
        } else {
            out[0] = OutputLayout.SCORED;
            copyPassThrough(in, out);
            double[] outputs = scorer.score(features);
            ArrayData outputArray = UnsafeArrayData.fromPrimitiveArray(outputs);
            out[layout.outputs] = outputArray;
            switch (spec.task()) {
                case REGRESSION -> {
                    if (layout.prediction >= 0) {
                        out[layout.prediction] = outputs[0];
                    }
                }
                case BINARY -> {
                    out[layout.prediction] = outputSpec.positiveProbability(outputs);
                    out[layout.predictedClass] = outputSpec.predictedClass(outputs);
                }
                case MULTICLASS -> {
                    out[layout.prediction] = outputArray;
                    int c = outputSpec.predictedClass(outputs);
                    out[layout.predictedClass] = c;
                    if (layout.predictedLabel >= 0) {
                        out[layout.predictedLabel] = classLabels[c];
                    }
                }
            }
            if (layout.loss >= 0 && readLabels(in)) {
                out[layout.loss] = labelRules.rowLoss(outputs, labels);
                out[layout.labels] = UnsafeArrayData.fromPrimitiveArray(labels);
            }
        }
        int s0 = spec.segmentOrdinal();
        for (int i = 0; i < spec.segmentCount(); i++) {
            if (!in.isNullAt(s0 + i) && !(reason == QuarantineReason.MALFORMED_RECORD && spec.csv())) {
                out[layout.segments + i] = in.getUTF8String(s0 + i).copy();
            }
        }
        if (reason != null && !in.isNullAt(spec.fileOrdinal())) {
            out[layout.reason + 3] = in.getUTF8String(spec.fileOrdinal()).copy();
        }
        return new GenericInternalRow(out);
    }

    /**
     * Reads the row's features into the buffer; returns null when they are all usable, else the
     * reason (and sets the detail). Scores nothing.
     */
    QuarantineReason check(InternalRow in) {
        failure = null;
        if (spec.csv() && !in.isNullAt(spec.corruptOrdinal())) {
            String raw = in.getUTF8String(spec.corruptOrdinal()).toString();
            char escape = InputSource.CSV_ESCAPE;
            int fields = CsvLine.fieldCount(raw, spec.csvDelimiter(), spec.csvQuote(), escape);
            QuarantineReason r = CsvLine.classifyCorrupt(raw, spec.csvDelimiter(), spec.csvQuote(), escape, spec.csvFieldCount());
            return fail(r, r == QuarantineReason.WRONG_FIELD_COUNT
                    ? "the record has " + fields + " fields, the header " + spec.csvFieldCount()
                    : fields < 0 ? "a quote is never closed" : "the line is no record of " + spec.csvFieldCount() + " fields");
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

    /** The detail of the last quarantine decision (which feature, what was wrong). */
    String failureDetail() {
        return failureDetail;
    }

    private QuarantineReason fail(QuarantineReason reason, String detail) {
        failure = reason;
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
                int status = number.parse(text);
                if (status == NumberText.MISSING) {
                    return fail(QuarantineReason.MISSING_FEATURE, "feature '" + spec.featureNames().get(i) + "' is empty");
                } else if (status == NumberText.NON_NUMERIC) {
                    return fail(QuarantineReason.NON_NUMERIC_FEATURE, "feature '" + spec.featureNames().get(i)
                            + "' is not a number: '" + text + "'");
                } else if (status == NumberText.NON_FINITE) {
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
        features[i] = v;
        return null;
    }

    private QuarantineReason readVector(InternalRow in) {
        int ordinal = spec.featureOrdinal();
        int size = features.length;
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
                java.util.Arrays.fill(features, 0.0);
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
                    features[index] = v;
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
            features[i] = v;
        }
        return null;
    }

    /** Reads the labels into the buffer; false when one is missing or unusable for the task. */
    private boolean readLabels(InternalRow in) {
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
                    if (number.parse(text) == NumberText.OK) {
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

    private void copyPassThrough(InternalRow in, Object[] out) {
        for (int i = 0; i < spec.passThroughCount(); i++) {
            if (!in.isNullAt(i)) {
                out[layout.passThrough + i] = SparkInternals.copyValue(in.get(i, spec.passThroughTypes().get(i)));
            }
        }
    }
}
