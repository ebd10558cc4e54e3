package io.annscore.importers;

import io.annscore.importers.onnx.OnnxIr.NodeProto;
import io.annscore.network.Activation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.special.Erf;

/**
 * Recognises an activation that an exporter wrote as several element-wise nodes because the
 * operator set had no single operator for it: SiLU as {@code x · Sigmoid(x)}, exact GELU as
 * {@code 0.5 · x · (1 + Erf(x / √2))}, and the tanh form of GELU — in whatever order of
 * Mul/Div/Add/Erf the exporter chose, with 1/√2 as a Mul or √2 as a Div.
 *
 * <p>The nodes are collected structurally: starting at the value that feeds the pattern, the
 * element-wise nodes that read only that value, values computed from it, and scalar constants,
 * up to the first point where a single value carries everything on. Which function they compute
 * is then decided by evaluating them at a handful of points and comparing with the exact
 * functions (the float32 constants the exporter wrote agree with those to about 1e-7); the
 * imported layer uses the exact function.
 */
final class FusedActivation {
    private static final Set<String> ELEMENTWISE = Set.of("Add", "Sub", "Mul", "Div", "Erf", "Sigmoid", "Tanh", "Pow");
    private static final double[] PROBES = {-6, -3.3, -1.7, -0.9, -0.3, 0, 0.4, 1.2, 2.5, 5};
    private static final double TOLERANCE = 1e-6;
    private static final int MAX_NODES = 12;

    /** A recognised pattern: its function, the value it produces, and the nodes it spans. */
    record Match(Activation activation, String output, List<NodeProto> nodes) {
    }

    private FusedActivation() {
    }

    /**
     * Tries to read the nodes after {@code root} as one activation.
     *
     * @param nodes the graph's nodes in their (topological) order
     * @param consumers for each value, the nodes that read it
     * @return the largest recognised pattern, or null when the nodes form none
     */
    static Match match(String root, List<NodeProto> nodes, Map<String, List<NodeProto>> consumers,
                       Map<String, OnnxTensor> constants, String graphOutput) {
        List<String> values = new ArrayList<>(List.of(root));
        List<NodeProto> region = new ArrayList<>();
        Match best = null;
        for (NodeProto n : nodes) {
            if (n.getInputList().stream().noneMatch(values::contains)) {
                continue;
            }
            if (!ELEMENTWISE.contains(n.getOpType()) || n.getOutputCount() != 1 || region.size() == MAX_NODES
                    || !n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                break;
            }
            for (String in : n.getInputList()) {
                OnnxTensor c = constants.get(in);
                if (!values.contains(in) && (c == null || !c.isScalar())) {
                    return best;
                }
            }
            region.add(n);
            String out = n.getOutput(0);
            values.add(out);
            if (closed(values, out, region, consumers, graphOutput)) {
                Activation a = identify(root, region, constants);
                if (a != null) {
                    best = new Match(a, out, List.copyOf(region));
                }
            }
        }
        return best;
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

    private static Activation identify(String root, List<NodeProto> region, Map<String, OnnxTensor> constants) {
        Set<String> ops = new java.util.HashSet<>();
        region.forEach(n -> ops.add(n.getOpType()));
        Activation candidate;
        if (ops.contains("Erf") && !ops.contains("Sigmoid") && !ops.contains("Tanh")) {
            candidate = Activation.GELU;
        } else if (ops.contains("Tanh") && !ops.contains("Erf") && !ops.contains("Sigmoid")) {
            candidate = Activation.GELU_TANH;
        } else if (ops.contains("Sigmoid") && !ops.contains("Erf") && !ops.contains("Tanh")) {
            candidate = Activation.SILU;
        } else {
            return null;
        }
        for (double x : PROBES) {
            double expected = candidate.apply(x, 0, 0);
            double got = evaluate(root, x, region, constants);
            if (!(Math.abs(got - expected) <= TOLERANCE * (1 + Math.abs(expected)))) {
                return null;
            }
        }
        return candidate;
    }

    /** Runs the region's nodes on one scalar input. */
    private static double evaluate(String root, double x, List<NodeProto> region, Map<String, OnnxTensor> constants) {
        Map<String, Double> v = new HashMap<>();
        v.put(root, x);
        for (NodeProto n : region) {
            double a = value(n.getInput(0), v, constants);
            double b = n.getInputCount() > 1 ? value(n.getInput(1), v, constants) : Double.NaN;
            double r;
            switch (n.getOpType()) {
                case "Add": r = a + b; break;
                case "Sub": r = a - b; break;
                case "Mul": r = a * b; break;
                case "Div": r = a / b; break;
                case "Pow": r = Math.pow(a, b); break;
                case "Erf": r = Erf.erf(a); break;
                case "Tanh": r = Math.tanh(a); break;
                default: r = Activation.SIGMOID.apply(a, 0, 0);
            }
            v.put(n.getOutput(0), r);
        }
        return v.get(region.get(region.size() - 1).getOutput(0));
    }

    private static double value(String name, Map<String, Double> v, Map<String, OnnxTensor> constants) {
        Double d = v.get(name);
        return d != null ? d : constants.get(name).values()[0];
    }
}
