package io.annscore.cli;

import io.annscore.job.JobConfig;
import io.annscore.job.ValidationReport;
import java.io.PrintWriter;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code validate}: checks network, configuration, input schema and a sample of rows; scores nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks the network, the job configuration and the input (schema and a sample of rows)",
                "without scoring or writing anything. Exit code 0, or the code of the first problem found."})
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    JobOptions job;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JobConfig config = job.loadForRun();
        ValidationReport report = SparkRun.validate(config);
        PrintWriter out = spec.commandLine().getOut();
        out.print(describe(report, config));
        out.println("valid: job " + config.jobName() + " for " + config.runDate() + " (model " + config.modelPath()
                + ", input " + String.join(", ", config.input().describe()) + ")");
        out.flush();
        return ExitCode.OK.code();
    }

    /** What validate found, for a person to read. */
    static String describe(ValidationReport r, JobConfig config) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("model        %s%s, %s, %d inputs -> %d outputs, sha256 %s%n", r.modelName(),
                r.modelVersion().isEmpty() ? "" : " (version " + r.modelVersion() + ")", r.task().id(),
                r.inputSize(), r.outputSize(), r.modelSha256()));
        s.append("input        columns: ").append(String.join(", ", r.inputColumns())).append('\n');
        s.append("features     ").append(r.featureSources().entrySet().stream()
                .map(e -> e.getKey().equals(e.getValue()) ? e.getKey() : e.getKey() + " <- " + e.getValue())
                .collect(Collectors.joining(", "))).append('\n');
        s.append("labels       ").append(r.labelColumns().isEmpty() ? "(none: no cost metrics)"
                : String.join(", ", r.labelColumns())).append('\n');
        long bad = r.sampleQuarantined().values().stream().mapToLong(Long::longValue).sum();
        s.append(String.format("sample       %d rows parsed, %d would be quarantined%s%n", r.sampleRows(), bad,
                bad == 0 ? "" : " " + r.sampleQuarantined()));
        for (String d : r.sampleDetails()) {
            s.append("             ").append(d).append('\n');
        }
        if (r.sampleRows() > 0 && (double) bad / r.sampleRows() > config.maxQuarantineFraction()) {
            s.append(String.format("warning      %.2f%% of the sample would be quarantined, more than"
                    + " quarantine.max-fraction = %s: a run on this input would likely fail (exit code 5)%n",
                    100.0 * bad / r.sampleRows(), config.maxQuarantineFraction()));
        }
        return s.toString();
    }
}
