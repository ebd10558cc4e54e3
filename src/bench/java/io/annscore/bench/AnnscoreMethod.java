package io.annscore.bench;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** (c) annscore's ScoringJob. */
public final class AnnscoreMethod implements BenchMethod {
    public static final String ID = "annscore";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Map<String, String> run(SparkSession spark, RunSpec spec) {
        throw new UnsupportedOperationException("waits on ScoringJob (branch sparkjob)");
    }
}
