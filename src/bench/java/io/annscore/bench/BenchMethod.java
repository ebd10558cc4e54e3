package io.annscore.bench;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A way of turning the input table into predictions. Each one reads the same Parquet table and
 * writes the same columns as Parquet: {@code id}, {@code label}, {@code outputs} (an array of one
 * double per class) and {@code predicted_class}.
 */
public interface BenchMethod {

    /** The name on the command line and in the report: floor, mllib or annscore. */
    String id();

    /**
     * Runs the whole application's work on a fresh session.
     *
     * @return what the run found out, by key (see {@link RunResult}): log loss, accuracy, rows,
     *     network builds; empty when the method computes none
     */
    Map<String, String> run(SparkSession spark, RunSpec spec) throws Exception;

    static BenchMethod named(String id) {
        switch (id) {
            case LeanFloorMethod.ID:
                return new LeanFloorMethod();
            case FloorMethod.ID:
                return new FloorMethod();
            case OnnxRuntimeMethod.ID:
                return new OnnxRuntimeMethod();
            case MllibMethod.ID:
                return new MllibMethod();
            case AnnscoreMethod.ID:
                return new AnnscoreMethod();
            case AnnscoreMethod.ID_FLOAT32:
                return new AnnscoreMethod(io.annscore.network.Precision.FLOAT32);
            case AnnscoreMethod.NO_PROFILE_ID:
                return new AnnscoreMethod(io.annscore.network.Precision.FLOAT64, false);
            case AnnscoreMethod.LEAN_ID:
                return AnnscoreMethod.lean();
            default:
                throw new IllegalArgumentException("unknown method '" + id + "'; known: " + String.join(",", BenchOptions.METHODS));
        }
    }
}
