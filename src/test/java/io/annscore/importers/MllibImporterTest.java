package io.annscore.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.network.Activation;
import io.annscore.network.Layer;
import io.annscore.network.Network;
import io.annscore.network.Scorer;
import io.annscore.network.Task;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MllibImporterTest {
    private static final List<String> IRIS = List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm",
            "petal_width_cm");

    @Test
    void theIrisModelSavedBySparkReproducesMllibsOwnProbabilities() throws Exception {
        // Given the directory MultilayerPerceptronClassifier wrote (layers [4, 8, 3])
        Network net = MllibImporter.read(Fixtures.path("iris_relu_multiclass", "mllib_model"),
                ImportOptions.defaults().withFeatures(IRIS));

        // Then: sigmoid hidden layer, softmax output, multiclass, features as given
        assertEquals(List.of(Activation.SIGMOID, Activation.SOFTMAX),
                net.layers().stream().map(Layer::activation).toList());
        assertEquals(List.of(4, 8), net.layers().stream().map(Layer::inputSize).toList());
        assertEquals(Task.MULTICLASS, net.task());
        assertEquals(IRIS, net.input().features());

        // and each row's probabilities match MLlib's to 1e-9 relative, its prediction too
        Map<String, Map<String, String>> data = Fixtures.csvById(Fixtures.path("iris_relu_multiclass", "data.csv"));
        Map<String, Map<String, String>> expected =
                Fixtures.csvById(Fixtures.path("iris_relu_multiclass", "mllib_expected.csv"));
        assertEquals(150, expected.size());
        Scorer scorer = net.newScorer();
        for (Map.Entry<String, Map<String, String>> e : expected.entrySet()) {
            double[] out = scorer.score(Fixtures.features(data.get(e.getKey()), IRIS));
            for (int k = 0; k < 3; k++) {
                double want = Double.parseDouble(e.getValue().get("out_" + k));
                assertEquals(want, out[k], 1e-9 * Math.abs(want), "id " + e.getKey() + " out_" + k);
            }
            assertEquals(Integer.parseInt(e.getValue().get("predicted_class")), net.output().predictedClass(out));
        }
    }

    @Test
    void provenanceRecordsTheSparkVersionAndADigestOfTheDirectory() throws Exception {
        Path dir = Fixtures.path("iris_relu_multiclass", "mllib_model");
        Network net = MllibImporter.read(dir);
        Map<String, String> p = net.info().provenance();
        assertEquals("mllib_model", net.info().name());
        assertEquals("mllib", p.get(Provenance.IMPORTER));
        assertEquals("4.2.0", p.get("spark_version"));
        assertEquals("mlpc_872aa4388170", p.get("mllib_uid"));
        assertTrue(p.get(Provenance.SOURCE_SHA256).matches("[0-9a-f]{64}"), p.get(Provenance.SOURCE_SHA256));
        assertEquals(List.of("x0", "x1", "x2", "x3"), net.input().features());
    }

    @Test
    void aModelOfAnotherClassIsRefusedNamingTheClass(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("metadata"));
        Files.writeString(dir.resolve("metadata/part-00000"), "{\"class\":\"org.apache.spark.ml.classification"
                + ".LogisticRegressionModel\",\"sparkVersion\":\"4.2.0\",\"uid\":\"logreg_1\",\"paramMap\":{}}\n",
                StandardCharsets.UTF_8);
        ImportException e = assertThrows(ImportException.class, () -> MllibImporter.read(dir));
        assertTrue(e.getMessage().contains("holds an MLlib org.apache.spark.ml.classification.LogisticRegressionModel"),
                e.getMessage());
    }

    @Test
    void aDirectoryWithoutMetadataIsNotAnMllibModel(@TempDir Path dir) {
        ImportException e = assertThrows(ImportException.class, () -> MllibImporter.read(dir));
        assertTrue(e.getMessage().contains("has no metadata/ folder"), e.getMessage());
    }

    /**
     * A Spark 2.x layout (layer sizes in the data, not in paramMap), a sparse weights vector, and
     * thresholds for two classes, written with Parquet's example writer in Spark's schema.
     */
    @Test
    void aSpark2LayoutWithASparseVectorAndTwoClassThresholdsImportsAsBinary(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("metadata"));
        Files.writeString(dir.resolve("metadata/part-00000"), "{\"class\":\"" + MllibImporter.MLPC_CLASS
                + "\",\"sparkVersion\":\"2.4.8\",\"uid\":\"mlpc_2\",\"paramMap\":{\"thresholds\":[0.4,0.6]}}\n");
        MessageType schema = MessageTypeParser.parseMessageType("message spark_schema {"
                + " optional group layers (LIST) { repeated group list { required int32 element; } }"
                + " optional group weights { required int32 type (INT_8); optional int32 size;"
                + "   optional group indices (LIST) { repeated group list { required int32 element; } }"
                + "   optional group values (LIST) { repeated group list { required double element; } } } }");
        Files.createDirectories(dir.resolve("data"));
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("data/part-00000.parquet").toUri());
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(file).withType(schema)
                .withConf(new Configuration()).build()) {
            Group row = new SimpleGroupFactory(schema).newGroup();
            Group layers = row.addGroup("layers");
            layers.addGroup("list").append("element", 2);
            layers.addGroup("list").append("element", 2);
            // 2 × 2 weights column-major (w00, w10, w01, w11), then biases (b0, b1): only w00 = 1,
            // w11 = −1 and b1 = 0.5 are non-zero.
            Group weights = row.addGroup("weights");
            weights.append("type", 0).append("size", 6);
            Group indices = weights.addGroup("indices");
            Group values = weights.addGroup("values");
            int[] idx = {0, 3, 5};
            double[] val = {1.0, -1.0, 0.5};
            for (int k = 0; k < idx.length; k++) {
                indices.addGroup("list").append("element", idx[k]);
                values.addGroup("list").append("element", val[k]);
            }
            w.write(row);
        }

        Network net = MllibImporter.read(dir);

        assertEquals(Task.BINARY, net.task());
        assertEquals(0.6, net.output().threshold(), 1e-15);   // t1 / (t0 + t1)
        assertEquals(-1.0, net.layers().get(0).weight(1, 1));
        // x = (2, 1): net inputs (2, −0.5); P(class 1) = 1 / (1 + e^2.5) = 0.07585818002124355
        double[] out = net.newScorer().score(new double[] {2, 1});
        assertEquals(0.07585818002124355, out[1], 1e-15);
        assertEquals(0, net.output().predictedClass(out));
    }
}
