package io.annscore.cli;

import io.annscore.cli.jobfile.JobFileLoader;
import io.annscore.job.JobConfig;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code validate}: checks network, configuration, input schema and a sample of rows; scores nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks the network, the job configuration and the input (schema and a sample of rows)",
                "without scoring or writing anything. Exit code 0, or the code of the first problem found."})
final class ValidateCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ValidateCommand.class);

    @Mixin
    JobOptions job;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JobConfig config = job.load(new JobFileLoader());
        ModelPaths.requireExists("model.path", config.modelPath());
        LOG.info("job {} for {}; effective configuration:\n{}", config.jobName(), config.runDate(),
                JobFileLoader.describe(config));
        SparkRun.validate(config);
        spec.commandLine().getOut().println("valid: job " + config.jobName() + " for " + config.runDate()
                + " (model " + config.modelPath() + ", input " + String.join(", ", config.input().paths()) + ")");
        return ExitCode.OK.code();
    }
}
