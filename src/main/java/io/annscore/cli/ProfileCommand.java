package io.annscore.cli;

import io.annscore.importers.ModelLoader;
import io.annscore.job.ProfileJob;
import io.annscore.job.summary.Profiles;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code profile}: writes the profile file of a table's feature columns (the training data, say),
 * and with {@code --model} of the network's outputs on its rows, for a job to name as its drift
 * reference ({@code drift.reference-profile}). See {@link ProfileJob}.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Writes a profile file of a table's feature columns (count, missing, mean, std, min, max and",
                "a histogram on bins from quantiles), to be a job's drift reference (drift.reference-profile).",
                "The columns are named by --features; or, with --model, they are the network's features (each",
                "read from its column, or the one --column-mapping names) and the network's outputs on every",
                "profiled row are profiled too."})
final class ProfileCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "PATH", description = "The table: files, folders or globs (repeatable).")
    List<String> inputs;

    @Option(names = "--input-format", paramLabel = "csv|parquet", description = "Default: csv when the first path ends in .csv, else parquet.")
    String format;

    @Option(names = "--features", split = ",", paramLabel = "a,b,c", description = "The columns to profile.")
    List<String> features;

    @Option(names = "--model", paramLabel = "PATH", description = "Profile the network's features and its outputs.")
    String model;

    @Option(names = "--column-mapping", split = ",", paramLabel = "FEATURE=COLUMN",
            description = "With --model: the column of a feature whose column is named differently (input.column-mapping).")
    java.util.Map<String, String> columnMapping;

    @Option(names = "--bins", paramLabel = "N", defaultValue = "10", description = "Bins per column, from quantiles (default 10, 2 to 100).")
    int bins;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The profile file to write (JSON).")
    String out;

    @Option(names = "--csv-delimiter", paramLabel = "C", defaultValue = ",", description = "The CSV delimiter (default ,); CSV files have a header row.")
    String delimiter;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((features == null) == (model == null)) {
            throw new ParameterException(spec.commandLine(), "give --features or --model (one of them)");
        }
        if (bins < 2 || bins > 100) {
            throw new ParameterException(spec.commandLine(), "--bins must lie in [2, 100], found " + bins);
        }
        boolean shared = SparkSession.getDefaultSession().isDefined(); // a caller's session (tests) stays up
        SparkSession spark = SparkRun.start("profile");
        try {
            List<String> names = features;
            List<String> columns = features;
            byte[] modelFile = null;
            if (model != null) {
                io.annscore.importers.LoadedModel loaded = ModelLoader.load(model, spark.sparkContext().hadoopConfiguration(),
                        List.of());
                names = loaded.network().input().features();
                java.util.Map<String, String> mapping = columnMapping == null ? java.util.Map.of() : columnMapping;
                for (String f : mapping.keySet()) {
                    if (!names.contains(f)) {
                        throw new ParameterException(spec.commandLine(), "--column-mapping maps '" + f
                                + "', which is not a feature of the network; its features: " + names);
                    }
                }
                columns = names.stream().map(f -> mapping.getOrDefault(f, f)).toList();
                modelFile = loaded.modelFile();
            } else if (columnMapping != null) {
                throw new ParameterException(spec.commandLine(), "--column-mapping needs --model");
            }
            boolean csv = format != null ? format.equalsIgnoreCase("csv") : inputs.get(0).matches("(?i).*\\.csv(\\.gz|\\.bz2)?$");
            Dataset<Row> table = csv
                    ? spark.read().option("header", "true").option("sep", delimiter).csv(inputs.toArray(new String[0]))
                    : spark.read().parquet(inputs.toArray(new String[0]));
            List<Profiles.Entry> entries = new ProfileJob(spark).run(table, columns, names, modelFile, bins, out,
                    String.join(", ", inputs));
            long rows = entries.isEmpty() ? 0 : entries.get(0).count();
            spec.commandLine().getOut().println("profile of " + columns.size() + " columns"
                    + (entries.size() > columns.size() ? " and " + (entries.size() - columns.size()) + " outputs" : "")
                    + " over " + rows + " complete rows written to " + out);
            spec.commandLine().getOut().flush();
            return ExitCode.OK.code();
        } finally {
            if (!shared) {
                spark.stop();
            }
        }
    }
}
