package io.annscore.bench;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.negate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * (b) Spark MLlib: {@code VectorAssembler} → {@code MultilayerPerceptronClassificationModel.transform}
 * → write the predictions → {@code MulticlassClassificationEvaluator} log loss and accuracy.
 *
 * <p>Each {@code evaluate} call is a full pass over the frame it is given. Given the transformed
 * frame, each pass would re-read the input and re-score every row; caching it would hold every row
 * (with its feature vector) in memory. This run takes the cheapest correct route we know: score
 * once, write, and evaluate on the written predictions (the columns annscore writes, plus the
 * label), so MLlib
 * pays one scoring pass plus two short reads.
 */
public final class MllibMethod implements BenchMethod {
    public static final String ID = "mllib";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Map<String, String> run(SparkSession spark, RunSpec spec) {
        Dataset<Row> input = spark.read().parquet(spec.input().toString());
        VectorAssembler assembler = new VectorAssembler()
                .setInputCols(BenchNetwork.featureNames(spec.features()).toArray(new String[0]))
                .setOutputCol("features");
        MultilayerPerceptronClassificationModel model =
                MultilayerPerceptronClassificationModel.load(spec.mllibModel().toString());

        List<Column> out = new ArrayList<>();
        out.add(col("id"));
        out.add(col("label"));
        Column p = vector_to_array(col("probability"), "float64");
        for (int k = 0; k < spec.classes(); k++) {
            out.add(p.getItem(k).as("probability_" + k));
        }
        out.add(col("prediction").cast("int").as("predicted_class"));
        // the row's cross-entropy, clipped as annscore's loss column is
        out.add(negate(log(greatest(least(element_at(p, col("label").cast("int").plus(1)), lit(1 - 1e-15)), lit(1e-15))))
                .as("loss"));
        model.transform(assembler.transform(input)).select(out.toArray(new Column[0]))
                .write().mode(SaveMode.Overwrite).parquet(spec.predictions().toString());

        Column[] probabilities = new Column[spec.classes()];
        for (int k = 0; k < probabilities.length; k++) {
            probabilities[k] = col("probability_" + k);
        }
        Dataset<Row> written = spark.read().parquet(spec.predictions().toString())
                .select(
                        col("label"),
                        array_to_vector(array(probabilities)).as("probability"),
                        col("predicted_class").cast("double").as("prediction"));
        MulticlassClassificationEvaluator evaluator = new MulticlassClassificationEvaluator()
                .setLabelCol("label")
                .setPredictionCol("prediction")
                .setProbabilityCol("probability");
        double logLoss = evaluator.setMetricName("logLoss").evaluate(written);
        double accuracy = evaluator.setMetricName("accuracy").evaluate(written);
        return Map.of(
                RunResult.LOG_LOSS, Double.toString(logLoss),
                RunResult.ACCURACY, Double.toString(accuracy));
    }
}
