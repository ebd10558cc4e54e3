package io.annscore.job;

import io.annscore.metrics.Metric;
import io.annscore.network.Network;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * One scoring run: reads the input, scores every row with the network, writes the predictions,
 * quarantines the rows that cannot be scored, aggregates the cost metrics and writes the summary.
 *
 * <p>Before any Spark task runs, on the driver: the model is read and validated (our model file,
 * or an ONNX file or MLlib directory imported in memory: {@link ModelSource}), the input files are
 * listed and their schema read from the first file's header or footer, and every column the job
 * names is checked ({@link InputPlan}). The model is broadcast as the bytes of our model format and
 * their SHA-256; each executor JVM builds the network once ({@link ExecutorNetworks}).
 *
 * <p>The passes this version makes over the data:
 * <ol>
 *   <li>the scoring pass ({@link ScoringPass}: one {@code mapPartitionsWithIndex} over the input,
 *       one Spark job) — each task reads its rows, scores or quarantines each one, writes it at
 *       once to its own prediction or quarantine file (Spark's Parquet/CSV writers, into staging)
 *       and folds it into its partition's {@link RunStats}; the task's result is those statistics
 *       and the names of its files. The partials are merged in partition order
 *       ({@link MetricsAggregation}). Nothing is cached or buffered: memory does not grow with the
 *       rows;</li>
 *   <li>{@code count()} of the input — the rows read, counted apart from the scoring (Parquet: from
 *       the row groups' metadata, no column is read; CSV: a scan of the text);</li>
 *   <li>the summary (a handful of rows made on the driver) written to staging or the catalog.</li>
 * </ol>
 * So the input is read once (twice for CSV) and scored once. The checks — rows read = rows scored
 * + rows quarantined, the quarantine share — run after pass 2, before anything is published; a
 * failed check leaves the staged files to {@link Publisher#cleanup()}. Of the files the tasks
 * wrote, only those named in the results Spark accepted (one attempt per partition) are moved into
 * the staged outputs, so a retried task leaves no duplicate rows; publishing (renames) runs only
 * after every write and check succeeded ({@link Publisher}).
 *
 * <p>A table wider than {@code spark.sql.codegen.maxFields} (100 columns) would be read row by row
 * without code generation; the scoring query is planned with that limit raised to its width, and
 * the session's setting is put back at once ({@link SparkInternals#toInternalRddWide}).
 */
public final class ScoringJob {
    /** Test hook: {@code spark.annscore.test.failFirstAttemptOfPartition=N} fails the first attempt of partition N. */
    public static final String FAIL_PARTITION_CONF = "spark.annscore.test.failFirstAttemptOfPartition";
    /** Rows parsed by {@link #validate()}. */
    public static final int DEFAULT_SAMPLE_ROWS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ScoringJob.class);

    private final JobConfig config;
    private final SparkSession spark;
    private PrintStream console = System.out;

    public ScoringJob(JobConfig config, SparkSession spark) {
        this.config = config;
        this.spark = spark;
    }

    /** Where the summary table is printed at the end of a run (standard output by default). */
    public ScoringJob withConsole(PrintStream console) {
        this.console = console;
        return this;
    }

    private record Prepared(byte[] modelBytes, String sha256, Network network, InputSource source, InputPlan plan) {
    }

    /** Everything that can be checked without running a task. */
    private Prepared prepare() {
        checkOutputLocations();
        LoadedModel model = ModelSource.load(config.modelPath(), spark.sparkContext().hadoopConfiguration(),
                config.input().featureColumns(), config.modelTask(), config.modelOutputs());
        LOG.info("{}: model {} is an {} (sha256 {})", config.jobName(), model.location(), model.describeKind(), model.sha256());
        byte[] bytes = model.modelFile();
        String sha = model.sha256();
        Network network = model.network();
        InputSource source = InputSource.open(spark, config.input());
        int failPartition = Integer.parseInt(spark.conf().get(FAIL_PARTITION_CONF, "-1"));
        InputPlan plan = InputPlan.resolve(source, network, config, failPartition);
        checkSummaryTable();
        return new Prepared(bytes, sha, network, source, plan);
    }

    private void checkOutputLocations() {
        Set<String> seen = new HashSet<>();
        List<String> paths = new ArrayList<>(List.of(config.output().path(), config.quarantinePath()));
        if (config.summary().path() != null) {
            paths.add(config.summary().path());
        }
        for (String p : paths) {
            String normalized = new Path(p).toString();
            if (!seen.add(normalized)) {
                throw new IllegalArgumentException("the predictions, quarantine and summary need different paths; "
                        + p + " is given twice");
            }
        }
    }

    private void checkSummaryTable() {
        String table = config.summary().table();
        if (table == null || !spark.catalog().tableExists(table)) {
            return;
        }
        List<String> partitions = new ArrayList<>();
        Set<String> columns = new HashSet<>();
        List<org.apache.spark.sql.catalog.Column> tableColumns;
        try {
            tableColumns = spark.catalog().listColumns(table).collectAsList();
        } catch (org.apache.spark.sql.AnalysisException e) {
            throw new IllegalArgumentException("cannot read the columns of the summary table " + table + ": " + e.getMessage(), e);
        }
        for (org.apache.spark.sql.catalog.Column c : tableColumns) {
            columns.add(c.name());
            if (c.isPartition()) {
                partitions.add(c.name());
            }
        }
        if (!partitions.equals(List.of("job_name", "run_date"))) {
            throw new IllegalArgumentException("the summary table " + table + " must be partitioned by (job_name, run_date),"
                    + " found " + partitions);
        }
        Set<String> expected = new HashSet<>(List.of(SummaryTable.schema(config.segmentColumns()).fieldNames()));
        if (!columns.equals(expected)) {
            throw new IllegalArgumentException("the summary table " + table + " has columns " + columns
                    + ", this job writes " + expected);
        }
    }

    /**
     * Checks the model, the configuration and the input's schema as {@link #run()} does, and parses
     * the first {@link #DEFAULT_SAMPLE_ROWS} rows (scoring nothing, writing nothing).
     */
    public ValidationReport validate() {
        return validate(DEFAULT_SAMPLE_ROWS);
    }

    public ValidationReport validate(int sampleRows) {
        Prepared p = prepare();
        RowScorer scorer = new RowScorer(p.plan().spec, p.network());
        Map<String, Long> reasons = new LinkedHashMap<>();
        List<String> details = new ArrayList<>();
        InternalRow[] sample = sampleRows > 0 ? SparkInternals.head(p.plan().projected, sampleRows) : new InternalRow[0];
        for (InternalRow row : sample) {
            QuarantineReason r = scorer.check(row);
            if (r != null) {
                reasons.merge(r.code(), 1L, Long::sum);
                if (details.size() < 10) {
                    details.add(r.code() + ": " + scorer.failureDetail());
                }
            }
        }
        return new ValidationReport(p.network().info().name(), p.network().info().version(), p.sha256(),
                p.network().task(), p.network().inputSize(), p.network().outputSize(), p.plan().featureSources,
                config.input().labelColumns(), p.source().fileColumns(), sample.length, reasons, details);
    }

    /**
     * Runs the job and publishes its outputs.
     *
     * @throws InputException when the input does not fit the network or the job (before any task)
     * @throws ModelLoadException when the model cannot be read or is invalid (before any task)
     * @throws QuarantineLimitException when too many rows were quarantined (nothing is published)
     * @throws IllegalStateException when the rows read do not add up (nothing is published)
     */
    public RunSummary run() {
        Instant start = Instant.now();
        String runId = UUID.randomUUID().toString();
        Prepared p = prepare();
        ScoringSpec spec = p.plan().spec;
        LOG.info("{}: run {} scores {} with model {} ({} {}, sha256 {}); features: {}", config.jobName(), runId,
                config.input().paths(), p.network().info().name(), p.network().task().id(),
                p.network().inputSize() + "→" + p.network().outputSize(), p.sha256(), describe(p.plan().featureSources));

        SparkContext sc = spark.sparkContext();
        String previousDescription = sc.getLocalProperty("spark.job.description");
        ProgressListener progress = new ProgressListener(config.jobName());
        sc.addSparkListener(progress);
        Publisher publisher = new Publisher(sc.hadoopConfiguration(), runId);
        Broadcast<ModelPayload> model = JavaSparkContext.fromSparkContext(sc)
                .broadcast(ModelPayload.of(p.modelBytes()));
        try {
            LocalDate date = config.runDate();
            String dateFolder = date == null ? null : "run_date=" + date;
            Path predictionsStage = date == null ? publisher.stage(config.output().path(), "predictions")
                    : publisher.stage(config.output().path(), "predictions", dateFolder);
            Path quarantineStage = date == null ? publisher.stage(config.quarantinePath(), "quarantine")
                    : publisher.stage(config.quarantinePath(), "quarantine", dateFolder);
            boolean csvOut = config.output().format() == JobConfig.Format.CSV;
            OutputLayout layout = new OutputLayout(spec, csvOut);
            ScoringPass pass = new ScoringPass(spec, model, csvOut,
                    SparkInternals.fileSinks(spark, csvOut, layout.predictionSchema(),
                            csvOut ? Map.of("header", "true") : layout.parquetOptions()), predictionsStage.toString(),
                    SparkInternals.fileSinks(spark, false, layout.quarantineSchema(), Map.of()), quarantineStage.toString(),
                    runId);
            JavaRDD<Tuple2<Integer, ScoringPass.Result>> partials = SparkInternals.toInternalRddWide(spark, p.plan().projected)
                    .toJavaRDD().mapPartitionsWithIndex(pass, true);

            describe(sc, "score, write the predictions and the quarantine, aggregate the metrics");
            ScoringPass.Result result = SparkInternals.withSqlConf(spark, () -> MetricsAggregation.aggregate(partials, spec));
            RunStats stats = result.stats;
            describe(sc, "count the rows read");
            long rowsRead = p.source().frame().count();
            if (rowsRead != stats.rows()) {
                throw new IllegalStateException("rows read (" + rowsRead + ") ≠ rows scored (" + stats.scored
                        + ") + rows quarantined (" + stats.quarantined + "); nothing was published");
            }
            if (rowsRead > 0 && (double) stats.quarantined / rowsRead > config.maxQuarantineFraction()) {
                throw new QuarantineLimitException(rowsRead, stats.quarantined, config.maxQuarantineFraction());
            }
            if (partials.getNumPartitions() == 0) {
                // No task ran: write the empty outputs (their schema) as Spark's writer would.
                DataFrameWriter<Row> empty = spark.createDataFrame(List.of(), layout.predictionSchema()).write();
                if (csvOut) {
                    empty.option("header", true).csv(predictionsStage.toString());
                } else {
                    empty.parquet(predictionsStage.toString());
                }
                spark.createDataFrame(List.of(), layout.quarantineSchema()).write().parquet(quarantineStage.toString());
            } else {
                publisher.collectTaskFiles(predictionsStage, result.predictionFiles);
                publisher.collectTaskFiles(quarantineStage, result.quarantineFiles);
            }

            Path predictionsTarget = date == null ? new Path(config.output().path()) : new Path(config.output().path(), dateFolder);
            Path quarantineTarget = date == null ? new Path(config.quarantinePath()) : new Path(config.quarantinePath(), dateFolder);
            LocalDate summaryDate = date != null ? date : LocalDate.ofInstant(start, ZoneOffset.UTC);
            String summaryLocation = config.summary().table() != null ? config.summary().table() : config.summary().path();
            RunSummary summary = summarize(runId, start, Instant.now(), p, stats, rowsRead,
                    predictionsTarget.toString(), quarantineTarget.toString(), summaryLocation);
            List<Row> summaryRows = SummaryTable.rows(summary, config.segmentColumns(), summaryDate);
            StructType summarySchema = SummaryTable.schema(config.segmentColumns());
            Dataset<Row> summaryFrame = spark.createDataFrame(summaryRows, summarySchema);

            Path summaryStage = null;
            Path summaryTarget = null;
            if (config.summary().path() != null) {
                String jobFolder = "job_name=" + ExternalCatalogUtils.escapePathName(config.jobName());
                String summaryFolder = "run_date=" + summaryDate;
                summaryStage = publisher.stage(config.summary().path(), "summary", jobFolder, summaryFolder);
                summaryTarget = new Path(new Path(config.summary().path(), jobFolder), summaryFolder);
                describe(sc, "write the summary");
                summaryFrame.drop("job_name", "run_date").coalesce(1).write().mode(SaveMode.Overwrite)
                        .parquet(summaryStage.toString());
            }

            describe(sc, "publish");
            if (date != null) {
                publisher.replace(predictionsStage, predictionsTarget);
                publisher.replace(quarantineStage, quarantineTarget);
            } else {
                publisher.replaceContents(predictionsStage, predictionsTarget);
                publisher.replaceContents(quarantineStage, quarantineTarget);
            }
            if (summaryStage != null) {
                if (date != null) {
                    publisher.replace(summaryStage, summaryTarget);
                } else {
                    publisher.addContents(summaryStage, summaryTarget);
                }
            } else {
                writeSummaryTable(summaryFrame, date != null);
            }
            LOG.info("{}: run {} published {} predictions to {}, {} quarantined rows to {}, summary to {}",
                    config.jobName(), runId, stats.scored, predictionsTarget, stats.quarantined, quarantineTarget, summaryLocation);
            console.print(SummaryTable.format(summaryRows, summarySchema));
            console.flush();
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("publishing the outputs of run " + runId + " failed: " + e.getMessage(), e);
        } finally {
            model.destroy();
            sc.removeSparkListener(progress);
            sc.setJobDescription(previousDescription);
            publisher.cleanup();
        }
    }

    private void describe(SparkContext sc, String step) {
        sc.setJobDescription("annscore " + config.jobName() + ": " + step);
    }

    private void writeSummaryTable(Dataset<Row> summary, boolean replaceDate) {
        String table = config.summary().table();
        if (!spark.catalog().tableExists(table)) {
            summary.write().format("parquet").partitionBy("job_name", "run_date").saveAsTable(table);
            return;
        }
        String[] columns = spark.table(table).columns();
        org.apache.spark.sql.Column[] ordered = new org.apache.spark.sql.Column[columns.length];
        for (int i = 0; i < columns.length; i++) {
            ordered[i] = InputPlan.column(columns[i]);
        }
        // insertInto ignores the writer's partitionOverwriteMode option: set the session's for this insert only
        // (under the default, static, an overwrite would empty every partition of the table).
        String key = "spark.sql.sources.partitionOverwriteMode";
        String previous = spark.conf().get(key, "static");
        spark.conf().set(key, "dynamic");
        try {
            summary.select(ordered).write().mode(replaceDate ? SaveMode.Overwrite : SaveMode.Append).insertInto(table);
        } finally {
            spark.conf().set(key, previous);
        }
    }

    private RunSummary summarize(String runId, Instant start, Instant end, Prepared p, RunStats stats, long rowsRead,
                                 String predictionsPath, String quarantinePath, String summaryLocation) {
        List<RunSummary.Segment> segments = new ArrayList<>();
        if (stats.segments != null) {
            for (List<String> key : RunStats.sortedKeys(stats.segments)) {
                RunStats s = stats.segments.get(key);
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < key.size(); i++) {
                    parts.add(config.segmentColumns().get(i) + "=" + key.get(i));
                }
                segments.add(new RunSummary.Segment(String.join(", ", parts), config.segmentColumns(), key,
                        s.scored, s.quarantined, s.unlabeled, metricValues(s)));
            }
        }
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (QuarantineReason r : QuarantineReason.values()) {
            if (stats.byReason[r.ordinal()] > 0) {
                reasons.put(r.code(), stats.byReason[r.ordinal()]);
            }
        }
        return new RunSummary(config.jobName(), config.runDate(), runId, start, end, config.input().paths(),
                p.network().info().name(), p.network().info().version(), p.sha256(), p.network().task(),
                rowsRead, stats.scored, stats.quarantined, stats.unlabeled, reasons, metricValues(stats), segments,
                predictionsPath, quarantinePath, summaryLocation, spark.sparkContext().applicationId(), spark.version());
    }

    private static Map<String, Double> metricValues(RunStats stats) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<Metric, Double> e : stats.metrics.results().entrySet()) {
            values.put(e.getKey().id(), e.getValue());
        }
        return values;
    }

    /** The feature → column map for the log; a wide input read by name is summed up, not listed. */
    private static String describe(Map<String, String> featureSources) {
        boolean byName = featureSources.entrySet().stream().allMatch(e -> e.getKey().equals(e.getValue()));
        return byName && featureSources.size() > 10 ? featureSources.size() + " columns of the same names"
                : featureSources.toString();
    }
}
