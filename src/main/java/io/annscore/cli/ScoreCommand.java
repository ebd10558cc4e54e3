package io.annscore.cli;

import io.annscore.cli.jobfile.JobFileLoader;
import io.annscore.job.JobConfig;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code score}: runs a job, publishes predictions, quarantine and summary, prints the summary. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Scores the input with the network and writes predictions, quarantine and the run summary.",
                "Layers: conf/annscore-defaults.conf < --job FILE < flags and --set KEY=VALUE."})
final class ScoreCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreCommand.class);

    @Mixin
    JobOptions job;

    @Override
    public Integer call() {
        JobConfig config = job.load(new JobFileLoader());
        ModelPaths.requireExists("model.path", config.modelPath());
        LOG.info("job {} for {}; effective configuration:\n{}", config.jobName(), config.runDate(),
                JobFileLoader.describe(config));
        SparkRun.score(config);
        return ExitCode.OK.code();
    }
}
