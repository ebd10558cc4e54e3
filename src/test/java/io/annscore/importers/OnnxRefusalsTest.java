package io.annscore.importers;

import static io.annscore.importers.Onnx.dims;
import static io.annscore.importers.Onnx.f;
import static io.annscore.importers.Onnx.i;
import static io.annscore.importers.Onnx.node;
import static io.annscore.importers.Onnx.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.importers.onnx.OnnxIr.GraphProto;
import io.annscore.importers.onnx.OnnxIr.NodeProto;
import io.annscore.importers.onnx.OnnxIr.TensorProto;
import io.annscore.importers.onnx.OnnxIr.TensorShapeProto;
import io.annscore.importers.onnx.OnnxIr.TypeProto;
import io.annscore.importers.onnx.OnnxIr.ValueInfoProto;
import io.annscore.network.Activation;
import io.annscore.network.Network;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One hand-built graph per kind of refusal docs/onnx.md lists: each message names the node (or the
 * value) and the operator, says why, and ends by pointing to docs/onnx.md. Also what the single
 * element-wise operators added with the refusals map to.
 */
class OnnxRefusalsTest {
    private static final String GUIDE = "; see docs/onnx.md for what annscore reads";

    /** x [batch, 2] → Gemm 'dense' (2 → 2, identity weights) → the given nodes, reading 'z'. */
    private static GraphProto.Builder dense(String output) {
        return GraphProto.newBuilder().addInput(value("x", 2)).addOutput(value(output, 2))
                .addInitializer(Onnx.floatsRaw("W", dims(2, 2), 1f, 0f, 0f, 1f))
                .addInitializer(Onnx.floatsRaw("B", dims(2), 0f, 0f))
                .addNode(node("Gemm", "dense", List.of("x", "W", "B"), "z"));
    }

    private static String refused(GraphProto g) {
        ImportException e = assertThrows(ImportException.class,
                () -> OnnxImporter.read(Onnx.model(g), ImportOptions.defaults()));
        String m = e.getMessage();
        assertTrue(m.endsWith(GUIDE), m);
        assertTrue(!m.contains("\n"), m);
        return m;
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), message);
    }

    @Test
    void anOperatorAnnscoreDoesNotRead() {
        String m = refused(dense("y").addNode(node("Conv", "conv_1", List.of("z"), "y")).build());
        assertContains(m, "unsupported operator: Conv node 'conv_1'");
    }

    @Test
    void anOperatorOfAnotherDomain() {
        NodeProto custom = node("FusedGemm", "fused", List.of("z"), "y").toBuilder().setDomain("com.microsoft").build();
        assertContains(refused(dense("y").addNode(custom).build()),
                "unsupported operator of domain 'com.microsoft': FusedGemm node 'fused'");
    }

    @Test
    void anElementwiseSubgraphThatIsNoKnownActivation() {
        // z + e^z is element-wise, but no activation.
        String m = refused(dense("y").addNode(node("Exp", "exp", List.of("z"), "e"))
                .addNode(node("Add", "sum", List.of("z", "e"), "y")).build());
        assertContains(m, "the element-wise nodes Exp node 'exp', Add node 'sum' compute no activation annscore knows");
    }

    @Test
    void aBranchThatIsNotElementwise() {
        String m = refused(dense("y")
                .addInitializer(Onnx.floatsRaw("W2", dims(2, 2), 1f, 0f, 0f, 1f))
                .addNode(node("MatMul", "left", List.of("z", "W2"), "l"))
                .addNode(node("Relu", "right", List.of("z"), "r"))
                .addNode(node("Add", "join", List.of("l", "r"), "y")).build());
        assertContains(m, "value 'z' is read by 2 nodes (MatMul node 'left', Relu node 'right')");
    }

    @Test
    void twoInputsOrTwoOutputs() {
        GraphProto two = dense("y").addInput(value("x2", 2)).addNode(node("Relu", "r", List.of("z"), "y")).build();
        assertContains(refused(two), "the graph has 2 inputs [x, x2]");
        GraphProto outs = dense("y").addOutput(value("z", 2)).addNode(node("Relu", "r", List.of("z"), "y")).build();
        assertContains(refused(outs), "the graph has 2 outputs [y, z]");
    }

    @Test
    void aTransposedBatch() {
        GraphProto g = GraphProto.newBuilder().addInput(value("x", 2)).addOutput(value("y", 2))
                .addInitializer(Onnx.floatsRaw("W", dims(2, 2), 1f, 0f, 0f, 1f))
                .addNode(node("Gemm", "gemm_t", List.of("x", "W"), "y", i("transA", 1))).build();
        assertContains(refused(g), "Gemm node 'gemm_t': transA = 1 would transpose the batch");
    }

    @Test
    void batchNormalizationInTrainingModeOrAfterAnActivation() {
        GraphProto.Builder b = dense("y")
                .addInitializer(Onnx.floatsRaw("s", dims(2), 1f, 1f)).addInitializer(Onnx.floatsRaw("o", dims(2), 0f, 0f))
                .addInitializer(Onnx.floatsRaw("m", dims(2), 0f, 0f)).addInitializer(Onnx.floatsRaw("v", dims(2), 1f, 1f));
        GraphProto training = b.clone().addNode(node("BatchNormalization", "bn", List.of("z", "s", "o", "m", "v"), "y",
                i("training_mode", 1))).build();
        assertContains(refused(training), "BatchNormalization node 'bn': BatchNormalization in training mode");
        GraphProto afterRelu = b.clone().addNode(node("Relu", "relu", List.of("z"), "r"))
                .addNode(node("BatchNormalization", "bn", List.of("r", "s", "o", "m", "v"), "y")).build();
        assertContains(refused(afterRelu), "BatchNormalization node 'bn': BatchNormalization after an activation");
    }

    @Test
    void layerNormalizationOverAnotherAxisOrAfterAnActivation() {
        GraphProto.Builder b = dense("y").addInitializer(Onnx.floatsRaw("s", dims(2), 1f, 1f));
        GraphProto axis0 = b.clone().addNode(node("LayerNormalization", "ln", List.of("z", "s"), "y", i("axis", 0)))
                .build();
        assertContains(refused(axis0), "LayerNormalization node 'ln': LayerNormalization over axis 0");
        GraphProto afterRelu = b.clone().addNode(node("Relu", "relu", List.of("z"), "r"))
                .addNode(node("LayerNormalization", "ln", List.of("r", "s"), "y")).build();
        assertContains(refused(afterRelu), "LayerNormalization node 'ln': layer normalization is supported right after"
                + " a dense layer's weighted sum (before its activation), not after its activation");
    }

    @Test
    void aRank3InputThatIsNotFlattenedFirst() {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(2)).build();
        ValueInfoProto x3 = ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
        GraphProto g = GraphProto.newBuilder().addInput(x3).addOutput(value("y", 2))
                .addInitializer(Onnx.floatsRaw("W", dims(2, 2), 1f, 0f, 0f, 1f))
                .addNode(node("MatMul", "mm", List.of("x", "W"), "y")).build();
        assertContains(refused(g), "the input has shape [batch, 1, 2], and its first node MatMul node 'mm' is not the"
                + " Flatten or Reshape to [batch, 2]");
        // With a Flatten first, the same graph is read.
        GraphProto flat = g.toBuilder().clearNode().addNode(node("Flatten", "flat", List.of("x"), "f"))
                .addNode(node("MatMul", "mm", List.of("f", "W"), "y")).build();
        assertDoesNotThrow(flat);
    }

    @Test
    void aFlattenOrReshapeThatIsNoNoOp() {
        assertContains(refused(dense("y").addNode(node("Flatten", "flat", List.of("z"), "y", i("axis", 0))).build()),
                "Flatten node 'flat': Flatten with axis 0");
        GraphProto reshape = dense("y").addInitializer(Onnx.int64s("shape", 1, 4))
                .addNode(node("Reshape", "rs", List.of("z", "shape"), "y")).build();
        assertContains(refused(reshape), "Reshape node 'rs': Reshape to [1.0, 4.0] is not a [batch, 2] no-op");
    }

    @Test
    void preluWithASlopePerNeuron() {
        GraphProto g = dense("y").addInitializer(Onnx.floatsRaw("slope", dims(2), 0.1f, 0.2f))
                .addNode(node("PRelu", "prelu", List.of("z", "slope"), "y")).build();
        assertContains(refused(g), "PRelu node 'prelu': PRelu with a slope per neuron (2 slopes)");
    }

    @Test
    void aClipWithOneOpenBoundOtherThanRelu() {
        GraphProto g = dense("y").addInitializer(Onnx.floatsRaw("hi", dims(), 6f))
                .addNode(node("Clip", "clip", List.of("z", "", "hi"), "y")).build();
        assertContains(refused(g), "Clip node 'clip': Clip with one open bound");
    }

    @Test
    void twoActivationsOrAnActivationBeforeAnyLayer() {
        GraphProto two = dense("y").addNode(node("Relu", "relu", List.of("z"), "r"))
                .addNode(node("Tanh", "tanh", List.of("r"), "y")).build();
        assertContains(refused(two), "Tanh node 'tanh': a second activation after Gemm node 'dense' (relu)");
        GraphProto before = GraphProto.newBuilder().addInput(value("x", 2)).addOutput(value("y", 2))
                .addInitializer(Onnx.floatsRaw("W", dims(2, 2), 1f, 0f, 0f, 1f))
                .addNode(node("Relu", "early", List.of("x"), "r"))
                .addNode(node("MatMul", "mm", List.of("r", "W"), "y")).build();
        assertContains(refused(before), "Relu node 'early': an activation before any dense layer");
    }

    @Test
    void arithmeticOfTwoComputedValuesOrAfterTheFirstLayer() {
        GraphProto after = dense("y").addInitializer(Onnx.floatsRaw("c", dims(2), 1f, 2f))
                .addNode(node("Relu", "relu", List.of("z"), "r"))
                .addNode(node("Mul", "scale", List.of("r", "c"), "y")).build();
        assertContains(refused(after), "unsupported Mul after the first dense layer");
    }

    // ---- what the single operators map to --------------------------------------------------

    @Test
    void singleOperatorsMapToTheirActivation() throws Exception {
        record Case(NodeProto node, List<TensorProto> constants, Activation activation, List<Double> parameters) {
        }
        List<Case> cases = new ArrayList<>(List.of(
                new Case(node("HardSwish", "a", List.of("z"), "y"), List.of(), Activation.HARD_SWISH, List.of()),
                new Case(node("Mish", "a", List.of("z"), "y"), List.of(), Activation.MISH, List.of()),
                new Case(node("Celu", "a", List.of("z"), "y", f("alpha", 0.5f)), List.of(), Activation.CELU, List.of(0.5)),
                new Case(node("LogSoftmax", "a", List.of("z"), "y"), List.of(), Activation.LOG_SOFTMAX, List.of()),
                new Case(node("Clip", "a", List.of("z", "lo", "hi"), "y"),
                        List.of(Onnx.floatsRaw("lo", dims(), 0f), Onnx.floatsRaw("hi", dims(), 6f)), Activation.CLIP,
                        List.of(0.0, 6.0)),
                new Case(node("Clip", "a", List.of("z", "lo"), "y"), List.of(Onnx.floatsRaw("lo", dims(), 0f)),
                        Activation.RELU, List.of()),
                new Case(node("PRelu", "a", List.of("z", "s"), "y"), List.of(Onnx.floatsRaw("s", dims(1), -0.25f)),
                        Activation.PRELU, List.of(-0.25))));
        for (Case c : cases) {
            GraphProto.Builder g = dense("y").addNode(c.node());
            c.constants().forEach(g::addInitializer);
            Network n = OnnxImporter.read(Onnx.model(g.build()), ImportOptions.defaults());
            assertEquals(c.activation(), n.layers().get(0).activation(), c.node().getOpType());
            assertArrayEquals(c.parameters().stream().mapToDouble(Double::doubleValue).toArray(),
                    n.layers().get(0).activationParameters().values().stream().mapToDouble(Double::doubleValue).toArray(),
                    c.node().getOpType());
        }
    }

    @Test
    void aCastToFloatIsANoOpAndAnyOtherCastIsRefused() throws Exception {
        GraphProto ok = dense("y").addNode(node("Cast", "cast", List.of("z"), "c", i("to", 11)))
                .addNode(node("Relu", "relu", List.of("c"), "y")).build();
        assertEquals(Activation.RELU, OnnxImporter.read(Onnx.model(ok), ImportOptions.defaults())
                .layers().get(0).activation());
        GraphProto toInt = dense("y").addNode(node("Cast", "cast", List.of("z"), "y", i("to", 7))).build();
        assertContains(refused(toInt), "Cast node 'cast': Cast to INT64");
    }

    @Test
    void hardTanhAndSoftsignAsExportersDecomposeThem() throws Exception {
        // Softsign as torch writes it at opset 13: z / (1 + |z|)
        GraphProto softsign = dense("y").addInitializer(Onnx.floatsRaw("one", dims(), 1f))
                .addNode(node("Abs", "abs", List.of("z"), "a"))
                .addNode(node("Add", "plus", List.of("a", "one"), "d"))
                .addNode(node("Div", "div", List.of("z", "d"), "y")).build();
        assertEquals(Activation.SOFTSIGN, OnnxImporter.read(Onnx.model(softsign), ImportOptions.defaults())
                .layers().get(0).activation());
        // SiLU as Mul(Sigmoid(z), z), the operands the other way round
        GraphProto silu = dense("y").addNode(node("Sigmoid", "sig", List.of("z"), "s"))
                .addNode(node("Mul", "mul", List.of("s", "z"), "y")).build();
        assertEquals(Activation.SILU, OnnxImporter.read(Onnx.model(silu), ImportOptions.defaults())
                .layers().get(0).activation());
    }

    private static void assertDoesNotThrow(GraphProto g) {
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> OnnxImporter.read(Onnx.model(g), ImportOptions.defaults()));
    }
}
