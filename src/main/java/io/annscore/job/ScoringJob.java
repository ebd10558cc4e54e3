package io.annscore.job;

import io.annscore.importers.LoadedModel;
import io.annscore.importers.ModelLoader;
import io.annscore.job.commit.FaultPoints;
import io.annscore.job.commit.OutputPaths;
import io.annscore.job.commit.OrphanStaging;
import io.annscore.job.commit.Publisher;
import io.annscore.job.commit.Recovery;
import io.annscore.job.commit.RunLock;
import io.annscore.job.commit.RunPaths;
import io.annscore.job.plan.InputFingerprint;
import io.annscore.job.plan.InputPlan;
import io.annscore.job.plan.InputSource;
import io.annscore.job.rows.ModelPayload;
import io.annscore.job.rows.OutputLayout;
import io.annscore.job.rows.PartitionTask;
import io.annscore.job.rows.QuarantineReason;
import io.annscore.job.rows.RowEngine;
import io.annscore.job.rows.SparkInternals;
import io.annscore.job.summary.MetricsAggregation;
import io.annscore.job.summary.Profiles;
import io.annscore.job.summary.Reports;
import io.annscore.job.summary.RunStats;
import io.annscore.job.summary.MetricDetails;
import io.annscore.job.summary.PublishedRun;
import io.annscore.job.summary.RunSummary;
import io.annscore.job.summary.SummaryTable;
import io.annscore.job.tables.CatalogTables;
import io.annscore.job.tables.DeltaTables;
import io.annscore.job.tables.TableCommits;
import io.annscore.job.tables.TableSchemas;
import io.annscore.job.commit.Journal;
import io.annscore.metrics.Metric;
import io.annscore.network.Network;
import io.annscore.network.Scorer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * One scoring run: reads the input, scores every row with the network, writes the predictions,
 * quarantines the rows that cannot be scored, aggregates the cost metrics and writes the summary.
 *
 * <p>Before any Spark task runs, on the driver: the model is read and validated (our model file,
 * or an ONNX file or MLlib directory imported in memory: {@link ModelLoader}), the input files are
 * listed and their schema read from the first file's header or footer, and every column the job
 * names is checked ({@link InputPlan}). The model is broadcast as the bytes of our model format and
 * their SHA-256; each executor JVM builds the network once ({@link ExecutorNetworks}).
 *
 * <p>The passes this version makes over the data:
 * <ol>
 *   <li>the scoring pass ({@link PartitionTask}: one {@code mapPartitionsWithIndex} over the input,
 *       one Spark job) — each task reads its rows, scores or quarantines each one, writes it at
 *       once to its own prediction or quarantine file (Spark's Parquet/CSV writers, into staging)
 *       and folds it into its partition's {@link RunStats}; the task's result is those statistics
 *       and the names of its files. The partials are merged in partition order
 *       ({@link MetricsAggregation}). Nothing is cached or buffered: memory does not grow with the
 *       rows;</li>
 *   <li>the summary (a handful of rows made on the driver) written to staging or the catalog.</li>
 * </ol>
 * So the input is read once and scored once. The rows read are counted by Spark's reader (each
 * task's input metrics, returned with its statistics), apart from the scoring's own counts. The
 * checks — rows read = rows scored + rows quarantined, the quarantine share — run after the pass,
 * before anything is published; a
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
    public static final String FAIL_PARTITION_CONF = PartitionTask.FAIL_PARTITION_CONF;
    /** Rows parsed by {@link #validate()}. */
    public static final int DEFAULT_SAMPLE_ROWS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ScoringJob.class);

    private final JobConfig config;
    private final SparkSession spark;
    /** The time this run spent taking the lock, checking for a killed run's leftovers and publishing. */
    private long protocolNanos;
    private PrintStream console = System.out;
    private PrintStream progressOut = System.err;

    public ScoringJob(JobConfig config, SparkSession spark) {
        this.config = config;
        this.spark = spark;
    }

    /** Where the summary table is printed at the end of a run (standard output by default). */
    public ScoringJob withConsole(PrintStream console) {
        this.console = console;
        return this;
    }

    /** Where the progress lines go during the scoring stage (standard error by default). */
    public ScoringJob withProgress(PrintStream progress) {
        this.progressOut = progress;
        return this;
    }

    private record Prepared(LoadedModel model, InputSource source, InputPlan plan, OutputLayout layout,
                            InputFingerprint fingerprint, Profiles.Plan profiles) {
        Network network() {
            return model.network();
        }
    }

    /** Everything that can be checked without running a task. */
    private Prepared prepare() {
        requireDelta();
        LoadedModel model = ModelLoader.load(config.modelPath(), hadoop(), config.input().featureColumns(),
                config.modelTask(), config.modelOutputs());
        LOG.info("{}: model {} is an {} (sha256 {})", config.jobName(), model.location(), model.describeKind(), model.sha256());
        try {
            Scorer.kernelDescription();   // a mistyped -Dannscore.kernel fails here, not in a task
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new JobConfigException(e.getMessage());
        }
        InputSource source = InputSource.open(spark, config.input());
        int failPartition = Integer.parseInt(spark.conf().get(FAIL_PARTITION_CONF, "-1"));
        InputPlan plan = InputPlan.resolve(source, model.network(), config, failPartition);

        // The prediction columns asked for must apply to this network and job (exit 2 otherwise).
        OutputLayout layout = new OutputLayout(plan.spec,
                model.network().output().values() != io.annscore.network.OutputValues.PROBABILITIES, outputChoice());
        checkDeltaTables(layout);
        checkCatalogTables(layout);
        return new Prepared(model, source, plan, layout, InputFingerprint.of(hadoop(), source.files()), profilePlan(plan));
    }

    /** A job that asks for Delta stops here, before anything is read, when Delta Lake is absent. */
    private void requireDelta() {
        JobConfig.Catalog catalog = config.output().catalog();
        if (catalog.predictions() != null || catalog.quarantine() != null || config.summary().table() != null) {
            requireCatalogDelta();
            return;
        }
        if (config.output().format() == JobConfig.Format.DELTA) {
            DeltaTables.require(spark, JobKeys.OUTPUT_FORMAT);
        } else if (config.formats().quarantine() == JobConfig.Format.DELTA) {
            DeltaTables.require(spark, JobKeys.QUARANTINE_FORMAT);
        } else if (config.formats().summary() == JobConfig.Format.DELTA && config.summary().path() != null) {
            DeltaTables.require(spark, JobKeys.SUMMARY_FORMAT);
        }
    }

    /**
     * With catalog tables, Delta is needed for each output that is (or, missing, is created as) a
     * Delta table; the folders that stay folders keep their own formats' rule.
     */
    private void requireCatalogDelta() {
        JobConfig.Catalog catalog = config.output().catalog();
        if (catalog.predictions() != null ? tableIsDelta(catalog.predictions(), config.output().format())
                : config.output().format() == JobConfig.Format.DELTA) {
            DeltaTables.require(spark, catalog.predictions() != null ? JobKeys.OUTPUT_TABLE : JobKeys.OUTPUT_FORMAT);
        }
        if (catalog.quarantine() != null ? tableIsDelta(catalog.quarantine(), config.formats().quarantine())
                : config.formats().quarantine() == JobConfig.Format.DELTA) {
            DeltaTables.require(spark, catalog.quarantine() != null ? JobKeys.QUARANTINE_TABLE : JobKeys.QUARANTINE_FORMAT);
        }
        if (config.summary().table() != null ? tableIsDelta(config.summary().table(), config.formats().summary())
                : deltaSummary()) {
            DeltaTables.require(spark, config.summary().table() != null ? JobKeys.SUMMARY_TABLE : JobKeys.SUMMARY_FORMAT);
        }
    }

    /** Whether a catalog table is a Delta table: an existing one's provider, else the format it is created in. */
    private boolean tableIsDelta(String table, JobConfig.Format format) {
        return tableKind(table, format).equals(CatalogTables.DELTA_KIND);
    }

    /** Each catalog table's journal kind, asked of the metastore once per job (a run's own creation keeps it). */
    private final Map<String, String> tableKinds = new java.util.concurrent.ConcurrentHashMap<>();

    private String tableKind(String table, JobConfig.Format format) {
        return tableKinds.computeIfAbsent(table, t -> CatalogTables.kind(spark, t, format == JobConfig.Format.DELTA));
    }

    /**
     * Existing Delta tables must have the columns this job writes (their logs are read, no data), and
     * no output folder may hold the other kind of table (plain files where a Delta table goes).
     */
    private void checkDeltaTables(OutputLayout layout) {
        String partition = config.runDate() != null ? "run_date" : null;
        JobConfig.Catalog catalog = config.output().catalog();
        if (catalog.predictions() == null) {
            DeltaTables.checkFolderKind(hadoop(), config.output().path(), JobKeys.OUTPUT_PATH,
                    config.output().format() == JobConfig.Format.DELTA);
        }
        if (catalog.quarantine() == null) {
            DeltaTables.checkFolderKind(hadoop(), config.quarantinePath(), JobKeys.QUARANTINE_PATH,
                    config.formats().quarantine() == JobConfig.Format.DELTA);
        }
        if (config.summary().path() != null) {
            DeltaTables.checkFolderKind(hadoop(), config.summary().path(), JobKeys.SUMMARY_PATH, deltaSummary());
        }
        if (config.output().format() == JobConfig.Format.DELTA && catalog.predictions() == null) {
            checkDelta(config.output().path(), JobKeys.OUTPUT_PATH, withPartition(layout.predictionSchema(), partition));
        }
        if (config.formats().quarantine() == JobConfig.Format.DELTA && catalog.quarantine() == null) {
            checkDelta(config.quarantinePath(), JobKeys.QUARANTINE_PATH, withPartition(layout.quarantineSchema(), partition));
        }
        if (deltaSummary()) {
            checkDelta(config.summary().path(), JobKeys.SUMMARY_PATH, SummaryTable.schema(config.segmentColumns()));
        }
    }

    /**
     * Existing catalog tables must be partitioned as this job writes them and have its columns (the
     * catalog is asked, no data is read); a dated run is needed for the predictions' and the
     * quarantine's tables, which are partitioned by run_date.
     */
    private void checkCatalogTables(OutputLayout layout) {
        JobConfig.Catalog catalog = config.output().catalog();
        if ((catalog.predictions() != null || catalog.quarantine() != null) && config.runDate() == null) {
            throw new JobConfigException("key " + (catalog.predictions() != null ? JobKeys.OUTPUT_TABLE : JobKeys.QUARANTINE_TABLE)
                    + ": a catalog table is partitioned by run_date, and this run has no " + JobKeys.RUN_DATE);
        }
        if (catalog.predictions() != null) {
            CatalogTables.check(spark, catalog.predictions(), JobKeys.OUTPUT_TABLE,
                    withPartition(layout.predictionSchema(), "run_date"), List.of("run_date"));
        }
        if (catalog.quarantine() != null) {
            CatalogTables.check(spark, catalog.quarantine(), JobKeys.QUARANTINE_TABLE,
                    withPartition(layout.quarantineSchema(), "run_date"), List.of("run_date"));
        }
        if (config.summary().table() != null) {
            CatalogTables.check(spark, config.summary().table(), JobKeys.SUMMARY_TABLE,
                    SummaryTable.schema(config.segmentColumns()), List.of("job_name", "run_date"));
        }
    }

    private void checkDelta(String path, String key, StructType expected) {
        StructType actual = DeltaTables.schema(spark, path);
        if (actual != null) {
            TableSchemas.check("the Delta table at " + path + " (" + key + ")", expected, actual);
        }
    }

    private static StructType withPartition(StructType schema, String partition) {
        return partition == null ? schema : schema.add(partition, org.apache.spark.sql.types.DataTypes.DateType);
    }

    private boolean deltaSummary() {
        return config.formats().summary() == JobConfig.Format.DELTA && config.summary().path() != null;
    }

    /** The table commits of this run, for the outputs that are Delta tables. */
    private Map<Publisher.Output, Journal.Commit> tableCommits(RunPaths paths, OutputLayout layout, StructType summarySchema,
                                                               org.apache.hadoop.fs.Path summaryTableStage) {
        Map<Publisher.Output, Journal.Commit> tables = new java.util.EnumMap<>(Publisher.Output.class);
        LinkedHashMap<String, String> date = new LinkedHashMap<>();
        if (config.runDate() != null) {
            date.put("run_date", config.runDate().toString());
        }
        JobConfig.Catalog catalog = config.output().catalog();
        if (catalog.predictions() != null) {
            tables.put(Publisher.Output.PREDICTIONS, new Journal.Commit(tableKind(catalog.predictions(),
                    config.output().format()), paths.predictionsStage(), catalog.predictions(),
                    date, true, layout.predictionSchema().json()));
        } else if (config.output().format() == JobConfig.Format.DELTA) {
            tables.put(Publisher.Output.PREDICTIONS, new Journal.Commit("delta", paths.predictionsStage(),
                    config.output().path(), date, true, layout.predictionSchema().json()));
        }
        if (catalog.quarantine() != null) {
            tables.put(Publisher.Output.QUARANTINE, new Journal.Commit(tableKind(catalog.quarantine(),
                    config.formats().quarantine()), paths.quarantineStage(), catalog.quarantine(),
                    date, true, layout.quarantineSchema().json()));
        } else if (config.formats().quarantine() == JobConfig.Format.DELTA) {
            tables.put(Publisher.Output.QUARANTINE, new Journal.Commit("delta", paths.quarantineStage(),
                    config.quarantinePath(), date, true, layout.quarantineSchema().json()));
        }
        if (deltaSummary() || config.summary().table() != null) {
            LinkedHashMap<String, String> run = new LinkedHashMap<>();
            run.put("job_name", config.jobName());
            run.put("run_date", paths.summaryDate().toString());
            StructType staged = new StructType(java.util.Arrays.stream(summarySchema.fields())
                    .filter(f -> !f.name().equals("job_name") && !f.name().equals("run_date"))
                    .toArray(org.apache.spark.sql.types.StructField[]::new));
            tables.put(Publisher.Output.SUMMARY, config.summary().table() != null
                    ? new Journal.Commit(tableKind(config.summary().table(),
                            config.formats().summary()), summaryTableStage, config.summary().table(),
                            run, paths.dated(), staged.json())
                    : new Journal.Commit("delta", paths.summaryStage(), config.summary().path(), run, paths.dated(),
                            staged.json()));
        }
        return tables;
    }


    /**
     * The drift reference and each column's bins (read on the driver before any task: small reads
     * of the profile table or file). A named reference that does not exist fails the run here.
     */
    private Profiles.Plan profilePlan(InputPlan plan) {
        String path = config.profilePath();
        if (path == null) {
            return null;
        }
        JobConfig.Monitoring m = config.monitoring();
        Map<String, Profiles.Entry> reference = null;
        String referenceName = null;
        if (m.referenceRun() != null) {
            reference = Profiles.readRun(spark, path, config.jobName(), LocalDate.parse(m.referenceRun()));
            referenceName = "run " + m.referenceRun();
            if (reference == null) {
                throw new JobConfigException("key " + JobKeys.DRIFT_REFERENCE_RUN + ": the profile table " + path
                        + " holds no profile of job " + config.jobName() + " on " + m.referenceRun());
            }
        } else if (m.referenceProfile() != null) {
            referenceName = "profile " + m.referenceProfile();
            try {
                reference = Profiles.readFile(hadoop(), m.referenceProfile());
            } catch (IOException | IllegalArgumentException e) {
                throw new JobConfigException("key " + JobKeys.DRIFT_REFERENCE_PROFILE + ": cannot read the profile "
                        + m.referenceProfile() + ": " + e.getMessage());
            }
        }
        Map<String, Profiles.Entry> earliest = Profiles.readEarliest(spark, path, config.jobName());
        return Profiles.plan(plan.spec.featureNames(), plan.spec.outputSize(), reference, referenceName, earliest);
    }

    /** No output may be, hold or lie inside an input or another output (checked before anything is read). */
    private void checkPaths() {
        OutputPaths.check(hadoop(), config.input().paths(), config.output().path(), config.quarantinePath(),
                config.summary().path(), config.profilePath(), config.reportPath());
    }

    private Configuration hadoop() {
        return spark.sparkContext().hadoopConfiguration();
    }

    private RunLock lock(String runId, RunPaths paths) {
        return RunLock.acquire(hadoop(), paths.lock(), runId, config.jobName(),
                Duration.ofSeconds(config.lock().leaseSeconds()), Duration.ofSeconds(config.lock().waitSeconds()));
    }

    /**
     * Finishes the publishing that killed runs left behind: this run's own partition (whose lock it
     * holds, or null), then any other partition no live run holds; then removes the staging of this
     * job's runs killed before their journal ({@link OrphanStaging}): of its own partition when it
     * holds the lock, else of each partition whose lock it can take.
     */
    private void recoverLeftovers(Publisher publisher, RunPaths paths, boolean holdsLock) {
        String runId = publisher.name().runId();
        Duration lease = Duration.ofSeconds(config.lock().leaseSeconds());
        try {
            if (holdsLock) {
                String own = Recovery.recover(hadoop(), paths.predictionsRoot(), paths.partition(), new TableCommits(spark));
                if (own != null) {
                    LOG.warn("{}: {}", config.jobName(), own);
                }
            }
            for (String line : Recovery.recoverAll(hadoop(), paths.predictionsRoot(), runId, config.jobName(),
                    lease, Duration.ZERO, new TableCommits(spark))) {
                LOG.warn("{}: {}", config.jobName(), line);
            }
            if (holdsLock) {
                List<org.apache.hadoop.fs.Path> removed = OrphanStaging.remove(hadoop(), paths.predictionsRoot(),
                        publisher.stagings(), publisher.name());
                if (!removed.isEmpty()) {
                    LOG.info("{}: {}: removed {} staging folder(s) of runs killed before their commit", config.jobName(),
                            paths.partition(), removed.size());
                }
            } else {
                for (String line : OrphanStaging.removeAll(hadoop(), paths.predictionsRoot(), publisher.stagings(),
                        publisher.name(), lease, Duration.ZERO, new TableCommits(spark))) {
                    LOG.info("{}: {}", config.jobName(), line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("finishing an earlier run's publishing under " + paths.predictionsRoot()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Finishes what killed runs of this job left (the {@code recover} command): every journal under
     * the predictions folder, each under its lock, waiting up to {@code lock.wait-seconds} for it;
     * then the staging of this job's runs killed before their journal, date by date under its lock.
     */
    public List<String> recover() {
        checkPaths();
        String runId = UUID.randomUUID().toString();
        Publisher publisher = Publisher.of(hadoop(), config, runId);
        RunPaths paths = RunPaths.of(config, publisher, LocalDate.now(ZoneOffset.UTC));
        Duration lease = Duration.ofSeconds(config.lock().leaseSeconds());
        Duration wait = Duration.ofSeconds(config.lock().waitSeconds());
        try {
            requireDelta();
            List<String> lines = new java.util.ArrayList<>(Recovery.recoverAll(hadoop(), paths.predictionsRoot(), runId,
                    config.jobName(), lease, wait, new TableCommits(spark)));
            lines.addAll(OrphanStaging.removeAll(hadoop(), paths.predictionsRoot(), publisher.stagings(), publisher.name(),
                    lease, wait, new TableCommits(spark)));
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("recovering under " + paths.predictionsRoot() + " failed: " + e.getMessage(), e);
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
        requireDelta();
        checkPaths();
        String runId = UUID.randomUUID().toString();
        Publisher publisher = Publisher.of(hadoop(), config, runId);
        recoverLeftovers(publisher, RunPaths.of(config, publisher, LocalDate.now(ZoneOffset.UTC)), false);
        Prepared p = prepare();
        RowEngine.SampleCheck sample = RowEngine.checkSample(p.plan().projected, p.plan().spec, p.network(), sampleRows);
        return new ValidationReport(p.network().info().name(), p.network().info().version(), p.model().sha256(),
                p.network().task(), p.network().inputSize(), p.network().outputSize(), p.plan().featureSources,
                config.input().labelColumns(), p.source().fileColumns(), sample.rows(), sample.reasons(), sample.details());
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
        return execute(null).summary();
    }

    /** What a backfill does with a date. */
    public enum Action {
        /** No run of the date is published: score it. */
        SCORE,
        /** A run of the date is published with the same model and input: leave it. */
        SKIP,
        /** A run of the date is published, but with another model or input, or --force: score it again. */
        REPLACE
    }

    /**
     * What a backfill does with this job's date, and why.
     *
     * @param published the run the date's summary shows, or null
     * @param summary the new run's summary (null when the date was skipped, or for a dry run)
     * @param fingerprint the input the date resolves to
     */
    public record DateOutcome(Action action, String why, PublishedRun published, RunSummary summary,
                              InputFingerprint fingerprint) {
    }

    /**
     * The backfill of one date: exactly {@link #run()}, except that, under the date's lock and after
     * any recovery, a date whose summary shows a published run with the same model SHA-256 and the
     * same input fingerprint (and whose predictions are of that run) is left as it is, unless
     * {@code force}.
     */
    public DateOutcome runUnlessDone(boolean force) {
        return execute(force);
    }

    /**
     * What {@link #runUnlessDone} would do, from the model, the input's listing and schema and the
     * published summary; reads only, and writes nothing (no lock, no recovery).
     *
     * @throws RuntimeException what the run would fail with before reading any row (no input, a bad column)
     */
    public DateOutcome dryRun(boolean force) {
        checkPaths();
        String runId = UUID.randomUUID().toString();
        RunPaths paths = RunPaths.of(config, Publisher.of(hadoop(), config, runId), LocalDate.now(ZoneOffset.UTC));
        Prepared p = prepare();
        DateOutcome d = decide(p, paths, force);
        try {
            if (paths.journal().getFileSystem(hadoop()).exists(paths.journal())) {
                return new DateOutcome(d.action(), d.why() + "; a killed run's publishing of the date is pending"
                        + " (the run finishes it first, which may change this)", d.published(), null, d.fingerprint());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /** {@code force} null: a plain run, never skipped. */
    private DateOutcome execute(Boolean force) {
        Instant start = Instant.now();
        String runId = UUID.randomUUID().toString();
        requireDelta();
        checkPaths();
        Publisher publisher = Publisher.of(hadoop(), config, runId);
        RunPaths paths = RunPaths.of(config, publisher, LocalDate.ofInstant(start, ZoneOffset.UTC));
        // The model, the configuration and the input's schema are checked first: a run that cannot
        // start leaves nothing on disk, not even a lock.
        Prepared p = prepare();
        long lockStart = System.nanoTime();
        try (RunLock lock = lock(runId, paths)) {
            Thread onSignal = new Thread(() -> {
                publisher.cleanup();
                lock.close();
            }, "annscore-stop");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                recoverLeftovers(publisher, paths, true);
                protocolNanos = System.nanoTime() - lockStart;
                DateOutcome d = force == null ? new DateOutcome(Action.SCORE, "run", null, null, p.fingerprint())
                        : decide(p, paths, force);
                if (d.action() == Action.SKIP) {
                    LOG.info("{}: {}: skipped: {}", config.jobName(), config.runDate(), d.why());
                    publisher.cleanup();
                    return d;
                }
                RunSummary summary = run(runId, start, publisher, paths, p);
                return new DateOutcome(d.action(), d.why(), d.published(), summary, d.fingerprint());
            } finally {
                removeHook(onSignal);
            }
        }
    }

    /** Score, skip or replace: compares the date's published run with this run's model and input. */
    private DateOutcome decide(Prepared p, RunPaths paths, boolean force) {
        if (config.runDate() == null) {
            return new DateOutcome(Action.SCORE, "an undated run is never skipped", null, null, p.fingerprint());
        }
        PublishedRun published = PublishedRun.find(spark, config, config.runDate());
        InputFingerprint fp = p.fingerprint();
        if (published == null) {
            return new DateOutcome(Action.SCORE, "no run of the date is published", null, null, fp);
        }
        String of = "run " + published.runId() + " of " + published.endTime();
        // A predictions table carries no run-id marker; its commit precedes the summary's in the
        // journal, so a published summary row of a run says its predictions are committed too.
        String predictionsRun = config.output().catalog().predictions() != null ? published.runId()
                : readRunId(paths.predictionsTarget());
        String why;
        Action action = Action.REPLACE;
        if (!published.runId().equals(predictionsRun)) {
            why = "the summary shows " + of + " but the predictions are of "
                    + (predictionsRun == null ? "no run" : "run " + predictionsRun);
        } else if (!published.modelSha256().equals(p.model().sha256())) {
            why = of + " used another model (sha256 " + abbreviate(published.modelSha256()) + ", now "
                    + abbreviate(p.model().sha256()) + ")";
        } else if (published.inputFingerprint() == null) {
            why = of + " recorded no input fingerprint";
        } else if (!published.inputFingerprint().equals(fp.value())) {
            why = "the input changed since " + of + " (" + describe(published.inputFingerprint()) + ", now "
                    + fp.files() + " files, " + fp.bytes() + " bytes)";
        } else if (force) {
            why = "--force: " + of + " had the same model and input";
        } else {
            action = Action.SKIP;
            why = "published by " + of + " with the same model and input";
        }
        return new DateOutcome(action, why, published, null, fp);
    }

    private String readRunId(org.apache.hadoop.fs.Path predictions) {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(predictions, Publisher.RUN_ID_FILE);
        try {
            org.apache.hadoop.fs.FileSystem fs = file.getFileSystem(hadoop());
            if (!fs.exists(file)) {
                return null;
            }
            try (java.io.InputStream in = fs.open(file)) {
                return new String(in.readNBytes(200), java.nio.charset.StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String sha) {
        return sha == null || sha.length() <= 12 ? String.valueOf(sha) : sha.substring(0, 12) + "…";
    }

    /** "n files, b bytes" from a fingerprint's value. */
    private static String describe(String fingerprint) {
        String files = "?";
        String bytes = "?";
        for (String part : fingerprint.split(";")) {
            if (part.startsWith("files=")) {
                files = part.substring(6);
            } else if (part.startsWith("bytes=")) {
                bytes = part.substring(6);
            }
        }
        return "then " + files + " files, " + bytes + " bytes";
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is stopping (SIGTERM): the hook runs.
        }
    }

    private RunSummary run(String runId, Instant start, Publisher publisher, RunPaths paths, Prepared p) {
        LOG.info("{}: run {} scores {} with model {} ({} {}, sha256 {}); features: {}", config.jobName(), runId,
                config.input().describe(), p.network().info().name(), p.network().task().id(),
                p.network().inputSize() + "→" + p.network().outputSize(), p.model().sha256(),
                describe(p.plan().featureSources));

        SparkContext sc = spark.sparkContext();
        String previousDescription = sc.getLocalProperty("spark.job.description");
        ProgressListener progress = new ProgressListener(config.jobName(), progressOut, config.monitoring().progressSeconds());
        sc.addSparkListener(progress);
        Broadcast<ModelPayload> model = JavaSparkContext.fromSparkContext(sc).broadcast(ModelPayload.of(p.model().modelFile()));
        try {
            OutputLayout layout = p.layout();
            step("score, write the predictions and the quarantine, aggregate the metrics");
            PassResult pass = scoreAndWrite(p, paths, layout, model, runId);
            long rowsRead = pass.result().rowsRead;
            if (config.input().table() != null) {
                // Spark's reader counts the rows it read from the table's files, before input.where
                // filters them: the rows of the table the run is for are counted apart, by a query.
                step("count the rows read");
                rowsRead = p.source().frame().count();
            }
            checkCounts(rowsRead, pass.result().stats);
            collectOutputs(publisher, paths, layout, pass);
            publisher.markRun(paths.predictionsStage());

            List<Profiles.Entry> profile = profileEntries(p, pass.result().stats);
            Profiles.DriftSummary drift = p.profiles() == null ? Profiles.DriftSummary.NONE
                    : Profiles.DriftSummary.of(p.profiles().referenceName(), profile);
            RunSummary summary = summarize(runId, start, Instant.now(), p, pass.result().stats, rowsRead,
                    config.output().catalog().predictions() != null ? config.output().catalog().predictions()
                            : config.output().format() == JobConfig.Format.DELTA ? config.output().path()
                            : paths.predictionsTarget().toString(),
                    config.output().catalog().quarantine() != null ? config.output().catalog().quarantine()
                            : config.formats().quarantine() == JobConfig.Format.DELTA ? config.quarantinePath()
                            : paths.quarantineTarget().toString(), summaryLocation(), drift);
            if (paths.profileStage() != null) {
                step("write the profile");
                spark.createDataFrame(Profiles.rows(config.jobName(), paths.summaryDate(), runId, profile), Profiles.SCHEMA)
                        .drop("job_name", "run_date").coalesce(1).write().mode(SaveMode.Overwrite)
                        .parquet(paths.profileStage().toString());
            }
            List<Row> summaryRows = SummaryTable.rows(summary, config.segmentColumns(), paths.summaryDate());
            StructType summarySchema = SummaryTable.schema(config.segmentColumns());
            Dataset<Row> summaryFrame = spark.createDataFrame(summaryRows, summarySchema);
            // A summary.table's rows are staged beside the predictions' and committed last, in the journal.
            org.apache.hadoop.fs.Path summaryTableStage = config.summary().table() != null
                    ? publisher.stage(config.output().path(), "summary-table") : null;
            org.apache.hadoop.fs.Path summaryStage = summaryTableStage != null ? summaryTableStage : paths.summaryStage();
            if (summaryStage != null) {
                step("write the summary");
                summaryFrame.drop("job_name", "run_date").coalesce(1).write().mode(SaveMode.Overwrite)
                        .parquet(summaryStage.toString());
            }
            if (paths.reportStage() != null) {
                step("write the report");
                // Through Spark, so that this run's values have the types of those read back from the table.
                List<Map<String, Object>> runRows = new ArrayList<>();
                for (Row r : summaryFrame.collectAsList()) {
                    runRows.add(Reports.values(r));
                }
                writeReport(paths, runRows.get(0), runRows.subList(1, runRows.size()), profile);
            }

            step("publish");
            long publishStart = System.nanoTime();
            publisher.publish(paths, paths.journal(), FaultPoints.of(spark.conf().get(FaultPoints.CONF, ""),
                    spark.conf().get(FaultPoints.FAIL_CONF, "")), tableCommits(paths, layout, summarySchema, summaryTableStage),
                    new TableCommits(spark));
            protocolNanos += System.nanoTime() - publishStart;
            LOG.info("{}: run {} published {} predictions to {}, {} quarantined rows to {}, summary to {}"
                    + " (the commit protocol took {} ms: lock, recovery check, journal and publishing)",
                    config.jobName(), runId, pass.result().stats.scored,
                    config.output().catalog().predictions() != null ? config.output().catalog().predictions()
                            : paths.predictionsTarget(),
                    pass.result().stats.quarantined, config.output().catalog().quarantine() != null
                            ? config.output().catalog().quarantine() : paths.quarantineTarget(), summaryLocation(),
                    protocolNanos / 1_000_000);
            console.print(SummaryTable.format(summary, summaryRows, summarySchema));
            console.flush();
            if (drift.alarms() != null && !drift.alarms().isEmpty()) {
                LOG.warn("{}: drift alarm (PSI ≥ {}) against {}: {}", config.jobName(), config.monitoring().psiAlarm(),
                        drift.reference(), drift.alarms());
                if (config.monitoring().failOnAlarm()) {
                    throw new DriftAlarmException(drift.alarms(), drift.maxPsi(), drift.maxPsiColumn(),
                            config.monitoring().psiAlarm(), drift.reference());
                }
            }
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("publishing the outputs of run " + runId + " failed: " + e.getMessage(), e);
        } finally {
            model.destroy();
            sc.removeSparkListener(progress);
            progress.close();
            sc.setJobDescription(previousDescription);
            sc.clearCallSite();
            publisher.cleanup();
        }
    }

    /** The merged result of the scoring pass, and how many partitions it had. */
    private record PassResult(PartitionTask.Result result, int partitions) {
    }

    /** The one pass over the input: each task scores its rows, writes its files and returns its statistics. */
    private PassResult scoreAndWrite(Prepared p, RunPaths paths, OutputLayout layout, Broadcast<ModelPayload> model,
                                     String runId) {
        boolean csvOut = csvOutput();
        PartitionTask task = new PartitionTask(p.plan().spec, model, outputChoice(), config.precision(),
                SparkInternals.fileSinks(spark, csvOut, layout.predictionSchema(),
                        csvOut ? Map.of("header", "true") : layout.parquetOptions()), paths.predictionsStage().toString(),
                SparkInternals.fileSinks(spark, false, layout.quarantineSchema(), Map.of()), paths.quarantineStage().toString(),
                runId);
        if (p.profiles() != null) {
            task.profiled(p.profiles().edges());
        }
        JavaRDD<Tuple2<Integer, PartitionTask.Result>> partials = SparkInternals.toInternalRddWide(spark, p.plan().projected)
                .toJavaRDD().mapPartitionsWithIndex(task, true);
        PartitionTask.Result result = SparkInternals.withSqlConf(spark, () -> MetricsAggregation.aggregate(partials, p.plan().spec));
        return new PassResult(result, partials.getNumPartitions());
    }

    /** Every row read was scored or quarantined, and no more than the allowed share was quarantined. */
    private void checkCounts(long rowsRead, RunStats stats) {
        if (rowsRead != stats.rows()) {
            throw new IllegalStateException("rows read (" + rowsRead + ") ≠ rows scored (" + stats.scored
                    + ") + rows quarantined (" + stats.quarantined + "); nothing was published");
        }
        if (rowsRead > 0 && (double) stats.quarantined / rowsRead > config.maxQuarantineFraction()) {
            throw new QuarantineLimitException(rowsRead, stats.quarantined, config.maxQuarantineFraction());
        }
    }

    /** The staged predictions and quarantine hold exactly the files of the accepted task attempts. */
    private void collectOutputs(Publisher publisher, RunPaths paths, OutputLayout layout, PassResult pass) throws IOException {
        if (pass.partitions() == 0) {
            // No task ran: write the empty outputs (their schema) as Spark's writer would.
            DataFrameWriter<Row> empty = spark.createDataFrame(List.of(), layout.predictionSchema()).write();
            if (csvOutput()) {
                empty.option("header", true).csv(paths.predictionsStage().toString());
            } else {
                empty.parquet(paths.predictionsStage().toString());
            }
            spark.createDataFrame(List.of(), layout.quarantineSchema()).write().parquet(paths.quarantineStage().toString());
        } else {
            publisher.collectTaskFiles(paths.predictionsStage(), pass.result().predictionFiles);
            publisher.collectTaskFiles(paths.quarantineStage(), pass.result().quarantineFiles);
        }
    }

    private OutputLayout.Choice outputChoice() {
        return new OutputLayout.Choice(config.output().columns(), config.output().flat());
    }

    private boolean csvOutput() {
        return config.output().format() == JobConfig.Format.CSV;
    }

    private String summaryLocation() {
        return config.summary().table() != null ? config.summary().table() : config.summary().path();
    }

    /**
     * Names what Spark runs next after annscore's step: the job description (Spark UI's jobs) and
     * the call site, which names the stages (instead of the Spark-internal frame that submitted
     * them, {@code $anonfun$withThreadLocalCaptured$1 at CompletableFuture.java:…}).
     */
    private void step(String step) {
        SparkContext sc = spark.sparkContext();
        sc.setJobDescription("annscore " + config.jobName() + ": " + step);
        sc.setCallSite("annscore " + config.jobName() + ": " + step);
    }

    /** The run's profile entries with their drift; empty when profiles are off. */
    private List<Profiles.Entry> profileEntries(Prepared p, RunStats stats) {
        if (p.profiles() == null) {
            return List.of();
        }
        io.annscore.metrics.ColumnProfiles profile = stats.profile != null ? stats.profile
                : new io.annscore.metrics.ColumnProfiles(p.plan().spec.inputSize(), p.plan().spec.outputSize(),
                        p.profiles().edges());
        return Profiles.entries(profile, p.plan().spec.featureNames(), p.plan().spec.outputSize(), config.monitoring().bins(),
                p.profiles(), config.monitoring().psiWarning(), config.monitoring().psiAlarm());
    }

    /** The HTML report, from this run's summary row and profile and the job's earlier summary rows. */
    private void writeReport(RunPaths paths, Map<String, Object> summaryRow, List<Map<String, Object>> segments,
                             List<Profiles.Entry> profile) throws IOException {
        List<Map<String, Object>> history = Reports.history(spark, config.summary().path(), config.summary().table(),
                config.jobName(), paths.summaryDate(), summaryRow, config.monitoring().trendRuns());
        Map<String, Profiles.Entry> reference = null;
        if (config.profilePath() != null && config.monitoring().drift()) {
            reference = profileReference();
        }
        String html = io.annscore.job.summary.HtmlReport.render(summaryRow, segments, history, profile, reference);
        Reports.write(hadoop(), paths.reportStage(), html);
    }

    private Map<String, Profiles.Entry> profileReference() {
        JobConfig.Monitoring m = config.monitoring();
        try {
            return m.referenceRun() != null
                    ? Profiles.readRun(spark, config.profilePath(), config.jobName(), LocalDate.parse(m.referenceRun()))
                    : Profiles.readFile(hadoop(), m.referenceProfile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RunSummary summarize(String runId, Instant start, Instant end, Prepared p, RunStats stats, long rowsRead,
                                 String predictionsPath, String quarantinePath, String summaryLocation,
                                 Profiles.DriftSummary drift) {
        List<RunSummary.Segment> segments = new ArrayList<>();
        if (stats.segments != null) {
            for (List<String> key : RunStats.sortedKeys(stats.segments)) {
                RunStats s = stats.segments.get(key);
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < key.size(); i++) {
                    parts.add(config.segmentColumns().get(i) + "=" + key.get(i));
                }
                segments.add(new RunSummary.Segment(String.join(", ", parts), config.segmentColumns(), key,
                        s.scored, s.quarantined, s.unlabeled, metricValues(s), details(s, p)));
            }
        }
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (QuarantineReason r : QuarantineReason.values()) {
            if (stats.byReason[r.ordinal()] > 0) {
                reasons.put(r.code(), stats.byReason[r.ordinal()]);
            }
        }
        stats.metrics.errorBounds().forEach((metric, bound) -> {
            if (bound > ERROR_BOUND_WARNING) {
                LOG.warn("{}: {} = {} is known only to ± {}: distinct scores share bins of its score histogram"
                        + " (README: the curve areas and their error bounds)", config.jobName(), metric.id(),
                        stats.metrics.results().get(metric), bound);
            }
        });
        return new RunSummary(config.jobName(), config.runDate(), runId, start, end, config.input().describe(),
                p.fingerprint().value(), p.network().info().name(), p.network().info().version(), p.model().sha256(),
                p.network().task(), config.precision(),
                rowsRead, stats.scored, stats.quarantined, stats.unlabeled, reasons, metricValues(stats), segments,
                predictionsPath, quarantinePath, summaryLocation, spark.sparkContext().applicationId(), spark.version(),
                details(stats, p), drift, io.annscore.job.summary.ChartData.json(stats));
    }

    /** An AUC error bound above this is logged as a warning. */
    static final double ERROR_BOUND_WARNING = 1e-6;

    private static Map<String, Double> metricValues(RunStats stats) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<Metric, Double> e : stats.metrics.results().entrySet()) {
            values.put(e.getKey().id(), e.getValue());
        }
        for (Map.Entry<Metric, Double> e : stats.metrics.errorBounds().entrySet()) {
            values.put(e.getKey().errorBoundId(), e.getValue());
        }
        return values;
    }

    private static MetricDetails details(RunStats stats, Prepared p) {
        io.annscore.network.Task task = stats.metrics.task();
        return new MetricDetails(stats.badWeight, stats.metrics.weight(),
                task == io.annscore.network.Task.MULTICLASS ? stats.metrics.topK() : null,
                p.network().output().classNames(), stats.metrics.classReport(),
                task == io.annscore.network.Task.BINARY ? stats.metrics.thresholdReport() : null);
    }

    /** The feature → column map for the log; a wide input read by name is summed up, not listed. */
    private static String describe(Map<String, String> featureSources) {
        boolean byName = featureSources.entrySet().stream().allMatch(e -> e.getKey().equals(e.getValue()));
        return byName && featureSources.size() > 10 ? featureSources.size() + " columns of the same names"
                : featureSources.toString();
    }
}
