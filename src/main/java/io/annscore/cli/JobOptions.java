package io.annscore.cli;

import io.annscore.cli.jobfile.JobFileLoader.Override;
import io.annscore.cli.jobfile.JobFileLoader;
import io.annscore.job.JobConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The options that describe a job, shared by {@code score} and {@code validate}: a job file, the
 * common keys as flags, and {@code --set key=value} for every other key. Each flag sets exactly one
 * key; giving a key both by flag and by {@code --set} is an error.
 */
public final class JobOptions {
    private static final Logger LOG = LoggerFactory.getLogger(JobOptions.class);

    @Option(names = "--job", paramLabel = "FILE", description = "The job file (HOCON), layered over the defaults.")
    Path jobFile;

    @Option(names = "--model", paramLabel = "PATH", description = "model.path: the network (our JSON model file, ONNX file or MLlib model directory).")
    String model;

    @Option(names = "--task", paramLabel = "regression|binary|multiclass", description = "model.task: the task of an ONNX or MLlib model (default: inferred from its last layer).")
    String task;

    @Option(names = "--outputs", paramLabel = "probabilities|logits|log_probabilities", description = "model.outputs: what an ONNX or MLlib model's last layer gives (default: log_probabilities after a LogSoftmax, else probabilities).")
    String outputs;

    @Option(names = "--input", paramLabel = "PATH", description = "input.paths (repeatable): files, folders or globs.")
    List<String> inputs;

    @Option(names = "--input-format", paramLabel = "csv|parquet", description = "input.format.")
    String inputFormat;

    @Option(names = "--output", paramLabel = "PATH", description = "output.path: where the predictions go.")
    String output;

    @Option(names = "--quarantine", paramLabel = "PATH", description = "quarantine.path (default <output>_quarantine).")
    String quarantine;

    @Option(names = "--summary", paramLabel = "PATH", description = "summary.path (default <output>_summary).")
    String summary;

    @Option(names = "--label", paramLabel = "COL", split = ",", description = "input.labels (repeatable or comma-separated).")
    List<String> labels;

    @Option(names = "--id", paramLabel = "COL", split = ",", description = "input.pass-through (repeatable or comma-separated): columns copied to the outputs.")
    List<String> ids;

    @Option(names = "--features", paramLabel = "a,b,c", split = ",", description = "input.features: the feature columns in the network's input order.")
    List<String> features;

    @Option(names = "--max-quarantine-fraction", paramLabel = "F", description = "quarantine.max-fraction (default 0.01).")
    String maxQuarantineFraction;

    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "run-date (default: yesterday in UTC); fills {run_date} in paths.")
    String runDate;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Sets any job key, e.g. --set input.csv.delimiter=';' or --set 'metrics=[accuracy, f1]'.")
    List<String> sets;

    /** The command line's values in the order of the layers' documentation. */
    List<Override> overrides() {
        List<Override> o = new ArrayList<>();
        add(o, "model.path", model, "--model");
        add(o, "model.task", task, "--task");
        add(o, "model.outputs", outputs, "--outputs");
        add(o, "input.paths", inputs, "--input");
        add(o, "input.format", inputFormat, "--input-format");
        add(o, "output.path", output, "--output");
        add(o, "quarantine.path", quarantine, "--quarantine");
        add(o, "summary.path", summary, "--summary");
        add(o, "input.labels", labels, "--label");
        add(o, "input.pass-through", ids, "--id");
        add(o, "input.features", features, "--features");
        add(o, "quarantine.max-fraction", maxQuarantineFraction, "--max-quarantine-fraction");
        add(o, "run-date", runDate, "--run-date");
        if (sets != null) {
            for (String s : sets) {
                o.add(JobFileLoader.parseSet(s));
            }
        }
        return o;
    }

    private static void add(List<Override> o, String key, Object value, String flag) {
        if (value != null) {
            o.add(new Override(key, value, flag));
        }
    }

    JobConfig load(JobFileLoader loader) {
        return loader.load(jobFile, overrides());
    }

    /**
     * The configuration of one date of a backfill: the layers as for {@code score}, with
     * {@code run-date} set to {@code date} ({@code source} names the flag that gave it).
     */
    JobConfig loadForDate(java.time.LocalDate date, String source) {
        List<Override> o = overrides();
        o.add(new Override("run-date", date.toString(), source));
        return new JobFileLoader().load(jobFile, o);
    }

    /**
     * The configuration a run of {@code score} or {@code validate} uses: loaded from the layers, its
     * model path checked before Spark starts, and logged in full.
     */
    /** The job for {@code recover}, which touches only the outputs: the model need not exist any more. */
    JobConfig loadForRecovery() {
        return load(new JobFileLoader());
    }

    JobConfig loadForRun() {
        JobConfig config = load(new JobFileLoader());
        ModelPaths.requireExistsUnderDefaultFs("model.path", config.modelPath());
        LOG.info("job {} for {}; effective configuration:\n{}", config.jobName(), config.runDate(),
                JobFileLoader.describe(config));
        return config;
    }
}
