package io.annscore.importers;

import io.annscore.importers.onnx.OnnxIr.AttributeProto;
import io.annscore.importers.onnx.OnnxIr.GraphProto;
import io.annscore.importers.onnx.OnnxIr.NodeProto;
import io.annscore.importers.onnx.OnnxIr.TensorProto;
import io.annscore.importers.onnx.OnnxIr.TensorShapeProto;
import io.annscore.importers.onnx.OnnxIr.ValueInfoProto;
import io.annscore.network.Activation;
import io.annscore.network.Layer;
import io.annscore.network.LayerNorm;
import io.annscore.network.Summation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Follows an ONNX graph from its input to its output as a chain of dense layers, each a Gemm (or a
 * MatMul and an Add) followed by at most one activation, with an optional standardization of the
 * input in front. Anything the chain cannot express is refused, naming the node.
 */
final class OnnxGraphReader {
    /** Where every refusal points: the page that lists what is accepted and refused, and why. */
    static final String GUIDE = "docs/onnx.md";

    /** ONNX's defaults for Selu, float32-rounded (1.6732632..., 1.0507009...). */
    private static final double SELU_ALPHA = 1.6732632423543772;
    private static final double SELU_GAMMA = 1.0507009873554805;

    /** What the graph computes. mean and scale are null when the input is not standardized. */
    /** inputShape is the input's shape after the batch when it is flattened (rank above 2), else null. */
    record Result(int inputs, double[] mean, double[] scale, List<Layer> layers, List<Long> inputShape) {
    }

    /** A dense layer whose activation is not known yet. */
    private static final class Pending {
        final String node;
        final double[][] w;
        double[] b;
        Activation activation;
        Map<String, Double> params = Map.of();
        LayerNorm layerNorm;

        Pending(String node, double[][] w, double[] b) {
            this.node = node;
            this.w = w;
            this.b = b;
        }
    }

    /** One element-wise step of the input standardization: {@code x op c}, or {@code c op x}. */
    private record Step(String op, OnnxTensor c, boolean constantFirst, NodeProto node) {
    }

    private final GraphProto graph;
    private final int opset;
    private final Map<String, OnnxTensor> constants = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<Step> standardization = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();
    private Pending pending;
    private int width = -1;
    /** The input's shape after the batch when its rank is above 2; a Flatten or Reshape must come first. */
    private List<Long> unflattened;
    private List<Long> flattenedShape;

    OnnxGraphReader(GraphProto graph, int opset) {
        this.graph = graph;
        this.opset = opset;
    }

    Result read() throws ImportException {
        for (TensorProto t : graph.getInitializerList()) {
            constants.put(t.getName(), OnnxTensor.decode(t));
        }
        for (NodeProto n : graph.getNodeList()) {
            if (n.getOutputCount() == 0 || n.getOutput(0).isEmpty()) {
                throw new ImportException("the graph is malformed: " + n.getOpType() + " node '" + n.getName()
                        + "' has no output");
            }
            if (n.getOpType().equals("Constant") && isDefaultDomain(n)) {
                constants.put(n.getOutput(0), constantValue(n));
                continue;
            }
            nodes.add(n);
            for (String in : n.getInputList().stream().distinct().toList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        List<ValueInfoProto> inputs = graph.getInputList().stream()
                .filter(v -> !constants.containsKey(v.getName())).toList();
        if (inputs.size() != 1) {
            throw new ImportException("the graph has " + inputs.size() + " inputs "
                    + inputs.stream().map(ValueInfoProto::getName).toList() + "; annscore reads graphs with one"
                    + " input tensor of shape [batch, features]");
        }
        if (graph.getOutputCount() != 1) {
            throw new ImportException("the graph has " + graph.getOutputCount() + " outputs "
                    + graph.getOutputList().stream().map(ValueInfoProto::getName).toList()
                    + "; annscore reads graphs with one output tensor");
        }
        readInputShape(inputs.get(0));
        String output = graph.getOutput(0).getName();
        String current = inputs.get(0).getName();
        for (int steps = 0; ; steps++) {
            if (steps > nodes.size()) {
                throw new ImportException("the graph is malformed: it loops back on value '" + current + "'");
            }
            List<NodeProto> next = consumers.getOrDefault(current, List.of());
            if (current.equals(output)) {
                if (!next.isEmpty()) {
                    throw branch(current, next);
                }
                break;
            }
            if (next.isEmpty()) {
                throw new ImportException("value '" + current + "' is read by no node and is not the graph output '"
                        + output + "'");
            }
            if (next.size() > 1) {
                String normalized = layerNormDecomposition(current);
                if (normalized != null) {
                    current = normalized;
                    continue;
                }
                ElementwiseRegion.Match m = ElementwiseRegion.match(current, nodes, consumers, constants, output);
                if (m == null) {
                    throw branch(current, next);
                }
                if (m.activation() == null) {
                    throw new ImportException("the element-wise nodes " + m.describeNodes() + " compute no activation"
                            + " annscore knows (compared at " + ElementwiseRegion.PROBES.length + " points with "
                            + ElementwiseRegion.CANDIDATES.stream().map(Activation::id).toList() + ").");
                }
                NodeProto last = m.nodes().get(m.nodes().size() - 1);
                setActivation(last, m.activation(), Map.of());
                current = m.output();
                continue;
            }
            current = step(next.get(0), current);
        }
        finishLayer();
        if (layers.isEmpty()) {
            throw new ImportException("the graph has no dense layer (Gemm or MatMul)");
        }
        double[][] std = standardization();
        return new Result(layers.get(0).inputSize(), std == null ? null : std[0], std == null ? null : std[1], layers,
                flattenedShape);
    }

    /** Applies one node to the value flowing down the chain; returns the node's output. */
    private String step(NodeProto n, String current) throws ImportException {
        if (!isDefaultDomain(n)) {
            throw unsupported(n, "operator of domain '" + n.getDomain() + "'");
        }
        for (String in : n.getInputList()) {
            if (!in.equals(current) && !in.isEmpty() && !constants.containsKey(in)) {
                throw new ImportException(describe(n) + ": input '" + in + "' is computed elsewhere; annscore"
                        + " follows a single chain of values");
            }
        }
        String op = n.getOpType();
        if (unflattened != null && !op.equals("Flatten") && !op.equals("Reshape") && !op.equals("Identity")) {
            throw new ImportException("the input has shape [batch, " + unflattened.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + "], and its first node " + describe(n) + " is not the Flatten"
                    + " or Reshape to [batch, " + width + "] that annscore needs first.");
        }
        switch (op) {
            case "Gemm": gemm(n, current); break;
            case "MatMul": matMul(n, current); break;
            case "Add": case "Sub": case "Mul": case "Div": arithmetic(n, current); break;
            case "BatchNormalization": batchNormalization(n); break;
            case "LayerNormalization": layerNormalization(n); break;
            case "Identity": break;
            case "Cast": cast(n); break;
            case "Dropout": break;
            case "Flatten": flatten(n); break;
            case "Reshape": reshape(n, current); break;
            case "Relu": setActivation(n, Activation.RELU, Map.of()); break;
            case "Sigmoid": setActivation(n, Activation.SIGMOID, Map.of()); break;
            case "Tanh": setActivation(n, Activation.TANH, Map.of()); break;
            case "Softplus": setActivation(n, Activation.SOFTPLUS, Map.of()); break;
            case "Softsign": setActivation(n, Activation.SOFTSIGN, Map.of()); break;
            case "LeakyRelu": setActivation(n, Activation.LEAKY_RELU, Map.of("alpha", floatAttr(n, "alpha", 0.01))); break;
            case "Elu": setActivation(n, Activation.ELU, Map.of("alpha", floatAttr(n, "alpha", 1.0))); break;
            case "HardSigmoid":
                setActivation(n, Activation.HARD_SIGMOID,
                        Map.of("alpha", floatAttr(n, "alpha", 0.2), "beta", floatAttr(n, "beta", 0.5)));
                break;
            case "Selu": selu(n); break;
            case "HardSwish": setActivation(n, Activation.HARD_SWISH, Map.of()); break;
            case "Mish": setActivation(n, Activation.MISH, Map.of()); break;
            case "Celu": setActivation(n, Activation.CELU, Map.of("alpha", floatAttr(n, "alpha", 1.0))); break;
            case "Clip": clip(n); break;
            case "PRelu": prelu(n); break;
            case "Softmax": softmax(n, Activation.SOFTMAX); break;
            case "LogSoftmax": softmax(n, Activation.LOG_SOFTMAX); break;
            case "Gelu": gelu(n); break;
            default: throw unsupported(n, "operator");
        }
        for (int k = 1; k < n.getOutputCount(); k++) {
            String extra = n.getOutput(k);
            if (!extra.isEmpty() && (consumers.containsKey(extra) || extra.equals(graph.getOutput(0).getName()))) {
                throw new ImportException(describe(n) + ": its output '" + extra + "' is used; only the first"
                        + " output of a node can be followed");
            }
        }
        return n.getOutput(0);
    }

    // ---- dense layers ----------------------------------------------------------------------

    private void gemm(NodeProto n, String current) throws ImportException {
        if (n.getInputCount() < 2 || !n.getInput(0).equals(current)) {
            throw new ImportException(describe(n) + ": the data must be its first input (A)");
        }
        if (intAttr(n, "transA", 0) != 0) {
            throw new ImportException(describe(n) + ": transA = 1 would transpose the batch; not supported");
        }
        boolean transB = intAttr(n, "transB", 0) != 0;
        double alpha = floatAttrExact(n, "alpha", 1.0);
        double beta = floatAttrExact(n, "beta", 1.0);
        OnnxTensor b = matrix(n, 1);
        int in = (int) (transB ? b.dims()[1] : b.dims()[0]);
        int out = (int) (transB ? b.dims()[0] : b.dims()[1]);
        double[][] w = new double[out][in];
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                w[j][i] = alpha * (transB ? b.at(j, i) : b.at(i, j));
            }
        }
        double[] bias = new double[out];
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            bias = vector(n, constant(n, 2), out);
            for (int j = 0; j < out; j++) {
                bias[j] *= beta;
            }
        }
        startLayer(n, w, bias);
    }

    private void matMul(NodeProto n, String current) throws ImportException {
        if (n.getInputCount() != 2 || !n.getInput(0).equals(current)) {
            throw new ImportException(describe(n) + ": the data must be its first input and the weights its second");
        }
        OnnxTensor b = matrix(n, 1);
        int in = (int) b.dims()[0];
        int out = (int) b.dims()[1];
        double[][] w = new double[out][in];
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                w[j][i] = b.at(i, j);
            }
        }
        startLayer(n, w, null);
    }

    private void startLayer(NodeProto n, double[][] w, double[] bias) throws ImportException {
        finishLayer();
        int in = w[0].length;
        if (width >= 0 && width != in) {
            throw new ImportException(describe(n) + ": its weights take " + in + " inputs but the incoming tensor has "
                    + width + " columns");
        }
        pending = new Pending(describe(n), w, bias);
        width = w.length;
    }

    private void finishLayer() throws ImportException {
        if (pending == null) {
            return;
        }
        double[] bias = pending.b == null ? new double[pending.w.length] : pending.b;
        Activation a = pending.activation == null ? Activation.IDENTITY : pending.activation;
        try {
            layers.add(new Layer(pending.w, bias, Summation.WEIGHTED_SUM, a, pending.params, pending.layerNorm));
        } catch (IllegalArgumentException e) {
            throw new ImportException("layer " + layers.size() + " (" + pending.node + "): " + e.getMessage(), e);
        }
        pending = null;
    }

    private void setActivation(NodeProto n, Activation a, Map<String, Double> params) throws ImportException {
        if (pending == null) {
            throw new ImportException(describe(n) + ": an activation before any dense layer is not supported");
        }
        if (pending.activation != null) {
            throw new ImportException(describe(n) + ": a second activation after " + pending.node + " ("
                    + pending.activation.id() + ") is not supported; each dense layer has one activation");
        }
        pending.activation = a;
        pending.params = params;
    }

    // ---- batch normalization ---------------------------------------------------------------

    /**
     * BatchNormalization in its inference form, y = (x − mean)/√(var + ε)·scale + bias, is the
     * affine map y = a·x + c with a = scale/√(var + ε) and c = bias − mean·a. Right after a dense
     * layer's weighted sum it is folded into that layer (w_ji·a_j, b_j·a_j + c_j); before the first
     * layer it joins the input standardization. Anywhere else it is refused.
     */
    private void batchNormalization(NodeProto n) throws ImportException {
        if (intAttr(n, "training_mode", 0) != 0) {
            throw new ImportException(describe(n) + ": BatchNormalization in training mode (it updates its running"
                    + " statistics); export the model in eval mode.");
        }
        if (n.getInputCount() != 5) {
            throw new ImportException(describe(n) + ": expected 5 inputs (X, scale, B, mean, var), found "
                    + n.getInputCount());
        }
        double epsilon = floatAttr(n, "epsilon", 1e-5);
        int size = pending != null ? pending.w.length : width;
        if (size <= 0) {
            throw new ImportException(describe(n) + ": the number of features it normalizes is not known (the input"
                    + " shape gives no width).");
        }
        double[] scale = vector(n, constant(n, 1), size);
        double[] bias = vector(n, constant(n, 2), size);
        double[] mean = vector(n, constant(n, 3), size);
        double[] var = vector(n, constant(n, 4), size);
        double[] a = new double[size];
        double[] c = new double[size];
        for (int j = 0; j < size; j++) {
            a[j] = scale[j] / Math.sqrt(var[j] + epsilon);
            c[j] = bias[j] - mean[j] * a[j];
        }
        if (pending != null && pending.activation == null) {
            for (int j = 0; j < size; j++) {
                for (int i = 0; i < pending.w[j].length; i++) {
                    pending.w[j][i] *= a[j];
                }
            }
            double[] b = pending.b == null ? new double[size] : pending.b;
            for (int j = 0; j < size; j++) {
                b[j] = b[j] * a[j] + c[j];
            }
            pending.b = b;
        } else if (pending == null && layers.isEmpty()) {
            standardization.add(new Step("Mul", new OnnxTensor(n.getInput(1), new long[] {size}, a), false, n));
            standardization.add(new Step("Add", new OnnxTensor(n.getInput(2), new long[] {size}, c), false, n));
        } else {
            throw new ImportException(describe(n) + ": BatchNormalization after an activation is not supported; it"
                    + " folds only into the dense layer right before it, or into the input.");
        }
    }

    // ---- layer normalization ---------------------------------------------------------------

    /** LayerNormalization (opset 17) over the last axis, right after a dense layer's weighted sum. */
    private void layerNormalization(NodeProto n) throws ImportException {
        long axis = intAttr(n, "axis", -1);
        if (axis != -1 && axis != 1) {
            throw new ImportException(describe(n) + ": LayerNormalization over axis " + axis + "; only the last axis"
                    + " of a [batch, features] tensor is supported.");
        }
        for (int k = 1; k < n.getOutputCount(); k++) {
            if (!n.getOutput(k).isEmpty() && consumers.containsKey(n.getOutput(k))) {
                throw new ImportException(describe(n) + ": its mean or inverse deviation output is used.");
            }
        }
        int size = normalizedWidth(n);
        double[] scale = vector(n, constant(n, 1), size);
        double[] bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? vector(n, constant(n, 2), size)
                : new double[size];
        setLayerNorm(n, floatAttr(n, "epsilon", 1e-5), scale, bias);
    }

    private int normalizedWidth(NodeProto n) throws ImportException {
        if (pending == null || pending.activation != null || pending.layerNorm != null) {
            throw new ImportException(describe(n) + ": layer normalization is supported right after a dense layer's"
                    + " weighted sum (before its activation), not " + (pending == null ? "before the first dense layer"
                    : "after " + (pending.activation != null ? "its activation" : "another normalization")));
        }
        return pending.w.length;
    }

    private void setLayerNorm(NodeProto n, double epsilon, double[] scale, double[] bias) throws ImportException {
        try {
            pending.layerNorm = new LayerNorm(epsilon, scale, bias);
        } catch (IllegalArgumentException e) {
            throw new ImportException(describe(n) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The opset-13 form of LayerNorm, as torch.onnx writes it: m = ReduceMean(x), d = Sub(x, m),
     * v = ReduceMean(Pow(d, 2)), y = Div(d, Sqrt(Add(v, ε))), then optionally Mul by the scale and
     * Add the bias, every ReduceMean over the last axis with keepdims. Matched node by node;
     * returns the value it produces, or null when the nodes after {@code x} are not this form.
     */
    private String layerNormDecomposition(String x) throws ImportException {
        NodeProto mean = reader(x, "ReduceMean", 0);
        NodeProto diff = reader(x, "Sub", 0);
        if (mean == null || diff == null || consumers.get(x).size() != 2 || !lastAxisMean(mean)
                || !diff.getInput(1).equals(mean.getOutput(0)) || only(mean.getOutput(0)) != diff) {
            return null;
        }
        String d = diff.getOutput(0);
        NodeProto pow = reader(d, "Pow", 0);
        NodeProto div = reader(d, "Div", 0);
        if (pow == null || div == null || consumers.get(d).size() != 2 || constantValue(pow.getInput(1)) != 2.0) {
            return null;
        }
        NodeProto var = only(pow.getOutput(0));
        if (var == null || !var.getOpType().equals("ReduceMean") || !lastAxisMean(var)) {
            return null;
        }
        NodeProto add = only(var.getOutput(0));
        Double eps = add == null || !add.getOpType().equals("Add") ? null : constantValue(otherInput(add, var.getOutput(0)));
        NodeProto sqrt = add == null ? null : only(add.getOutput(0));
        if (eps == null || sqrt == null || !sqrt.getOpType().equals("Sqrt")
                || !div.getInput(1).equals(sqrt.getOutput(0)) || only(sqrt.getOutput(0)) != div) {
            return null;
        }
        int size = normalizedWidth(div);
        String out = div.getOutput(0);
        double[] scale = new double[size];
        Arrays.fill(scale, 1.0);
        double[] bias = new double[size];
        NodeProto mul = only(out);
        if (mul != null && mul.getOpType().equals("Mul") && constants.containsKey(otherInput(mul, out))) {
            scale = vector(mul, constants.get(otherInput(mul, out)), size);
            out = mul.getOutput(0);
            NodeProto plus = only(out);
            if (plus != null && plus.getOpType().equals("Add") && constants.containsKey(otherInput(plus, out))) {
                bias = vector(plus, constants.get(otherInput(plus, out)), size);
                out = plus.getOutput(0);
            }
        }
        setLayerNorm(div, Double.parseDouble(Float.toString((float) eps.doubleValue())), scale, bias);
        return out;
    }

    /** The node of type {@code op} reading {@code value} as its input k, when there is one. */
    private NodeProto reader(String value, String op, int k) {
        for (NodeProto n : consumers.getOrDefault(value, List.of())) {
            if (n.getOpType().equals(op) && n.getInputCount() > k && n.getInput(k).equals(value)) {
                return n;
            }
        }
        return null;
    }

    /** The one node reading {@code value}, or null when none or several do (or it is the graph output). */
    private NodeProto only(String value) {
        List<NodeProto> r = consumers.getOrDefault(value, List.of());
        return r.size() == 1 && !value.equals(graph.getOutput(0).getName()) ? r.get(0) : null;
    }

    private static String otherInput(NodeProto n, String value) {
        if (n.getInputCount() != 2) {
            return "";
        }
        return n.getInput(0).equals(value) ? n.getInput(1) : n.getInput(0);
    }

    /** A scalar constant's value, or null. */
    private Double constantValue(String name) {
        OnnxTensor t = constants.get(name);
        return t != null && t.isScalar() ? t.values()[0] : null;
    }

    /** ReduceMean over the last axis with keepdims (axes as an attribute before opset 18, an input from 18). */
    private boolean lastAxisMean(NodeProto n) {
        if (intAttr(n, "keepdims", 1) != 1) {
            return false;
        }
        AttributeProto axes = attr(n, "axes");
        double[] a = axes != null ? axes.getIntsList().stream().mapToDouble(Long::doubleValue).toArray()
                : n.getInputCount() > 1 && constants.containsKey(n.getInput(1)) ? constants.get(n.getInput(1)).values()
                : null;
        return a != null && a.length == 1 && (a[0] == -1 || a[0] == 1);
    }

    // ---- element-wise arithmetic -----------------------------------------------------------

    private void arithmetic(NodeProto n, String current) throws ImportException {
        if (n.getInputCount() != 2) {
            throw new ImportException(describe(n) + ": expected 2 inputs, found " + n.getInputCount());
        }
        boolean constantFirst = !n.getInput(0).equals(current);
        OnnxTensor c = constants.get(n.getInput(constantFirst ? 0 : 1));
        if (c == null) {
            throw unsupported(n, n.getOpType() + " of two computed values (only by a constant)");
        }
        String op = n.getOpType();
        if (layers.isEmpty() && pending == null) {
            if (constantFirst && op.equals("Div")) {
                throw unsupported(n, "Div of a constant by the input");
            }
            standardization.add(new Step(op, c, constantFirst, n));
        } else if (op.equals("Add") && pending != null && pending.b == null && pending.activation == null) {
            pending.b = vector(n, c, pending.w.length);
        } else {
            throw unsupported(n, op + " after the first dense layer (other than the bias Add after a MatMul)");
        }
    }

    /** Folds the standardization steps into (x − mean) / scale, or null when there are none. */
    private double[][] standardization() throws ImportException {
        if (standardization.isEmpty()) {
            return null;
        }
        int n = layers.get(0).inputSize();
        double[] mean = new double[n];
        double[] scale = new double[n];
        Arrays.fill(scale, 1.0);
        for (Step s : standardization) {
            double[] c = vector(s.node(), s.c(), n);
            for (int i = 0; i < n; i++) {
                // The value so far is y = (x − m) / s.
                switch (s.op()) {
                    case "Sub":
                        if (s.constantFirst()) {   // c − y = (x − (m + c·s)) / (−s)
                            mean[i] += c[i] * scale[i];
                            scale[i] = -scale[i];
                        } else {                   // y − c = (x − (m + c·s)) / s
                            mean[i] += c[i] * scale[i];
                        }
                        break;
                    case "Add":                    // y + c = (x − (m − c·s)) / s
                        mean[i] -= c[i] * scale[i];
                        break;
                    case "Mul":                    // y · c = (x − m) / (s / c)
                        scale[i] = scale[i] == 1.0 ? 1.0 / c[i] : scale[i] / c[i];
                        break;
                    default:                       // y / c = (x − m) / (s · c)
                        scale[i] *= c[i];
                }
            }
        }
        return new double[][] {mean, scale};
    }

    // ---- no-ops and shapes -----------------------------------------------------------------

    private void flatten(NodeProto n) throws ImportException {
        long axis = intAttr(n, "axis", 1);
        if (axis != 1 && axis != -1) {
            throw new ImportException(describe(n) + ": Flatten with axis " + axis + " would change the"
                    + " [batch, features] shape; only axis 1 is supported.");
        }
        unflattened = null;
    }

    /** Cast to float or double changes no value annscore computes (it computes in double); skl2onnx starts with one. */
    private void cast(NodeProto n) throws ImportException {
        long to = intAttr(n, "to", 0);
        if (to != TensorProto.DataType.FLOAT_VALUE && to != TensorProto.DataType.DOUBLE_VALUE) {
            throw new ImportException(describe(n) + ": Cast to " + TensorProto.DataType.forNumber((int) to)
                    + "; only casts to FLOAT or DOUBLE are read (as no-ops)");
        }
    }

    private void reshape(NodeProto n, String current) throws ImportException {
        if (n.getInputCount() != 2 || !n.getInput(0).equals(current) || !constants.containsKey(n.getInput(1))) {
            throw new ImportException(describe(n) + ": Reshape needs the data and a constant shape");
        }
        double[] shape = constants.get(n.getInput(1)).values();
        boolean ok = shape.length == 2 && (shape[0] == -1 || shape[0] == 0)
                && (shape[1] == -1 && shape[0] == 0 || shape[1] > 0 && (width < 0 || shape[1] == width));
        if (!ok) {
            throw new ImportException(describe(n) + ": Reshape to " + Arrays.toString(shape)
                    + " is not a [batch, " + (width < 0 ? "features" : width) + "] no-op; not supported");
        }
        if (shape[1] > 0) {
            width = (int) shape[1];
        }
        unflattened = null;
    }

    private void readInputShape(ValueInfoProto input) throws ImportException {
        if (!input.hasType() || !input.getType().hasTensorType()) {
            return;
        }
        var type = input.getType().getTensorType();
        if (type.hasElemType() && type.getElemType() != TensorProto.DataType.FLOAT_VALUE
                && type.getElemType() != TensorProto.DataType.DOUBLE_VALUE) {
            throw new ImportException("input '" + input.getName() + "' has element type "
                    + TensorProto.DataType.forNumber(type.getElemType()) + "; annscore feeds FLOAT or DOUBLE");
        }
        if (!type.hasShape()) {
            return;
        }
        List<TensorShapeProto.Dimension> dims = type.getShape().getDimList();
        if (dims.size() > 2) {
            // [batch, d1, d2, ...] is read as d1·d2·... features in row-major order, if it is flattened first.
            List<Long> rest = new ArrayList<>();
            long product = 1;
            for (TensorShapeProto.Dimension d : dims.subList(1, dims.size())) {
                if (!d.hasDimValue() || d.getDimValue() <= 0) {
                    throw new ImportException("input '" + input.getName() + "' has rank " + dims.size() + " with a"
                            + " dimension of unknown size after the batch; annscore needs its size to flatten it.");
                }
                rest.add(d.getDimValue());
                product *= d.getDimValue();
            }
            if (product > Integer.MAX_VALUE) {
                throw new ImportException("input '" + input.getName() + "' has " + product + " values per row.");
            }
            unflattened = rest;
            flattenedShape = List.copyOf(rest);
            width = (int) product;
            return;
        }
        if (dims.size() != 2) {
            throw new ImportException("input '" + input.getName() + "' has rank " + dims.size()
                    + "; annscore feeds a batch of rows, shape [batch, features].");
        }
        if (dims.get(1).hasDimValue()) {
            width = (int) dims.get(1).getDimValue();
        }
    }

    private void softmax(NodeProto n, Activation a) throws ImportException {
        long axis = intAttr(n, "axis", opset >= 13 ? -1 : 1);
        if (axis != -1 && axis != 1) {
            throw new ImportException(describe(n) + ": " + n.getOpType() + " over axis " + axis + "; only the last"
                    + " axis (1 or -1) of a [batch, features] tensor is supported");
        }
        setActivation(n, a, Map.of());
    }

    /** Clip(min, max): the bounds are inputs from opset 11 on, attributes before; a missing one is unbounded. */
    private void clip(NodeProto n) throws ImportException {
        double min;
        double max;
        if (opset >= 11 || n.getInputCount() > 1) {
            min = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? scalar(n, 1) : Double.NEGATIVE_INFINITY;
            max = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? scalar(n, 2) : Double.POSITIVE_INFINITY;
        } else {
            min = floatAttr(n, "min", Double.NEGATIVE_INFINITY);
            max = floatAttr(n, "max", Double.POSITIVE_INFINITY);
        }
        if (min == 0 && max == Double.POSITIVE_INFINITY) {
            setActivation(n, Activation.RELU, Map.of());
            return;
        }
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new ImportException(describe(n) + ": Clip with one open bound other than ReLU's [0, inf) is not"
                    + " supported (min " + min + ", max " + max + ").");
        }
        setActivation(n, Activation.CLIP, Map.of("min", min, "max", max));
    }

    /** PRelu with one slope; a slope per neuron is not supported (one parameter per layer). */
    private void prelu(NodeProto n) throws ImportException {
        OnnxTensor slope = constant(n, 1);
        double[] v = slope.values();
        for (double d : v) {
            if (d != v[0]) {
                throw new ImportException(describe(n) + ": PRelu with a slope per neuron (" + v.length + " slopes);"
                        + " annscore's layers take one slope, so only PRelu with a single slope is supported.");
            }
        }
        // The slope is a trained weight: widened exactly, like the layer's other weights.
        setActivation(n, Activation.PRELU, Map.of("slope", v[0]));
    }

    /** A scalar constant input, its float32 value read as the shortest decimal that rounds to it. */
    private double scalar(NodeProto n, int k) throws ImportException {
        OnnxTensor t = constant(n, k);
        if (!t.isScalar()) {
            throw new ImportException(describe(n) + ": input " + k + " must be a scalar, found shape " + t.shape());
        }
        return Double.parseDouble(Float.toString((float) t.values()[0]));
    }

    private void selu(NodeProto n) throws ImportException {
        double alpha = floatAttrExact(n, "alpha", SELU_ALPHA);
        double gamma = floatAttrExact(n, "gamma", SELU_GAMMA);
        if (Math.abs(alpha - SELU_ALPHA) > 1e-6 || Math.abs(gamma - SELU_GAMMA) > 1e-6) {
            throw new ImportException(describe(n) + ": Selu with alpha " + alpha + ", gamma " + gamma
                    + "; only the standard constants are supported");
        }
        setActivation(n, Activation.SELU, Map.of());
    }

    private void gelu(NodeProto n) throws ImportException {
        String approximate = stringAttr(n, "approximate", "none");
        switch (approximate) {
            case "none": setActivation(n, Activation.GELU, Map.of()); break;
            case "tanh": setActivation(n, Activation.GELU_TANH, Map.of()); break;
            default: throw new ImportException(describe(n) + ": Gelu approximation '" + approximate + "' is unknown");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private OnnxTensor constant(NodeProto n, int k) throws ImportException {
        OnnxTensor t = constants.get(n.getInput(k));
        if (t == null) {
            throw new ImportException(describe(n) + ": input " + k + " ('" + n.getInput(k) + "') must be a constant"
                    + " (an initializer or a Constant node)");
        }
        return t;
    }

    private OnnxTensor matrix(NodeProto n, int k) throws ImportException {
        OnnxTensor t = constant(n, k);
        if (t.rank() != 2 || t.dims()[0] == 0 || t.dims()[1] == 0) {
            throw new ImportException(describe(n) + ": weight '" + t.name() + "' has shape " + t.shape()
                    + "; expected a non-empty matrix");
        }
        return t;
    }

    /** A constant broadcast along the feature axis: a scalar, [n] or [1, n]. */
    private static double[] vector(NodeProto n, OnnxTensor c, int size) throws ImportException {
        long[] d = c.dims();
        boolean fits = c.isScalar() || d.length == 1 && d[0] == size || d.length == 2 && d[0] == 1 && d[1] == size;
        if (!fits) {
            throw new ImportException(describe(n) + ": constant '" + c.name() + "' has shape " + c.shape()
                    + "; expected a scalar, [" + size + "] or [1, " + size + "]");
        }
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = c.isScalar() ? c.values()[0] : c.values()[i];
        }
        return v;
    }

    private OnnxTensor constantValue(NodeProto n) throws ImportException {
        for (AttributeProto a : n.getAttributeList()) {
            String name = n.getOutput(0);
            switch (a.getName()) {
                case "value":
                    OnnxTensor t = OnnxTensor.decode(a.getT());
                    return new OnnxTensor(name, t.dims(), t.values());
                case "value_float":
                    return new OnnxTensor(name, new long[0], new double[] {a.getF()});
                case "value_int":
                    return new OnnxTensor(name, new long[0], new double[] {a.getI()});
                case "value_floats":
                    return new OnnxTensor(name, new long[] {a.getFloatsCount()},
                            a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray());
                case "value_ints":
                    return new OnnxTensor(name, new long[] {a.getIntsCount()},
                            a.getIntsList().stream().mapToDouble(Long::doubleValue).toArray());
                default:
            }
        }
        throw unsupported(n, "Constant without a numeric value");
    }

    private static AttributeProto attr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /**
     * An activation parameter. ONNX stores it as float32; the shortest decimal that rounds to that
     * float is taken (0.1f becomes 0.1, not 0.10000000149...), which is the value the user wrote.
     */
    private static double floatAttr(NodeProto n, String name, double dflt) {
        AttributeProto a = attr(n, name);
        return a == null ? dflt : Double.parseDouble(Float.toString(a.getF()));
    }

    /** A float attribute widened exactly (Gemm's alpha and beta multiply the stored weights). */
    private static double floatAttrExact(NodeProto n, String name, double dflt) {
        AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getF();
    }

    private static long intAttr(NodeProto n, String name, long dflt) {
        AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getI();
    }

    private static String stringAttr(NodeProto n, String name, String dflt) {
        AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    private static boolean isDefaultDomain(NodeProto n) {
        return n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
    }

    static String describe(NodeProto n) {
        return n.getOpType() + " node '" + (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "'";
    }

    private static ImportException unsupported(NodeProto n, String what) {
        return new ImportException("unsupported " + what + ": " + describe(n) + "; annscore reads a chain of dense"
                + " layers with element-wise activations");
    }

    private static ImportException branch(String value, List<NodeProto> readers) {
        String names = readers.stream().map(OnnxGraphReader::describe).collect(Collectors.joining(", "));
        return new ImportException("value '" + value + "' is read by " + readers.size() + " nodes (" + names
                + "): annscore follows a single chain of layers, and a value may branch only inside an element-wise"
                + " activation or a layer normalization");
    }
}
