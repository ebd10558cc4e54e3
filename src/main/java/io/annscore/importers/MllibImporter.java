package io.annscore.importers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annscore.network.Activation;
import io.annscore.network.Layer;
import io.annscore.network.ModelInfo;
import io.annscore.network.Network;
import io.annscore.network.OutputSpec;
import io.annscore.network.OutputValues;
import io.annscore.network.Summation;
import io.annscore.network.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * Reads a {@code MultilayerPerceptronClassificationModel} directory saved by Spark MLlib
 * ({@code model.write().save(dir)}), without Spark: the JSON line in {@code metadata/part-*} and
 * the single row of {@code data/*.parquet}.
 *
 * <p>The layout (MLlib's {@code ml/ann/Layer.scala}): the row's {@code weights} vector holds, layer
 * after layer, an n_out × n_in weight matrix in column-major order (Breeze's
 * {@code new BDM(numOut, numIn, data, offset)}), so w_ji sits at {@code offset + i·n_out + j}, then
 * n_out biases. Hidden layers use the logistic sigmoid, the output layer softmax. The layer sizes
 * are {@code paramMap.layers} in the metadata (Spark 3.x and 4.x) or a {@code layers} column of
 * the data (Spark 2.x). Dense and sparse vectors are both read.
 *
 * <p>The task is multiclass unless the options say otherwise; with two classes and
 * {@code thresholds} set, binary, with the equivalent probability threshold t1 / (t0 + t1).
 *
 * <p>Provenance as {@link OnnxImporter}, with importer {@code mllib} and, as the model is a
 * directory, {@link Provenance#SOURCE_SHA256} computed over its data files: for each file under
 * {@code metadata/} and {@code data/} whose name does not start with '_' or '.', in order of
 * relative path, the UTF-8 relative path, a zero byte, the length as 8 bytes big-endian and the
 * contents. Also {@code spark_version}, {@code mllib_class}, {@code mllib_uid}.
 */
public final class MllibImporter {
    public static final String NAME = "mllib";
    public static final String VERSION = "1";
    static final String MLPC_CLASS = "org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel";

    private MllibImporter() {
    }

    public static Network read(java.nio.file.Path dir) throws IOException, ImportException {
        return read(dir, ImportOptions.defaults());
    }

    public static Network read(java.nio.file.Path dir, ImportOptions options) throws IOException, ImportException {
        java.nio.file.Path abs = dir.toAbsolutePath().normalize();
        // Not abs.toUri(): the URI of a directory ends in '/', and the Hadoop path would have no name.
        return read(new Path("file", null, abs.toString()), new Configuration(), options);
    }

    /** Reads a model directory on any Hadoop file system (local, HDFS, S3A, ...). */
    public static Network read(Path dir, Configuration conf, ImportOptions options) throws IOException, ImportException {
        FileSystem fs = dir.getFileSystem(conf);
        Path metadataDir = new Path(dir, "metadata");
        if (!fs.exists(metadataDir)) {
            throw new ImportException(dir + " is not a saved MLlib model: it has no metadata/ folder");
        }
        JsonNode metadata = readMetadata(fs, metadataDir);
        String className = metadata.path("class").asText("");
        if (!className.equals(MLPC_CLASS)) {
            throw new ImportException(dir + " holds an MLlib " + (className.isEmpty() ? "model of unknown class" : className)
                    + "; annscore imports only " + MLPC_CLASS);
        }
        Group row = readDataRow(fs, new Path(dir, "data"));
        int[] sizes = layerSizes(metadata, row, dir);
        double[] weights = vector(row.getGroup("weights", 0));
        List<Layer> layers = layers(sizes, weights, dir);

        Map<String, String> provenance = new HashMap<>();
        provenance.put(Provenance.SOURCE, dir.toString());
        provenance.put(Provenance.SOURCE_SHA256, directoryDigest(fs, dir));
        provenance.put(Provenance.IMPORTER, NAME);
        provenance.put(Provenance.IMPORTER_VERSION, VERSION);
        provenance.put(Provenance.IMPORTED_AT, Provenance.now());
        provenance.put("spark_version", metadata.path("sparkVersion").asText(""));
        provenance.put("mllib_class", className);
        provenance.put("mllib_uid", metadata.path("uid").asText(""));

        Task task = options.task() != null ? options.task() : Task.MULTICLASS;
        double threshold = OutputSpec.DEFAULT_THRESHOLD;
        JsonNode thresholds = metadata.path("paramMap").path("thresholds");
        if (thresholds.isArray() && thresholds.size() > 0) {
            provenance.put("mllib_thresholds", thresholds.toString());
            double[] t = new double[thresholds.size()];
            for (int k = 0; k < t.length; k++) {
                t[k] = thresholds.get(k).asDouble();
            }
            if (t.length == 2 && options.task() == null) {
                task = Task.BINARY;
            }
            if (task == Task.BINARY && t.length == 2) {
                threshold = t[1] / (t[0] + t[1]);
            } else if (Arrays.stream(t).distinct().count() > 1) {
                throw new ImportException(dir + ": the model sets class thresholds " + thresholds + "; annscore"
                        + " predicts the most probable class and supports thresholds only for two classes");
            }
        }
        List<String> features = Provenance.featureNames(List.of(), options, sizes[0], provenance);
        String name = options.name() != null ? options.name()
                : dir.getName().isEmpty() ? metadata.path("uid").asText("mllib-model") : dir.getName();
        String description = "Spark MLlib MultilayerPerceptronClassificationModel, layers " + Arrays.toString(sizes)
                + ", saved by Spark " + provenance.get("spark_version");
        ModelInfo info = new ModelInfo(name, "", description, provenance);
        OutputValues values = options.values() != null ? options.values() : OutputValues.PROBABILITIES;
        return Provenance.network(info, features, sizes[0], null, null, layers, task, values, threshold);
    }

    private static JsonNode readMetadata(FileSystem fs, Path metadataDir) throws IOException, ImportException {
        for (FileStatus f : sortedFiles(fs, metadataDir)) {
            if (f.getPath().getName().startsWith("part-")) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
                    String line = r.readLine();
                    if (line != null && !line.isBlank()) {
                        try {
                            return new ObjectMapper().readTree(line);
                        } catch (IOException e) {
                            throw new ImportException(f.getPath() + " is not MLlib metadata (one JSON line): "
                                    + e.getMessage(), e);
                        }
                    }
                }
            }
        }
        throw new ImportException(metadataDir + " has no part-* file with the model's metadata");
    }

    /** The single row of the data folder's Parquet files. */
    private static Group readDataRow(FileSystem fs, Path dataDir) throws IOException, ImportException {
        if (!fs.exists(dataDir)) {
            throw new ImportException(dataDir.getParent() + " has no data/ folder with the model's weights");
        }
        Group row = null;
        for (FileStatus f : sortedFiles(fs, dataDir)) {
            if (!f.getPath().getName().endsWith(".parquet")) {
                continue;
            }
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), f.getPath())
                    .withConf(fs.getConf()).build()) {
                for (Group g = reader.read(); g != null; g = reader.read()) {
                    if (row != null) {
                        throw new ImportException(dataDir + " holds more than one row; an MLlib model has one");
                    }
                    row = g;
                }
            } catch (RuntimeException e) {
                throw new ImportException(f.getPath() + " is not a readable Parquet file: " + e.getMessage(), e);
            }
        }
        if (row == null) {
            throw new ImportException(dataDir + " holds no Parquet row with the model's weights");
        }
        if (!row.getType().containsField("weights") || row.getFieldRepetitionCount("weights") == 0) {
            throw new ImportException(dataDir + " has no 'weights' column; found " + row.getType());
        }
        return row;
    }

    private static int[] layerSizes(JsonNode metadata, Group row, Path dir) throws ImportException {
        JsonNode layers = metadata.path("paramMap").path("layers");
        int[] sizes;
        if (layers.isArray()) {
            sizes = new int[layers.size()];
            for (int k = 0; k < sizes.length; k++) {
                sizes[k] = layers.get(k).asInt();
            }
        } else if (row.getType().containsField("layers") && row.getFieldRepetitionCount("layers") > 0) {
            double[] d = list(row.getGroup("layers", 0), true);
            sizes = Arrays.stream(d).mapToInt(x -> (int) x).toArray();
        } else {
            throw new ImportException(dir + ": the layer sizes are neither in the metadata (paramMap.layers) nor in"
                    + " the data (layers)");
        }
        if (sizes.length < 2 || Arrays.stream(sizes).anyMatch(s -> s <= 0)) {
            throw new ImportException(dir + ": invalid layer sizes " + Arrays.toString(sizes));
        }
        return sizes;
    }

    private static List<Layer> layers(int[] sizes, double[] weights, Path dir) throws ImportException {
        long expected = 0;
        for (int k = 1; k < sizes.length; k++) {
            expected += (long) sizes[k - 1] * sizes[k] + sizes[k];
        }
        if (weights.length != expected) {
            throw new ImportException(dir + ": layers " + Arrays.toString(sizes) + " need " + expected
                    + " weights and biases, the model holds " + weights.length);
        }
        List<Layer> layers = new ArrayList<>();
        int offset = 0;
        for (int k = 1; k < sizes.length; k++) {
            int in = sizes[k - 1];
            int out = sizes[k];
            double[][] w = new double[out][in];
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    w[j][i] = weights[offset + i * out + j];   // column-major n_out × n_in
                }
            }
            offset += in * out;
            double[] b = Arrays.copyOfRange(weights, offset, offset + out);
            offset += out;
            Activation a = k == sizes.length - 1 ? Activation.SOFTMAX : Activation.SIGMOID;
            try {
                layers.add(new Layer(w, b, Summation.WEIGHTED_SUM, a, Map.of()));
            } catch (IllegalArgumentException e) {
                throw new ImportException(dir + ": layer " + (k - 1) + ": " + e.getMessage(), e);
            }
        }
        return layers;
    }

    /** MLlib's VectorUDT: {type: 0 sparse / 1 dense, size, indices, values}. */
    private static double[] vector(Group v) throws ImportException {
        int type = v.getInteger("type", 0);
        double[] values = list(v.getGroup("values", 0), false);
        if (type == 1) {
            return values;
        }
        if (type != 0) {
            throw new ImportException("the weights vector has unknown type " + type);
        }
        int size = v.getInteger("size", 0);
        double[] indices = list(v.getGroup("indices", 0), true);
        double[] dense = new double[size];
        for (int k = 0; k < indices.length; k++) {
            dense[(int) indices[k]] = values[k];
        }
        return dense;
    }

    /** A Parquet LIST (three-level, or the legacy two-level form) of doubles or ints. */
    private static double[] list(Group list, boolean ints) {
        int n = list.getFieldRepetitionCount(0);
        double[] out = new double[n];
        boolean nested = !list.getType().getType(0).isPrimitive();
        for (int k = 0; k < n; k++) {
            Group holder = nested ? list.getGroup(0, k) : list;
            int index = nested ? 0 : k;
            out[k] = ints ? holder.getInteger(0, index) : holder.getDouble(0, index);
        }
        return out;
    }

    private static List<FileStatus> sortedFiles(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> files = new ArrayList<>(Arrays.asList(fs.listStatus(dir)));
        files.removeIf(f -> !f.isFile() || f.getPath().getName().startsWith("_") || f.getPath().getName().startsWith("."));
        files.sort(Comparator.comparing(f -> f.getPath().getName()));
        return files;
    }

    private static String directoryDigest(FileSystem fs, Path dir) throws IOException {
        MessageDigest sha = Provenance.newSha256();
        for (String sub : List.of("data", "metadata")) {
            Path subDir = new Path(dir, sub);
            if (!fs.exists(subDir)) {
                continue;
            }
            for (FileStatus f : sortedFiles(fs, subDir)) {
                sha.update((sub + "/" + f.getPath().getName()).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(ByteBuffer.allocate(8).putLong(f.getLen()).array());
                try (InputStream in = fs.open(f.getPath())) {
                    byte[] buf = new byte[8192];
                    for (int r = in.read(buf); r > 0; r = in.read(buf)) {
                        sha.update(buf, 0, r);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
