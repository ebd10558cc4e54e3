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
            case FloorMethod.ID:
                return new FloorMethod();
            case MllibMethod.ID:
                return new MllibMethod();
            case AnnscoreMethod.ID:
                return new AnnscoreMethod();
            case AnnscoreMethod.NO_PROFILE_ID:
                return new AnnscoreMethod(false);
            default:
                throw new IllegalArgumentException("unknown method '" + id + "'; known: floor, mllib, annscore, annscore-noprofile");
        }
    }
}
