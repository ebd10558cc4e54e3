package io.annscore.job.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.network.Activation;
import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.Summation;
import io.annscore.network.Task;
import io.annscore.testing.MllibStyleVectorUDT;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The per-row logic on hand-made rows, without a Spark session. */
class RowEngineTest {
    // y = 1·a + 2·b + 0.5 (identity), a regression network with named inputs a, b
    private static final Network LINEAR = new Network(ModelInfo.named("linear"), InputSpec.named(List.of("a", "b")),
            List.of(new Layer(new double[][] {{1, 2}}, new double[] {0.5}, Summation.WEIGHTED_SUM, Activation.IDENTITY, Map.of())),
            OutputSpec.of(Task.REGRESSION));

    // softmax over (a, −a, 0): three classes named x, y, z
    private static final Network CLASSES = new Network(ModelInfo.named("classes"), InputSpec.named(List.of("a")),
            List.of(new Layer(new double[][] {{1}, {-1}, {0}}, new double[] {0, 0, 0}, Summation.WEIGHTED_SUM, Activation.SOFTMAX, Map.of())),
            new OutputSpec(Task.MULTICLASS, List.of("x", "y", "z"), 0.5));

    /** CSV layout: id, a, b, label (all text), corrupt record, file. */
    private static RowSpec csvSpec(Network n, int features) {
        List<DataType> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < features; i++) {
            types.add(DataTypes.StringType);
            names.add(n.input().features().get(i));
        }
        return new RowSpec(List.of("id"), List.of(DataTypes.StringType), names, types, null, List.of(DataTypes.StringType),
                0, true, ",", '"', features + 2, n.task(), n.inputSize(), n.outputSize(), n.output().classNames(),
                n.output().threshold(), List.of(), -1);
    }

    private static InternalRow row(Object... values) {
        Object[] v = new Object[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i] instanceof String s ? UTF8String.fromString(s) : values[i];
        }
        return new GenericInternalRow(v);
    }

    @Test
    void rowsQueuedAndScoredInBlocksGiveWhatEachGivesAlone() {
        // Given rows whose id lives in one reused buffer (as a reader's rows do), every fifth row bad
        RowEngine alone = new RowEngine(csvSpec(LINEAR, 2), LINEAR);
        RowEngine queued = new RowEngine(csvSpec(LINEAR, 2), LINEAR);
        OutputLayout l = alone.layout();
        byte[] id = new byte[2];
        List<String> expected = new ArrayList<>();
        List<String> got = new ArrayList<>();
        int rows = 2 * io.annscore.network.Scorer.BLOCK + 3;
        for (int r = 0; r < rows; r++) {
            id[0] = (byte) ('a' + r / 10);
            id[1] = (byte) ('0' + r % 10);
            String label = r % 3 == 0 ? "oops" : Integer.toString(r);   // every third label unusable
            InternalRow in = row(UTF8String.fromBytes(id), r % 5 == 4 ? "x" : Double.toString(r * 0.25), "1.5", label, null, "f");
            // When each row is scored alone, and the same rows are queued and scored a block at a time
            if (alone.process(in) == null) {
                expected.add(describe(alone.predictionRow(0), l, alone.outputs(0), alone.labelled(0)));
            }
            if (queued.add(in) == null && queued.full()) {
                drain(queued, l, got);
            }
        }
        drain(queued, l, got);
        // Then the predictions are the same, in the same order, each with its own id
        assertEquals(rows - rows / 5, got.size());
        assertEquals(expected, got);
        // y = a + 2·1.5 + 0.5; row 0's label is unusable; row 1: (3.75 − 1)² = 7.5625
        assertEquals("a0|3.5|3.5|null", got.get(0));
        assertEquals("a1|3.75|3.75|7.5625", got.get(1));
    }

    private static void drain(RowEngine scorer, OutputLayout l, List<String> into) {
        scorer.scoreQueued();
        for (int k = 0; k < scorer.queued(); k++) {
            into.add(describe(scorer.predictionRow(k), l, scorer.outputs(k), scorer.labelled(k)));
        }
        scorer.clear();
    }

    /** id | output (from the row and from outputs()) | loss, and whether labelled() agrees with the loss. */
    private static String describe(InternalRow out, OutputLayout l, double[] outputs, boolean labelled) {
        return out.getUTF8String(l.passThrough) + "|" + out.getDouble(l.prediction) + "|" + outputs[0] + "|"
                + (out.isNullAt(l.loss) ? "null" : Double.toString(out.getDouble(l.loss)))
                + (labelled == out.isNullAt(l.loss) ? "|labelled() disagrees with the loss" : "");
    }

    @Test
    void aGoodRowIsScoredWithItsLoss() {
        RowEngine scorer = new RowEngine(csvSpec(LINEAR, 2), LINEAR);
        OutputLayout l = scorer.layout();
        assertNull(scorer.process(row("7", "1.0", " 2", "3", null, "file:/in.csv")));
        InternalRow out = scorer.predictionRow(0);
        // one output: its value is written once, as the prediction
        assertEquals(List.of("id", "prediction", "loss"), List.of(l.predictionSchema().fieldNames()));
        assertEquals(-1, l.outputs);
        assertEquals("7", out.getUTF8String(l.passThrough).toString());
        assertEquals(5.5, out.getDouble(l.prediction));
        assertEquals(6.25, out.getDouble(l.loss)); // (5.5 − 3)²
        assertTrue(scorer.labelled(0));
        assertEquals(3.0, scorer.labels(0)[0]);
    }

    @Test
    void aRowWithAnUnusableLabelIsScoredWithoutLoss() {
        RowEngine scorer = new RowEngine(csvSpec(LINEAR, 2), LINEAR);
        OutputLayout l = scorer.layout();
        for (String label : Arrays.asList("oops", "", null, "NaN")) {
            assertNull(scorer.process(row("7", "1", "2", label, null, "f")));
            InternalRow out = scorer.predictionRow(0);
            assertEquals(5.5, out.getDouble(l.prediction));
            assertTrue(out.isNullAt(l.loss), "loss for label " + label);
            assertFalse(scorer.labelled(0));
        }
    }

    @Test
    void badFeaturesAreQuarantinedWithTheirReason() {
        RowEngine scorer = new RowEngine(csvSpec(LINEAR, 2), LINEAR);
        OutputLayout l = scorer.layout();
        Object[][] cases = {
            {"", "2", "missing_feature", "feature 'a' is empty"},
            {null, "2", "missing_feature", "feature 'a' is missing"},
            {"1", "n/a", "non_numeric_feature", "feature 'b' is not a number: 'n/a'"},
            {"NaN", "2", "non_finite_feature", "feature 'a' is not finite: 'NaN'"},
            {"1", "-Infinity", "non_finite_feature", "feature 'b' is not finite: '-Infinity'"},
        };
        for (Object[] c : cases) {
            assertEquals(c[2], scorer.process(row("9", c[0], c[1], "1", null, "file:/in.csv")).code());
            InternalRow out = scorer.quarantineRow();
            assertEquals(List.of("id", "reason", "detail", "raw_record", "input_file"),
                    List.of(l.quarantineSchema().fieldNames()));
            assertEquals("9", out.getUTF8String(l.passThrough).toString());
            assertEquals(c[2], out.getUTF8String(l.reason).toString());
            assertEquals(c[3], out.getUTF8String(l.reason + 1).toString());
            assertTrue(out.isNullAt(l.reason + 2), "no raw record for a parsed record");
            assertEquals("file:/in.csv", out.getUTF8String(l.reason + 3).toString());
        }
    }

    @Test
    void corruptRecordsAreWrongFieldCountsOrMalformed() {
        RowEngine scorer = new RowEngine(csvSpec(LINEAR, 2), LINEAR);
        OutputLayout l = scorer.layout();
        scorer.process(row("5", "1", null, null, "5,1", "f"));
        InternalRow tooFew = scorer.quarantineRow();
        assertEquals("wrong_field_count", tooFew.getUTF8String(l.reason).toString());
        assertEquals("the record has 2 fields, the header 4", tooFew.getUTF8String(l.reason + 1).toString());
        assertEquals("5", tooFew.getUTF8String(l.passThrough).toString());
        assertEquals("5,1", tooFew.getUTF8String(l.reason + 2).toString());

        scorer.process(row("#### junk", null, null, null, "#### junk", "f"));
        InternalRow junk = scorer.quarantineRow();
        assertEquals("malformed_record", junk.getUTF8String(l.reason).toString());
        assertTrue(junk.isNullAt(l.passThrough), "no pass-through from a line that is no record");
        assertEquals("#### junk", junk.getUTF8String(l.reason + 2).toString());
    }

    @Test
    void multiclassRowsGetProbabilitiesClassAndLabel() {
        RowEngine scorer = new RowEngine(csvSpec(CLASSES, 1), CLASSES);
        OutputLayout l = scorer.layout();
        assertNull(scorer.process(row("1", "2", "y", null, "f"))); // label given by class name
        InternalRow out = scorer.predictionRow(0);
        double e2 = Math.exp(2);
        double e0 = 1;
        double em2 = Math.exp(-2);
        double sum = e2 + em2 + e0;
        assertEquals(e2 / sum, out.getArray(l.prediction).getDouble(0), 1e-15);
        assertEquals(0, out.getInt(l.predictedClass));
        assertEquals("x", out.getUTF8String(l.predictedLabel).toString());
        assertEquals(1.0, scorer.labels(0)[0]);
        assertEquals(-Math.log(em2 / sum), out.getDouble(l.loss), 1e-12);
        assertNull(scorer.process(row("1", "2", "3", null, "f"))); // class 3 does not exist
        assertTrue(scorer.predictionRow(0).isNullAt(l.loss));
        assertFalse(scorer.labelled(0));
    }

    @Test
    void multiOutputRegressionTakesOneLabelPerOutputInOrder() {
        // y0 = a, y1 = −a; labels (numeric columns) l0 = 1, l1 = 0
        Network two = new Network(ModelInfo.named("two"), InputSpec.named(List.of("a")),
                List.of(new Layer(new double[][] {{1}, {-1}}, new double[] {0, 0}, Summation.WEIGHTED_SUM, Activation.IDENTITY, Map.of())),
                OutputSpec.of(Task.REGRESSION));
        RowSpec spec = new RowSpec(List.of(), List.of(), List.of("a"), List.of(DataTypes.DoubleType), null,
                List.of(DataTypes.DoubleType, DataTypes.IntegerType), 0, false, ",", '"', 0, Task.REGRESSION, 1, 2, List.of(),
                0.5, List.of(), -1);
        RowEngine scorer = new RowEngine(spec, two);
        OutputLayout l = scorer.layout();
        assertNull(scorer.process(row(3.0, 1.0, 0, "f")));
        InternalRow out = scorer.predictionRow(0);
        assertEquals(-1, l.prediction, "no single prediction column for 2 outputs");
        assertEquals(3.0, out.getArray(l.outputs).getDouble(0));
        assertEquals(-3.0, out.getArray(l.outputs).getDouble(1));
        assertEquals(((3 - 1) * (3 - 1) + (-3 - 0) * (-3 - 0)) / 2.0, out.getDouble(l.loss));
        assertNull(scorer.process(row(3.0, 1.0, null, "f")));
        assertTrue(scorer.predictionRow(0).isNullAt(l.loss));
    }

    /** Vector layout: id, vector, label (double), file. */
    private static RowSpec vectorSpec(DataType vectorType) {
        return new RowSpec(List.of("id"), List.of(DataTypes.StringType), List.of("a", "b"), null, vectorType,
                List.of(DataTypes.DoubleType), 0, false, ",", '"', 0, Task.REGRESSION, 2, 1, List.of(), 0.5, List.of(), -1);
    }

    @Test
    void vectorsDenseSparseAndBroken() {
        RowEngine scorer = new RowEngine(vectorSpec(MllibStyleVectorUDT.SQL_TYPE), LINEAR);
        OutputLayout l = scorer.layout();
        InternalRow dense = new GenericInternalRow(new Object[] {(byte) 1, null, null, UnsafeArrayData.fromPrimitiveArray(new double[] {1, 2})});
        InternalRow sparse = new GenericInternalRow(new Object[] {(byte) 0, 2, UnsafeArrayData.fromPrimitiveArray(new int[] {1}),
                UnsafeArrayData.fromPrimitiveArray(new double[] {3})});
        InternalRow outside = new GenericInternalRow(new Object[] {(byte) 0, 2, UnsafeArrayData.fromPrimitiveArray(new int[] {2}),
                UnsafeArrayData.fromPrimitiveArray(new double[] {3})});
        InternalRow bigger = new GenericInternalRow(new Object[] {(byte) 0, 3, UnsafeArrayData.fromPrimitiveArray(new int[] {0}),
                UnsafeArrayData.fromPrimitiveArray(new double[] {3})});
        assertEquals(5.5, predicted(scorer, row("1", dense, 0.0, "f")));
        assertEquals(6.5, predicted(scorer, row("2", sparse, 0.0, "f"))); // (0, 3)
        assertEquals("malformed_record", scorer.process(row("3", outside, 0.0, "f")).code());
        assertEquals("wrong_field_count", scorer.process(row("4", bigger, 0.0, "f")).code());
        assertEquals("missing_feature", scorer.process(row("5", null, 0.0, "f")).code());

        RowEngine arrays = new RowEngine(vectorSpec(DataTypes.createArrayType(DataTypes.DoubleType)), LINEAR);
        assertEquals(5.5, predicted(arrays, row("6", new GenericArrayData(new Object[] {1.0, 2.0}), 0.0, "f")));
        assertEquals("missing_feature", arrays.process(row("7", new GenericArrayData(new Object[] {1.0, null}), 0.0, "f")).code());
        assertEquals("non_finite_feature", arrays.process(row("8", new GenericArrayData(new Object[] {Double.NaN, 1.0}), 0.0, "f")).code());
        assertEquals("wrong_field_count", arrays.process(row("9", new GenericArrayData(new Object[] {1.0}), 0.0, "f")).code());
        assertNull(arrays.check(row("10", new GenericArrayData(new Object[] {1.0, 2.0}), 0.0, "f")));
    }

    // softmax over (10a, −10a, 0): a = 1e308 makes the logits +∞, −∞, 0 and every probability NaN
    private static final Network STEEP = new Network(ModelInfo.named("steep"), InputSpec.named(List.of("a")),
            List.of(new Layer(new double[][] {{10}, {-10}, {0}}, new double[] {0, 0, 0}, Summation.WEIGHTED_SUM, Activation.SOFTMAX, Map.of())),
            new OutputSpec(Task.MULTICLASS, List.of("x", "y", "z"), 0.5));

    @Test
    void aLinearOutputThatOverflowsIsQuarantinedNotPredicted() {
        // Given finite features whose weighted sum 1e308 + 2·1e308 + 0.5 is beyond the range of a double
        RowEngine scorer = new RowEngine(csvSpec(LINEAR, 2), LINEAR);
        OutputLayout l = scorer.layout();
        // When scored, then the row is quarantined with the output and its value named
        assertEquals("non_finite_output", scorer.process(row("7", "1e308", "1e308", "3", null, "file:/in.csv")).code());
        InternalRow q = scorer.quarantineRow();
        assertEquals("7", q.getUTF8String(l.passThrough).toString());
        assertEquals("non_finite_output", q.getUTF8String(l.reason).toString());
        assertEquals("the network's output is not finite: output 0 = Infinity", q.getUTF8String(l.reason + 1).toString());
        assertEquals("file:/in.csv", q.getUTF8String(l.reason + 3).toString());
        // and −1e308 − 2·1e308 gives −∞
        assertEquals("non_finite_output", scorer.process(row("8", "-1e308", "-1e308", "3", null, "f")).code());
        assertEquals("the network's output is not finite: output 0 = -Infinity", scorer.failureDetail());
        // while 1e308 alone (1e308 + 2 + 0.5 rounds to 1e308) is a finite prediction
        assertEquals(1e308, predicted(scorer, row("9", "1e308", "1", "3", null, "f")));
    }

    @Test
    void aSoftmaxOverInfiniteLogitsIsQuarantinedWithEveryNaNNamed() {
        RowEngine scorer = new RowEngine(csvSpec(STEEP, 1), STEEP);
        assertEquals("non_finite_output", scorer.process(row("1", "1e308", "x", null, "f")).code());
        assertEquals("the network's output is not finite: output 0 ('x') = NaN, output 1 ('y') = NaN, output 2 ('z') = NaN",
                scorer.failureDetail());
        // a = 1: softmax(10, −10, 0), all finite
        assertNull(scorer.process(row("2", "1", "x", null, "f")));
        double sum = Math.exp(10) + Math.exp(-10) + 1;
        assertEquals(Math.exp(10) / sum, scorer.predictionRow(0).getArray(scorer.layout().prediction).getDouble(0), 1e-15);
    }

    @Test
    void inABlockOnlyTheNonFiniteRowsAreRejectedAndEachKeepsItsOwnIdAndFile() {
        // Given one full block of rows from two files, rows 2 and 5 overflowing
        RowEngine scorer = new RowEngine(csvSpec(LINEAR, 2), LINEAR);
        OutputLayout l = scorer.layout();
        byte[] id = new byte[1];
        for (int r = 0; r < io.annscore.network.Scorer.BLOCK; r++) {
            id[0] = (byte) ('0' + r);
            String a = r == 2 || r == 5 ? "1.7e308" : Integer.toString(r);
            assertNull(scorer.add(row(UTF8String.fromBytes(id), a, "1e307", "0", null, r < 4 ? "file:/one.csv" : "file:/two.csv")));
        }
        // When the block is scored
        scorer.scoreQueued();
        List<String> got = new ArrayList<>();
        for (int k = 0; k < scorer.queued(); k++) {
            if (scorer.scored(k)) {
                got.add(scorer.predictionRow(k).getUTF8String(l.passThrough) + "=" + scorer.predictionRow(k).getDouble(l.prediction));
            } else {
                InternalRow q = scorer.outputQuarantineRow(k);
                got.add(q.getUTF8String(l.passThrough) + ":" + q.getUTF8String(l.reason) + "@" + q.getUTF8String(l.reason + 3));
            }
        }
        // Then rows 2 and 5 (1.7e308 + 2e307 > the largest double) are quarantined with their own id
        // and file; the others are r + 2e307 + 0.5, which rounds to 2e307
        assertEquals(List.of("0=2.0E307", "1=2.0E307", "2:non_finite_output@file:/one.csv", "3=2.0E307",
                "4=2.0E307", "5:non_finite_output@file:/two.csv", "6=2.0E307", "7=2.0E307"), got);
    }

    /** Parquet layout: id (long), day (date), a, b (double), file. */
    private static RowSpec parquetSpec() {
        return new RowSpec(List.of("id", "day"), List.of(DataTypes.LongType, DataTypes.DateType), List.of("a", "b"),
                List.of(DataTypes.DoubleType, DataTypes.DoubleType), null, List.of(), 0, false, ",", '"', 0, Task.REGRESSION,
                2, 1, List.of(), 0.5, List.of(), -1);
    }

    @Test
    void parquetRowsGetTheirValuesAsJsonInRawRecordForEveryReason() {
        RowEngine scorer = new RowEngine(parquetSpec(), LINEAR);
        OutputLayout l = scorer.layout();
        int day = (int) java.time.LocalDate.of(2024, 5, 31).toEpochDay();
        assertEquals("missing_feature", scorer.process(row(42L, day, 1.5, null, "f")).code());
        assertEquals("{\"id\":42,\"day\":\"2024-05-31\",\"a\":1.5,\"b\":null}",
                scorer.quarantineRow().getUTF8String(l.reason + 2).toString());
        assertEquals("non_finite_feature", scorer.process(row(43L, null, Double.NaN, 1.0, "f")).code());
        assertEquals("{\"id\":43,\"day\":null,\"a\":\"NaN\",\"b\":1.0}",
                scorer.quarantineRow().getUTF8String(l.reason + 2).toString());
        assertEquals("non_finite_output", scorer.process(row(44L, day, 1e308, 1e308, "f")).code());
        assertEquals("{\"id\":44,\"day\":\"2024-05-31\",\"a\":1.0E308,\"b\":1.0E308}",
                scorer.quarantineRow().getUTF8String(l.reason + 2).toString());
    }

    /** The prediction of a row that must be scored. */
    private static double predicted(RowEngine scorer, InternalRow in) {
        assertNull(scorer.process(in));
        return scorer.predictionRow(0).getDouble(scorer.layout().prediction);
    }

    // logits (a, −a, 0) of three classes named x, y, z: identity output, declared logits
    private static final Network LOGITS = new Network(ModelInfo.named("logits"), InputSpec.named(List.of("a")),
            List.of(new Layer(new double[][] {{1}, {-1}, {0}}, new double[] {0, 0, 0}, Summation.WEIGHTED_SUM, Activation.IDENTITY, Map.of())),
            new OutputSpec(Task.MULTICLASS, List.of("x", "y", "z"), 0.5, io.annscore.network.OutputValues.LOGITS));

    @Test
    void aSoftmaxClassifierWritesItsProbabilitiesOnceAndALogitsOneAlsoItsLogits() {
        // Given the same softmax(a, −a, 0) computed by a softmax layer and from declared logits
        RowEngine softmax = new RowEngine(csvSpec(CLASSES, 1), CLASSES);
        RowEngine logits = new RowEngine(csvSpec(LOGITS, 1), LOGITS);
        // Then the softmax network writes no outputs (they are the probabilities), the logits one does
        assertEquals(List.of("id", "probability", "predicted_class", "predicted_label", "loss"),
                List.of(softmax.layout().predictionSchema().fieldNames()));
        assertEquals(List.of("id", "outputs", "probability", "predicted_class", "predicted_label", "loss"),
                List.of(logits.layout().predictionSchema().fieldNames()));
        assertNull(logits.process(row("1", "2", "y", null, "f")));
        InternalRow out = logits.predictionRow(0);
        // outputs are the logits as the last layer gives them, probability their softmax
        double[] raw = out.getArray(logits.layout().outputs).toDoubleArray();
        assertEquals(List.of(2.0, -2.0, 0.0), Arrays.stream(raw).boxed().toList());
        double sum = Math.exp(2) + Math.exp(-2) + 1;
        double[] p = out.getArray(logits.layout().prediction).toDoubleArray();
        assertEquals(Math.exp(2) / sum, p[0], 1e-15);
        assertEquals(Math.exp(-2) / sum, p[1], 1e-15);
        assertEquals(1 / sum, p[2], 1e-15);
        // the metrics see the probabilities
        assertEquals(Math.exp(-2) / sum, logits.outputs(0)[1], 1e-15);
        assertEquals(-Math.log(Math.exp(-2) / sum), out.getDouble(logits.layout().loss), 1e-12);
    }

    @Test
    void theColumnsLayoutWritesOneDoubleColumnPerClass() {
        RowEngine scorer = new RowEngine(csvSpec(LOGITS, 1), LOGITS, OutputLayout.Choice.COLUMNS);
        OutputLayout l = scorer.layout();
        assertEquals(List.of("id", "outputs_0", "outputs_1", "outputs_2", "probability_0", "probability_1", "probability_2",
                "predicted_class", "predicted_label", "loss"), List.of(l.predictionSchema().fieldNames()));
        assertNull(scorer.process(row("1", "2", "y", null, "f")));
        InternalRow out = scorer.predictionRow(0);
        assertEquals(-2.0, out.getDouble(l.outputs + 1));
        double sum = Math.exp(2) + Math.exp(-2) + 1;
        assertEquals(1 / sum, out.getDouble(l.prediction + 2), 1e-15);
        assertEquals("x", out.getUTF8String(l.predictedLabel).toString());
    }

    @Test
    void outputColumnsSelectsWhatIsWrittenAndKeepsTheIdsForTheQuarantine() {
        // Given only the predicted class asked for
        RowEngine scorer = new RowEngine(csvSpec(CLASSES, 1), CLASSES,
                new OutputLayout.Choice(List.of(io.annscore.job.OutputColumn.PREDICTED_CLASS), false));
        OutputLayout l = scorer.layout();
        assertEquals(List.of("predicted_class"), List.of(l.predictionSchema().fieldNames()));
        assertNull(scorer.process(row("7", "-3", "y", null, "f")));
        assertEquals(1, scorer.predictionRow(0).getInt(l.predictedClass));
        assertTrue(scorer.labelled(0), "labels are read for the metrics even with no loss column");
        // a quarantined row still has its id in the quarantine
        assertEquals("non_numeric_feature", scorer.process(row("8", "n/a", "y", null, "f")).code());
        assertEquals("8", scorer.quarantineRow().getUTF8String(0).toString());
        assertEquals("feature 'a' is not a number: 'n/a'", scorer.failureDetail());
        assertEquals(0, scorer.failedFeature(), "the profile counts it as missing feature 0, a");
    }

    @Test
    void aColumnThatDoesNotApplyIsRefusedNamingTheKey() {
        io.annscore.job.JobConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.annscore.job.JobConfigException.class, () -> new RowEngine(csvSpec(LINEAR, 2), LINEAR,
                        new OutputLayout.Choice(List.of(io.annscore.job.OutputColumn.PROBABILITY), false)));
        assertEquals("key output.columns: probability is for classifiers; this network is regression; this job can write"
                + " pass-through, outputs, prediction, loss", e.getMessage());
    }

    @Test
    void everyNumericTypeIsReadByItsOwnReaderForFeaturesAndLabels() {
        // Given features of six types and a regression on their sum (y = Σ x)
        List<DataType> types = List.of(DataTypes.FloatType, DataTypes.LongType, DataTypes.IntegerType, DataTypes.ShortType,
                DataTypes.ByteType, DataTypes.createDecimalType(10, 2));
        List<String> names = List.of("f", "l", "i", "s", "b", "d");
        Network sum = new Network(ModelInfo.named("sum"), InputSpec.named(names),
                List.of(new Layer(new double[][] {{1, 1, 1, 1, 1, 1}}, new double[] {0}, Summation.WEIGHTED_SUM,
                        Activation.IDENTITY, Map.of())), OutputSpec.of(Task.REGRESSION));
        RowSpec spec = new RowSpec(List.of(), List.of(), names, types, null, List.of(DataTypes.BooleanType), 0, false, ",",
                '"', 0, Task.REGRESSION, 6, 1, List.of(), 0.5, List.of(), -1);
        RowEngine scorer = new RowEngine(spec, sum);
        org.apache.spark.sql.types.Decimal d = org.apache.spark.sql.types.Decimal.apply("12.25");
        // When a row holds 0.5f, 2L, 3, (short) 4, (byte) 5, 12.25 and the label true
        assertNull(scorer.process(row(0.5f, 2L, 3, (short) 4, (byte) 5, d, true, "f")));
        // Then each is read as its value, and the boolean label as 1
        assertEquals(26.75, scorer.predictionRow(0).getDouble(scorer.layout().prediction));
        assertEquals(1.0, scorer.labels(0)[0]);
        assertEquals((26.75 - 1) * (26.75 - 1), scorer.predictionRow(0).getDouble(scorer.layout().loss));
        // and a NaN float is named as the feature it is
        assertEquals("non_finite_feature", scorer.process(row(Float.NaN, 2L, 3, (short) 4, (byte) 5, d, true, "f")).code());
        assertEquals("feature 'f' is not finite: NaN", scorer.failureDetail());
        assertEquals(0, scorer.failedFeature());
        // a missing third feature is feature 2; a row quarantined for a reason not of a feature names none
        assertEquals("missing_feature", scorer.process(row(0.5f, 2L, null, (short) 4, (byte) 5, d, true, "f")).code());
        assertEquals(2, scorer.failedFeature());
        assertEquals("feature 'i' is missing", scorer.failureDetail());
    }
}
