package io.annscore.cli;

import io.annscore.job.JobConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code score}: runs a job, publishes predictions, quarantine and summary, prints the summary. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Scores the input with the network and writes predictions, quarantine and the run summary.",
                "Layers: conf/annscore-defaults.conf < --job FILE < flags and --set KEY=VALUE."})
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    JobOptions job;

    @Override
    public Integer call() {
        JobConfig config = job.loadForRun();
        SparkRun.score(config);
        return ExitCode.OK.code();
    }
}
