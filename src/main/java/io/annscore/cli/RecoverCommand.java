package io.annscore.cli;

import io.annscore.job.JobConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code recover}: finishes the publishing that killed runs of a job left, and does nothing else. */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Finishes what killed runs of the job left: every publishing whose journal is in the",
                "predictions folder is rolled forward under its date's lock. Reads no input and scores nothing.",
                "Any later score or validate of the job does the same first; this command is for a person",
                "who wants it done now (see docs/commit-protocol.md)."})
final class RecoverCommand implements Callable<Integer> {
    @Mixin
    JobOptions job;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JobConfig config = job.loadForRecovery();
        List<String> done = SparkRun.recover(config);
        PrintWriter out = spec.commandLine().getOut();
        if (done.isEmpty()) {
            out.println("nothing to recover under " + config.output().path());
        }
        done.forEach(out::println);
        out.flush();
        return ExitCode.OK.code();
    }
}
