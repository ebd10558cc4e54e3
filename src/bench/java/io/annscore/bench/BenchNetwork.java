package io.annscore.bench;

import io.annscore.network.Activation;
import io.annscore.network.InputSpec;
import io.annscore.network.Layer;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.Summation;
import io.annscore.network.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;

/**
 * A network with seeded random weights, handed to annscore and to MLlib with the very same numbers.
 *
 * <p>Hidden layers use the logistic sigmoid, the output layer softmax, as MLlib's multilayer
 * perceptron does. Weights are drawn uniformly from ±√(6 / (n_in + n_out)) (Glorot), biases from
 * ±0.1, all from one {@link SplittableRandom} with the given seed, layer by layer, neuron by neuron.
 */
public final class BenchNetwork {
    private final int[] layers;
    /** weights.get(k)[j][i]: layer k, neuron j, input i. */
    private final List<double[][]> weights = new ArrayList<>();
    private final List<double[]> biases = new ArrayList<>();

    public BenchNetwork(int[] layers, long seed) {
        this.layers = layers.clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = 0; k + 1 < layers.length; k++) {
            int in = layers[k];
            int out = layers[k + 1];
            double limit = Math.sqrt(6.0 / (in + out));
            double[][] w = new double[out][in];
            double[] b = new double[out];
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    w[j][i] = random.nextDouble(-limit, limit);
                }
                b[j] = random.nextDouble(-0.1, 0.1);
            }
            weights.add(w);
            biases.add(b);
        }
    }

    /** The feature column names, in input order: f0, f1, ... */
    public static List<String> featureNames(int features) {
        List<String> names = new ArrayList<>(features);
        for (int i = 0; i < features; i++) {
            names.add("f" + i);
        }
        return names;
    }

    /** The network as annscore's core holds it: a multiclass classifier over the features f0, f1, ... */
    public Network toAnnscore(String name) {
        List<Layer> annLayers = new ArrayList<>();
        for (int k = 0; k < weights.size(); k++) {
            boolean last = k == weights.size() - 1;
            annLayers.add(new Layer(weights.get(k), biases.get(k), Summation.WEIGHTED_SUM,
                    last ? Activation.SOFTMAX : Activation.SIGMOID, Map.of()));
        }
        // No class names, as MLlib's model has none: the classes are the output indices.
        return new Network(ModelInfo.named(name), InputSpec.named(featureNames(layers[0])), annLayers,
                OutputSpec.of(Task.MULTICLASS));
    }

    /**
     * The weights as MLlib's {@code MultilayerPerceptronClassificationModel} keeps them in one
     * vector: for each layer, its n_out × n_in weight matrix in column-major order (all weights of
     * input 0, then of input 1, ...), then its n_out biases.
     */
    public Vector toMllibWeights() {
        int size = 0;
        for (int k = 0; k < weights.size(); k++) {
            size += layers[k + 1] * layers[k] + layers[k + 1];
        }
        double[] v = new double[size];
        int pos = 0;
        for (int k = 0; k < weights.size(); k++) {
            double[][] w = weights.get(k);
            int in = layers[k];
            int out = layers[k + 1];
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    v[pos++] = w[j][i];
                }
            }
            for (int j = 0; j < out; j++) {
                v[pos++] = biases.get(k)[j];
            }
        }
        return Vectors.dense(v);
    }

    /**
     * The network as an ONNX model (opset 13) in float32, as a PyTorch export of it would be: per
     * layer a {@code Gemm} (weights n_out × n_in, {@code transB = 1}) then {@code Sigmoid}, the last
     * one {@code Softmax} over axis 1. Input {@code x} [batch, features], output {@code probability}
     * [batch, classes].
     */
    public byte[] toOnnx() {
        io.annscore.importers.onnx.OnnxIr.GraphProto.Builder graph = io.annscore.importers.onnx.OnnxIr.GraphProto.newBuilder()
                .setName("bench");
        String x = "x";
        for (int k = 0; k < weights.size(); k++) {
            double[][] w = weights.get(k);
            double[] b = biases.get(k);
            io.annscore.importers.onnx.OnnxIr.TensorProto.Builder wt = io.annscore.importers.onnx.OnnxIr.TensorProto.newBuilder()
                    .setName("W" + k).setDataType(1).addDims(w.length).addDims(w[0].length);
            for (double[] row : w) {
                for (double v : row) {
                    wt.addFloatData((float) v);
                }
            }
            io.annscore.importers.onnx.OnnxIr.TensorProto.Builder bt = io.annscore.importers.onnx.OnnxIr.TensorProto.newBuilder()
                    .setName("B" + k).setDataType(1).addDims(b.length);
            for (double v : b) {
                bt.addFloatData((float) v);
            }
            graph.addInitializer(wt).addInitializer(bt);
            String z = "z" + k;
            graph.addNode(io.annscore.importers.onnx.OnnxIr.NodeProto.newBuilder().setOpType("Gemm").addInput(x)
                    .addInput("W" + k).addInput("B" + k).addOutput(z)
                    .addAttribute(io.annscore.importers.onnx.OnnxIr.AttributeProto.newBuilder().setName("transB").setI(1)
                            .setType(io.annscore.importers.onnx.OnnxIr.AttributeProto.AttributeType.INT)));
            boolean last = k == weights.size() - 1;
            String a = last ? "probability" : "a" + k;
            io.annscore.importers.onnx.OnnxIr.NodeProto.Builder act = io.annscore.importers.onnx.OnnxIr.NodeProto.newBuilder()
                    .setOpType(last ? "Softmax" : "Sigmoid").addInput(z).addOutput(a);
            if (last) {
                act.addAttribute(io.annscore.importers.onnx.OnnxIr.AttributeProto.newBuilder().setName("axis").setI(1)
                        .setType(io.annscore.importers.onnx.OnnxIr.AttributeProto.AttributeType.INT));
            }
            graph.addNode(act);
            x = a;
        }
        graph.addInput(valueInfo("x", layers[0])).addOutput(valueInfo("probability", layers[layers.length - 1]));
        return io.annscore.importers.onnx.OnnxIr.ModelProto.newBuilder().setIrVersion(7).setProducerName("annscore-bench")
                .addOpsetImport(io.annscore.importers.onnx.OnnxIr.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph).build().toByteArray();
    }

    private static io.annscore.importers.onnx.OnnxIr.ValueInfoProto valueInfo(String name, int width) {
        return io.annscore.importers.onnx.OnnxIr.ValueInfoProto.newBuilder().setName(name)
                .setType(io.annscore.importers.onnx.OnnxIr.TypeProto.newBuilder().setTensorType(
                        io.annscore.importers.onnx.OnnxIr.TypeProto.Tensor.newBuilder().setElemType(1).setShape(
                                io.annscore.importers.onnx.OnnxIr.TensorShapeProto.newBuilder()
                                        .addDim(io.annscore.importers.onnx.OnnxIr.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                                        .addDim(io.annscore.importers.onnx.OnnxIr.TensorShapeProto.Dimension.newBuilder().setDimValue(width)))))
                .build();
    }
}
