package io.annscore.bench;

import io.annscore.job.JobConfig;
import io.annscore.job.OutputColumn;
import io.annscore.job.ScoringJob;
import io.annscore.job.rows.ExecutorNetworks;
import io.annscore.job.summary.RunSummary;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * (c) annscore's {@link ScoringJob}, configured as a user's job file would: the model file, the
 * Parquet input with {@code label} as the label and {@code id} passed through, predictions and
 * quarantine as Parquet, the summary table, and every metric of the task (the default). It reads,
 * validates, scores, writes predictions and quarantine, aggregates the metrics and writes the
 * summary: everything a run does.
 */
public final class AnnscoreMethod implements BenchMethod {
    public static final String ID = "annscore";
    /**
     * {@code -Dannscore.bench.outputFormat=delta} (through {@code E2E_JVM_FLAGS}, with {@code E2E_DELTA=1}
     * for the jars): predictions, quarantine and summary as Delta tables, for a run date.
     */
    public static final String OUTPUT_FORMAT = "annscore.bench.outputFormat";
    /** The same job in float32 ({@code model.precision = float32}). */
    public static final String ID_FLOAT32 = "annscore32";
    /** The same job with profiles, the report and progress lines off: what they cost is the difference. */
    public static final String NO_PROFILE_ID = "annscore-noprofile";
    /**
     * The same job writing what the lean floor writes, the id and one value ({@code output.columns =
     * [pass-through, predicted_class]}), with profiles off: the network's and the metrics' own cost
     * over the lean floor.
     */
    public static final String LEAN_ID = "annscore-lean";

    private final io.annscore.network.Precision precision;
    private final boolean monitored;
    private final boolean lean;

    public AnnscoreMethod() {
        this(io.annscore.network.Precision.FLOAT64);
    }

    public AnnscoreMethod(io.annscore.network.Precision precision) {
        this(precision, true);
    }

    AnnscoreMethod(io.annscore.network.Precision precision, boolean monitored) {
        this(precision, monitored, false);
    }

    private AnnscoreMethod(io.annscore.network.Precision precision, boolean monitored, boolean lean) {
        this.precision = precision;
        this.monitored = monitored;
        this.lean = lean;
    }

    /** {@link #LEAN_ID}. */
    static AnnscoreMethod lean() {
        return new AnnscoreMethod(io.annscore.network.Precision.FLOAT64, false, true);
    }

    @Override
    public String id() {
        if (lean) {
            return LEAN_ID;
        }
        if (!monitored) {
            return NO_PROFILE_ID;
        }
        return precision == io.annscore.network.Precision.FLOAT32 ? ID_FLOAT32 : ID;
    }

    @Override
    public Map<String, String> run(SparkSession spark, RunSpec spec) throws Exception {
        JobConfig config = new JobConfig(
                "annscore-e2e-bench",
                null,
                spec.annscoreModel().toString(),
                JobConfig.InputConfig.parquet(List.of(spec.input().toString()), List.of("label"), List.of("id")),
                lean ? new JobConfig.OutputConfig(spec.predictions().toString(), JobConfig.Format.PARQUET,
                                List.of(OutputColumn.PASS_THROUGH, OutputColumn.PREDICTED_CLASS), null)
                        : new JobConfig.OutputConfig(spec.predictions().toString(), JobConfig.Format.PARQUET),
                spec.outputDir().resolve("quarantine").toString(),
                JobConfig.DEFAULT_MAX_QUARANTINE_FRACTION,
                JobConfig.SummaryConfig.atPath(spec.outputDir().resolve("summary").toString()),
                List.of(),
                List.of()).withPrecision(precision);
        if ("delta".equals(System.getProperty(OUTPUT_FORMAT, "parquet"))) {
            // Delta tables are partitioned by the run date: the run is for one.
            config = new JobConfig(config.jobName(), java.time.LocalDate.of(2024, 5, 31), config.modelPath(), config.input(),
                    config.output(), config.quarantinePath(), config.maxQuarantineFraction(), config.summary(),
                    config.metrics(), config.segmentColumns()).withFormats(JobConfig.Format.DELTA,
                    JobConfig.Format.DELTA, JobConfig.Format.DELTA).withPrecision(precision);
        }
        if (monitored) {
            // One profile table per network shape, kept across the runs: every run after the first of a
            // shape bins on the earlier profile's edges (the steady state of a nightly job), and writes
            // the profile and the report.
            config = config.withMonitoring(new JobConfig.Monitoring(5, true,
                    spec.outputDir().getParent().resolve("profiles-" + spec.features() + "x" + spec.classes()).toString(),
                    10, null, null, 0.1, 0.25, false, true, null, 30));
        } else {
            config = config.withMonitoring(new JobConfig.Monitoring(0, false, null, 10, null, null, 0.1, 0.25, false, false,
                    null, 30));
        }
        RunSummary summary = new ScoringJob(config, spark).run();
        return Map.of(
                RunResult.LOG_LOSS, Double.toString(summary.metrics().get("cross_entropy")),
                RunResult.ACCURACY, Double.toString(summary.metrics().get("accuracy")),
                RunResult.ROWS_SCORED, Long.toString(summary.rowsScored()),
                RunResult.ROWS_QUARANTINED, Long.toString(summary.rowsQuarantined()),
                // Local mode: the driver's JVM is the only executor, so this is the count per executor.
                RunResult.NETWORK_BUILDS, Long.toString(ExecutorNetworks.builds()));
    }
}
