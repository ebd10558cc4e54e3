package io.annscore.importers;

import io.annscore.importers.onnx.OnnxIr.AttributeProto;
import io.annscore.importers.onnx.OnnxIr.NodeProto;
import io.annscore.network.Activation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.math3.special.Erf;

/**
 * Reads an element-wise sub-graph after a dense layer as one activation function. Exporters write
 * functions that their operator set lacks as several element-wise nodes — SiLU as
 * {@code x·Sigmoid(x)}, GELU as {@code 0.5·x·(1 + Erf(x/√2))}, Softsign as {@code x/(1 + |x|)},
 * Mish as {@code x·Tanh(Softplus(x))}, HardSwish as {@code x·HardSigmoid(x)} — each in whatever
 * order of nodes the exporter chose.
 *
 * <p>The design, in two steps, with no pattern written per function:
 * <ol>
 *   <li><b>Structure.</b> Starting at the layer's output, the region collects the nodes that read
 *       only values of the region and scalar constants, up to the first value that alone carries
 *       everything on (every other value of the region is read only inside it). Only the
 *       element-wise operators in {@link #OPS} qualify; anything else ends the region.</li>
 *   <li><b>Function.</b> Since every node acts on each element alone, the region is a function
 *       of one real variable. It is evaluated in double at {@link #PROBES} and compared with every
 *       parameter-free activation of {@link Activation} ({@link #CANDIDATES}). It maps to the one
 *       that agrees within {@link #TOLERANCE} at every probe — the float32 constants an exporter
 *       writes (1/√2, 0.044715, 1/6) agree with the exact ones to about 1e-7 — and the layer then
 *       uses the exact function. A region that matches none is refused, naming its nodes.</li>
 * </ol>
 */
final class ElementwiseRegion {
    /** The element-wise operators a region may hold. */
    static final Set<String> OPS = Set.of("Add", "Sub", "Mul", "Div", "Neg", "Abs", "Exp", "Log", "Sqrt", "Pow",
            "Reciprocal", "Tanh", "Sigmoid", "Erf", "Softplus", "Softsign", "Relu", "LeakyRelu", "Elu", "Clip",
            "Max", "Min", "HardSigmoid", "HardSwish", "Identity");
    /** The functions a region may turn out to be. */
    static final List<Activation> CANDIDATES = List.of(Activation.IDENTITY, Activation.SIGMOID, Activation.TANH,
            Activation.RELU, Activation.ELU, Activation.SELU, Activation.SOFTPLUS, Activation.SOFTSIGN,
            Activation.SILU, Activation.GELU, Activation.GELU_TANH, Activation.HARD_SWISH, Activation.MISH);
    /** Both signs, small and large, on and off every kink (−3, 0, 3) of the candidates. */
    static final double[] PROBES = {-30, -8, -4.5, -3.3, -2.9, -1.7, -0.9, -0.3, -0.01, 0, 0.02, 0.4, 1.2, 2.5,
        2.95, 3.4, 5, 9, 30};
    static final double TOLERANCE = 1e-6;
    private static final int MAX_NODES = 24;

    /** A region: its nodes, the value it produces, and the activation it is (null when none). */
    record Match(Activation activation, String output, List<NodeProto> nodes) {
        String describeNodes() {
            return nodes.stream().map(OnnxGraphReader::describe).collect(Collectors.joining(", "));
        }
    }

    private ElementwiseRegion() {
    }

    /**
     * Collects the element-wise region after {@code root} and identifies it.
     *
     * @param nodes the graph's nodes in their (topological) order
     * @param consumers for each value, the nodes that read it
     * @return the largest closed region that is a known activation; else the largest closed
     *     region with a null activation (to name in a refusal); null when no region closes
     */
    static Match match(String root, List<NodeProto> nodes, Map<String, List<NodeProto>> consumers,
                       Map<String, OnnxTensor> constants, String graphOutput) {
        List<String> values = new ArrayList<>(List.of(root));
        List<NodeProto> region = new ArrayList<>();
        Match best = null;
        Match unknown = null;
        for (NodeProto n : nodes) {
            if (n.getInputList().stream().noneMatch(values::contains)) {
                continue;
            }
            if (!OPS.contains(n.getOpType()) || n.getOutputCount() != 1 || region.size() == MAX_NODES
                    || !n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                break;
            }
            boolean scalarInputs = true;
            for (String in : n.getInputList()) {
                OnnxTensor c = constants.get(in);
                if (!in.isEmpty() && !values.contains(in) && (c == null || !c.isScalar())) {
                    scalarInputs = false;
                }
            }
            if (!scalarInputs) {
                break;
            }
            region.add(n);
            String out = n.getOutput(0);
            values.add(out);
            if (closed(values, out, region, consumers, graphOutput)) {
                Activation a = identify(root, region, constants);
                if (a != null) {
                    best = new Match(a, out, List.copyOf(region));
                } else {
                    unknown = new Match(null, out, List.copyOf(region));
                }
            }
        }
        return best != null ? best : unknown;
    }

    /** Whether every value but {@code out} is read only inside the region. */
    private static boolean closed(List<String> values, String out, List<NodeProto> region,
                                  Map<String, List<NodeProto>> consumers, String graphOutput) {
        for (String v : values) {
            if (v.equals(out)) {
                continue;
            }
            if (v.equals(graphOutput)) {
                return false;
            }
            for (NodeProto c : consumers.getOrDefault(v, List.of())) {
                if (!region.contains(c)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The one candidate that agrees with the region at every probe, or null. */
    static Activation identify(String root, List<NodeProto> region, Map<String, OnnxTensor> constants) {
        double[] got = new double[PROBES.length];
        for (int k = 0; k < PROBES.length; k++) {
            got[k] = evaluate(root, PROBES[k], region, constants);
        }
        Activation found = null;
        for (Activation candidate : CANDIDATES) {
            boolean all = true;
            for (int k = 0; k < PROBES.length && all; k++) {
                double expected = candidate.apply(PROBES[k], 1.0, 0.0);   // alpha 1: ELU's default
                all = Math.abs(got[k] - expected) <= TOLERANCE * (1 + Math.abs(expected));
            }
            if (all) {
                if (found != null) {
                    return null;   // two functions agree everywhere we looked: too close to tell
                }
                found = candidate;
            }
        }
        return found;
    }

    /** Runs the region's nodes on one scalar input, in double. */
    static double evaluate(String root, double x, List<NodeProto> region, Map<String, OnnxTensor> constants) {
        Map<String, Double> v = new HashMap<>();
        v.put(root, x);
        for (NodeProto n : region) {
            double a = value(n, 0, v, constants, Double.NaN);
            double b = value(n, 1, v, constants, Double.NaN);
            double r;
            switch (n.getOpType()) {
                case "Add": r = a + b; break;
                case "Sub": r = a - b; break;
                case "Mul": r = a * b; break;
                case "Div": r = a / b; break;
                case "Pow": r = Math.pow(a, b); break;
                case "Neg": r = -a; break;
                case "Abs": r = Math.abs(a); break;
                case "Exp": r = Math.exp(a); break;
                case "Log": r = Math.log(a); break;
                case "Sqrt": r = Math.sqrt(a); break;
                case "Reciprocal": r = 1 / a; break;
                case "Identity": r = a; break;
                case "Erf": r = Erf.erf(a); break;
                case "Tanh": r = Math.tanh(a); break;
                case "Sigmoid": r = Activation.SIGMOID.apply(a, 0, 0); break;
                case "Softplus": r = Activation.SOFTPLUS.apply(a, 0, 0); break;
                case "Softsign": r = Activation.SOFTSIGN.apply(a, 0, 0); break;
                case "Relu": r = Math.max(a, 0); break;
                case "LeakyRelu": r = a >= 0 ? a : attr(n, "alpha", 0.01) * a; break;
                case "Elu": r = a > 0 ? a : attr(n, "alpha", 1.0) * Math.expm1(a); break;
                case "HardSigmoid": r = Math.max(0, Math.min(1, attr(n, "alpha", 0.2) * a + attr(n, "beta", 0.5))); break;
                case "HardSwish": r = Activation.HARD_SWISH.apply(a, 0, 0); break;
                case "Clip": {
                    double lo = n.getInputCount() > 1 ? value(n, 1, v, constants, Double.NEGATIVE_INFINITY)
                            : attr(n, "min", Double.NEGATIVE_INFINITY);
                    double hi = n.getInputCount() > 2 ? value(n, 2, v, constants, Double.POSITIVE_INFINITY)
                            : attr(n, "max", Double.POSITIVE_INFINITY);
                    r = Math.min(Math.max(a, lo), hi);
                    break;
                }
                case "Max": case "Min": {
                    r = a;
                    for (int k = 1; k < n.getInputCount(); k++) {
                        double c = value(n, k, v, constants, Double.NaN);
                        r = n.getOpType().equals("Max") ? Math.max(r, c) : Math.min(r, c);
                    }
                    break;
                }
                default: throw new IllegalStateException("not an element-wise operator: " + n.getOpType());
            }
            v.put(n.getOutput(0), r);
        }
        return v.get(region.get(region.size() - 1).getOutput(0));
    }

    private static double value(NodeProto n, int k, Map<String, Double> v, Map<String, OnnxTensor> constants,
                                double absent) {
        if (k >= n.getInputCount() || n.getInput(k).isEmpty()) {
            return absent;
        }
        String name = n.getInput(k);
        Double d = v.get(name);
        return d != null ? d : constants.get(name).values()[0];
    }

    private static double attr(NodeProto n, String name, double dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }
}
