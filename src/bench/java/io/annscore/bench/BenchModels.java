package io.annscore.bench;

import static org.apache.spark.sql.functions.col;

import io.annscore.model.ModelFile;
import io.annscore.model.ModelFormatException;
import io.annscore.network.Network;
import io.annscore.network.Scorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes one {@link BenchNetwork} three times — as annscore's model file, as an MLlib model
 * directory and as an ONNX model in float32 — and checks that annscore and MLlib compute the same
 * probabilities (ONNX Runtime's, in float32, are checked by the benchmark's log loss).
 */
public final class BenchModels {
    /** Largest difference allowed between annscore's and MLlib's probabilities on the checked rows. */
    static final double AGREEMENT = 1e-12;
    private static final int CHECKED_ROWS = 20;

    private BenchModels() {
    }

    /**
     * Writes {@code model.json} and {@code mllib/} into {@code modelDir}, then scores the first rows
     * of {@code table} with both and fails when they differ by more than {@value #AGREEMENT}.
     *
     * @return the largest difference found
     */
    public static double write(SparkSession spark, Workload workload, long seed, Path table, Path modelDir)
            throws IOException {
        BenchNetwork weights = new BenchNetwork(workload.layers(), seed);
        Network network = weights.toAnnscore("bench-" + workload.name());
        Files.createDirectories(modelDir);
        Files.write(modelDir.resolve("model.json"), ModelFile.write(network));
        Files.write(modelDir.resolve("model.onnx"), weights.toOnnx());
        Network reread = readModelFile(modelDir.resolve("model.json"));

        VectorAssembler assembler = new VectorAssembler()
                .setInputCols(BenchNetwork.featureNames(workload.features()).toArray(new String[0]))
                .setOutputCol("features");
        Dataset<Row> sample = assembler.transform(spark.read().parquet(table.toString()).limit(CHECKED_ROWS));
        Path mllibDir = modelDir.resolve("mllib");
        writeMllib(weights.toMllibWeights(), workload.layers(), sample, mllibDir);

        MultilayerPerceptronClassificationModel mllib =
                MultilayerPerceptronClassificationModel.load(mllibDir.toString());
        List<Row> rows = mllib.transform(sample).select(col("features"), col("probability")).collectAsList();
        Scorer scorer = reread.newScorer();
        double worst = 0;
        for (Row row : rows) {
            double[] features = ((Vector) row.get(0)).toArray();
            double[] expected = ((Vector) row.get(1)).toArray();
            double[] actual = scorer.score(features);
            for (int k = 0; k < expected.length; k++) {
                worst = Math.max(worst, Math.abs(actual[k] - expected[k]));
            }
        }
        if (rows.isEmpty() || !(worst <= AGREEMENT)) {
            throw new IllegalStateException("annscore and MLlib disagree on the same weights: largest probability"
                    + " difference " + worst + " over " + rows.size() + " rows (allowed " + AGREEMENT
                    + "); the MLlib weight layout is not what BenchNetwork assumes");
        }
        return worst;
    }

    private static Network readModelFile(Path file) throws IOException {
        try {
            return ModelFile.read(file);
        } catch (ModelFormatException e) {
            throw new IllegalStateException("annscore cannot read the model file it just wrote: " + file, e);
        }
    }

    /**
     * MLlib's model constructor is not public: the model is made by "training" with the weights as
     * initial weights and no iteration, then saved with MLlib's own writer. The check below makes
     * sure no training step moved them.
     */
    private static void writeMllib(Vector weights, int[] layers, Dataset<Row> sample, Path dir) throws IOException {
        MultilayerPerceptronClassificationModel model = new MultilayerPerceptronClassifier()
                .setLayers(layers)
                .setInitialWeights(weights)
                .setMaxIter(0)
                .fit(sample);
        if (!model.weights().equals(weights)) {
            throw new IllegalStateException("MultilayerPerceptronClassifier with maxIter 0 changed the initial weights");
        }
        model.write().overwrite().save(dir.toString());
    }
}
