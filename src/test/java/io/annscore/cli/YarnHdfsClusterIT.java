package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo job on YARN with its data on HDFS: a MiniDFSCluster (one name node, one data node) and a
 * MiniYARNCluster (one resource manager, one node manager) in this JVM, started once for the class.
 * Every run goes through {@code ./submit.sh --master yarn ...} as a user's would: SPARK_HOME is a
 * folder of Spark's Maven jars (with spark-yarn) whose {@code conf/spark-defaults.conf} says where
 * Spark lives on the nodes, and HADOOP_CONF_DIR holds the {@code core-site.xml} and
 * {@code yarn-site.xml} of the mini clusters. The driver (client mode) or the application master
 * (cluster mode) and the executors are separate JVMs in YARN containers. The model, the inputs and
 * every output are on HDFS; the only local files a run reads are the application jar and the job file.
 *
 * <p>The methods run in order on one set of HDFS outputs: a first date in client mode, its re-run
 * in cluster deploy mode beside another date, then the failures, which must publish nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnHdfsClusterIT {
    private static final String DATE = "2024-03-10";
    /** A date published before the re-run of {@link #DATE}. */
    private static final String OTHER_DATE = "2024-03-09";
    private static final String NO_INPUT_DATE = "2024-03-12";
    private static final String BAD_INPUT_DATE = "2024-03-13";
    /** The demo data set: 150 iris flowers (jobs/data/iris.csv, one row each). */
    private static final long DEMO_ROWS = 150;
    /** The rows of the demo kept for the re-run of {@link #DATE}. */
    private static final int RERUN_ROWS = 100;
    /** Rows of the bad input whose features are not numbers: 3 of 150 is 2%, above the default limit of 1%. */
    private static final int BAD_ROWS = 3;

    /** JVM options for the short-lived JVMs of a run (driver, application master, executor). */
    private static final String QUICK_JVM = SubmitScript.QUICK_JVM;

    @TempDir
    static Path tmp;

    private static MiniDFSCluster dfs;
    private static MiniYARNCluster yarn;
    private static FileSystem hdfs;
    /** hdfs://host:port of the name node, the cluster's default file system. */
    private static String hdfsUri;
    private static Path sparkHome;
    private static Path hadoopConfDir;
    /** The job file: the demo with every path on HDFS. */
    private static Path jobFile;
    private static Path local;
    private static SparkSession spark;
    /** The output of every submit.sh run, kept under target/ for a failure's post-mortem. */
    private static Path logs;

    @BeforeAll
    static void startClusters() throws Exception {
        Instant t0 = Instant.now();
        logs = Files.createDirectories(SubmitScript.REPO.resolve("target").resolve(YarnHdfsClusterIT.class.getSimpleName())
                .resolve("submit-logs"));
        // The local run the cluster runs must match (the embedded Spark, local disk), while the clusters start.
        local = tmp.resolve("local");
        CompletableFuture<SubmitScript.Result> localRun = CompletableFuture.supplyAsync(() -> {
            try {
                return SubmitScript.run(null, logs.resolve("local.log"), 10, "score", "--job", "jobs/demo.conf",
                        "--run-date", DATE, "--output", local.resolve("predictions").toString(),
                        "--quarantine", local.resolve("quarantine").toString(), "--summary", local.resolve("summary").toString());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();
        hdfs = dfs.getFileSystem();
        hdfsUri = hdfs.getUri().toString();

        YarnConfiguration yarnConf = new YarnConfiguration(conf);
        yarnConf.set("fs.defaultFS", hdfsUri);
        // The capacity scheduler refuses to start without its queues named.
        yarnConf.set("yarn.scheduler.capacity.root.queues", "default");
        yarnConf.set("yarn.scheduler.capacity.root.default.capacity", "100");
        yarnConf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
        yarnConf.set("yarn.scheduler.capacity.root.default.user-limit-factor", "1");
        yarnConf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        yarnConf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        yarnConf.set("yarn.scheduler.capacity.node-locality-delay", "-1");
        // Two application masters at once (the default 10% of the node's memory admits one).
        yarnConf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");
        // A shared build machine: no virtual-memory kill, no "disk full" at 90%, a quick heartbeat.
        yarnConf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        yarnConf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        yarnConf.setInt(YarnConfiguration.RM_NM_HEARTBEAT_INTERVAL_MS, 200);
        yarnConf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
        yarn = new MiniYARNCluster(YarnHdfsClusterIT.class.getSimpleName(), 1, 1, 1);
        yarn.init(yarnConf);
        yarn.start();
        // start() can return before the resource manager has put its real port in the configuration.
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, "").endsWith(":0") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }

        hadoopConfDir = Files.createDirectories(tmp.resolve("hadoop-conf"));
        writeSite(hadoopConfDir.resolve("core-site.xml"), Map.of("fs.defaultFS", hdfsUri));
        Map<String, String> yarnSite = new TreeMap<>();
        for (String key : List.of(YarnConfiguration.RM_ADDRESS, YarnConfiguration.RM_SCHEDULER_ADDRESS,
                YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS, YarnConfiguration.RM_ADMIN_ADDRESS,
                YarnConfiguration.RM_WEBAPP_ADDRESS)) {
            yarnSite.put(key, yarn.getConfig().get(key));
        }
        writeSite(hadoopConfDir.resolve("yarn-site.xml"), yarnSite);

        // Spark installed on every node, as spark-defaults.conf tells YARN: no upload of Spark's jars.
        sparkHome = MavenSparkHome.create(tmp.resolve("spark-home"));
        Files.createDirectories(sparkHome.resolve("conf"));
        Files.writeString(sparkHome.resolve("conf/spark-defaults.conf"), String.join("\n",
                "spark.yarn.jars local:" + sparkHome.resolve("jars") + "/*",
                "spark.driver.host 127.0.0.1",
                "spark.yarn.appMasterEnv.SPARK_LOCAL_IP 127.0.0.1",
                "spark.executorEnv.SPARK_LOCAL_IP 127.0.0.1",
                "spark.ui.enabled false",
                "spark.sql.shuffle.partitions 2",
                "spark.yarn.am.memory 512m",
                "spark.executor.memory 512m",
                "spark.executor.instances 1",
                "spark.yarn.scheduler.heartbeat.interval-ms 1000",
                // Short-lived JVMs on a small machine: the C1 compiler only and one GC thread.
                "spark.yarn.am.extraJavaOptions " + QUICK_JVM,
                "spark.executor.extraJavaOptions " + QUICK_JVM,
                "spark.driver.extraJavaOptions " + QUICK_JVM,
                ""));

        // The model and the inputs on HDFS; the same bytes as the local run's.
        hdfs.mkdirs(new org.apache.hadoop.fs.Path("/user/" + System.getProperty("user.name")));
        byte[] iris = Files.readAllBytes(SubmitScript.REPO.resolve("jobs/data/iris.csv"));
        put("/models/iris.json", Files.readAllBytes(SubmitScript.REPO.resolve("jobs/models/iris.json")));
        put("/landing/iris/2024/03/10/iris.csv", iris);
        // Under the user's home on HDFS, for the run with relative paths.
        put("models/iris.json", Files.readAllBytes(SubmitScript.REPO.resolve("jobs/models/iris.json")));
        put("landing-bad/2024/03/13/iris.csv", withNonNumericFeatures(iris, BAD_ROWS));

        jobFile = tmp.resolve("demo-hdfs.conf");
        Files.writeString(jobFile, String.join("\n",
                "# The demo with every path on HDFS.",
                "job.name = demo",
                "model.path = \"" + hdfsUri + "/models/iris.json\"",
                "input {",
                "  paths = [\"" + hdfsUri + "/landing/iris/{run_date:yyyy/MM/dd}/*.csv\"]",
                "  format = csv",
                "  labels = [label]",
                "  pass-through = [id]",
                "}",
                "output.path = \"" + hdfsUri + "/out/predictions\"",
                "quarantine.path = \"" + hdfsUri + "/out/quarantine\"",
                "summary.path = \"" + hdfsUri + "/out/summary\"",
                ""));

        SubmitScript.Result localResult = localRun.get();
        assertEquals(0, localResult.code(), "local run failed:\n" + localResult.output());
        spark = SparkSession.builder().master("local[2]").appName("YarnHdfsClusterIT")
                .config("spark.sql.shuffle.partitions", "1").config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.enabled", "false").getOrCreate();
        System.out.println("YarnHdfsClusterIT: local run and clusters ready in " + Duration.between(t0, Instant.now()).toSeconds() + " s");
    }

    @AfterAll
    static void stopClusters() throws IOException {
        if (spark != null) {
            spark.stop();
        }
        if (yarn != null) {
            yarn.stop();
        }
        if (dfs != null) {
            dfs.shutdown();
        }
    }

    @Test
    @Order(1)
    void clientModeOnHdfsGivesTheLocalRunsResults() throws Exception {
        SubmitScript.Result run = yarnRun("client-1", "--deploy-mode", "client", "score", "--job", jobFile.toString(),
                "--run-date", DATE);
        assertEquals(0, run.code(), "YARN run failed:\n" + run.output());

        Dataset<Row> localPredictions = spark.read().parquet(local.resolve("predictions").toString());
        Dataset<Row> yarnPredictions = spark.read().parquet(hdfsUri + "/out/predictions");
        assertEquals(DEMO_ROWS, localPredictions.count(), "every demo row is predicted");
        assertSameRows(withoutRunSpecificColumns(localPredictions), withoutRunSpecificColumns(yarnPredictions), "predictions");

        Dataset<Row> localSummary = spark.read().parquet(local.resolve("summary").toString());
        Dataset<Row> yarnSummary = spark.read().parquet(hdfsUri + "/out/summary");
        assertEquals(1, localSummary.count(), "one summary row per run");
        assertSameRows(withoutRunSpecificColumns(localSummary).drop("input_paths", "input_fingerprint"),
                withoutRunSpecificColumns(yarnSummary).drop("input_paths", "input_fingerprint"), "summary");
        assertEquals(List.of(hdfsUri + "/landing/iris/2024/03/10/*.csv"),
                yarnSummary.first().getList(yarnSummary.first().fieldIndex("input_paths")), "the input read");

        // It ran as a YARN application, whose id the summary records.
        String appId = yarnSummary.first().getString(yarnSummary.first().fieldIndex("spark_app_id"));
        assertTrue(appId.startsWith("application_"), appId);
        assertEquals(FinalApplicationStatus.SUCCEEDED, report(appId).getFinalApplicationStatus());
    }

    @Test
    @Order(2)
    void aRerunInClusterDeployModeReplacesThatDateOnly() throws Exception {
        // Another date published before (a copy of the first date's partitions), which must stay as it is.
        for (String table : List.of("/out/predictions", "/out/summary/job_name=demo")) {
            FileUtil.copy(hdfs, new org.apache.hadoop.fs.Path(table + "/run_date=" + DATE), hdfs,
                    new org.apache.hadoop.fs.Path(table + "/run_date=" + OTHER_DATE), false, hdfs.getConf());
        }
        List<Row> otherDate = rowsOf("/out/predictions", OTHER_DATE);
        assertEquals(DEMO_ROWS, otherDate.size());

        // The date's input re-landed with fewer rows, then the date re-run. The driver runs in the
        // application master's container: the job file goes with --files and is named bare.
        byte[] iris = Files.readAllBytes(SubmitScript.REPO.resolve("jobs/data/iris.csv"));
        put("/landing/iris/2024/03/10/iris.csv", firstLines(iris, 1 + RERUN_ROWS));
        try {
            SubmitScript.Result run = yarnRun("cluster-rerun", "--deploy-mode", "cluster", "--files", jobFile.toString(),
                    "score", "--job", jobFile.getFileName().toString(), "--run-date", DATE);
            assertEquals(0, run.code(), "YARN cluster-mode re-run failed:\n" + run.output());
        } finally {
            put("/landing/iris/2024/03/10/iris.csv", iris);
        }

        List<Row> rerun = rowsOf("/out/predictions", DATE);
        assertEquals(RERUN_ROWS, rerun.size(), "the date holds the re-run's rows only");
        Set<Integer> ids = rerun.stream().map(r -> Integer.valueOf(r.<String>getAs("id"))).collect(Collectors.toSet());
        assertEquals(RERUN_ROWS, ids.size());
        assertTrue(ids.stream().allMatch(id -> id >= 1 && id <= RERUN_ROWS), "the re-run's ids: " + ids);
        List<Row> summary = rowsOf("/out/summary/job_name=demo", DATE);
        assertEquals(1, summary.size(), "one summary row for the date");
        assertEquals((long) RERUN_ROWS, summary.get(0).<Long>getAs("rows_read"));
        assertSameList(otherDate, rowsOf("/out/predictions", OTHER_DATE), "the other date, untouched");
        assertEquals(1, rowsOf("/out/summary/job_name=demo", OTHER_DATE).size(), "the other date's summary, untouched");
        assertEquals(List.of(), hdfsEntries("/out/predictions").stream().filter(n -> n.startsWith("_staging")).toList(),
                "no staging folder left");

        // YARN saw the driver finish well, at the first attempt.
        ApplicationReport app = report(summary.get(0).getAs("spark_app_id"));
        assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus(), app.getDiagnostics());
        assertEquals(1, app.getCurrentApplicationAttemptId().getAttemptId(), "attempts");
    }

    @Test
    @Order(3)
    void aSchedulerSeesExitCodeFourForNoInputAndFiveForTheQuarantineLimit() throws Exception {
        Set<String> published = new HashSet<>(hdfsEntries("/out/predictions"));

        // Two applications at once (the node manager has room for both): they share no output.
        CompletableFuture<SubmitScript.Result> noInputRun = yarnRunAsync("client-noinput", "--deploy-mode", "client",
                "score", "--job", jobFile.toString(), "--run-date", NO_INPUT_DATE);
        // Relative paths: under the user's home folder on HDFS, the cluster's default file system.
        CompletableFuture<SubmitScript.Result> limitRun = yarnRunAsync("client-quarantine", "--deploy-mode", "client",
                "score", "--model", "models/iris.json", "--input", "landing-bad/{run_date:yyyy/MM/dd}/*.csv",
                "--label", "label", "--id", "id", "--output", "out-bad/predictions", "--run-date", BAD_INPUT_DATE);
        SubmitScript.Result noInput = noInputRun.get();
        SubmitScript.Result limit = limitRun.get();

        assertEquals(4, noInput.code(), noInput.output());
        List<String> errors = SubmitScript.errorLines(noInput.output());
        assertEquals(1, errors.size(), noInput.output());
        assertTrue(errors.get(0).startsWith("annscore: input error: ") && errors.get(0).contains("2024/03/12"), errors.get(0));
        assertEquals(published, new HashSet<>(hdfsEntries("/out/predictions")), "nothing published");

        assertEquals(5, limit.code(), limit.output());
        errors = SubmitScript.errorLines(limit.output());
        assertEquals(1, errors.size(), limit.output());
        assertTrue(errors.get(0).startsWith("annscore: quarantine limit exceeded: " + BAD_ROWS + " of " + DEMO_ROWS + " rows read"),
                errors.get(0));
        assertFalse(hdfs.exists(new org.apache.hadoop.fs.Path("out-bad/predictions/run_date=" + BAD_INPUT_DATE)),
                "nothing published");
    }

    @Test
    @Order(4)
    void clusterDeployModeReportsAFailedRunAsExitCodeOne() throws Exception {
        // A run that fails with exit code 2 (a date that does not exist) in the application master.
        // One attempt: by default YARN starts a second attempt of a failed application master.
        SubmitScript.Result run = yarnRun("cluster-baddate", "--deploy-mode", "cluster", "--conf", "spark.yarn.maxAppAttempts=1",
                "--files", jobFile.toString(), "score", "--job", jobFile.getFileName().toString(), "--run-date", "2024-02-30");
        // spark-submit knows only that the application failed; the code is in YARN's diagnostics.
        assertEquals(1, run.code(), run.output());
        assertTrue(run.output().contains("User application exited with status 2"), run.output());
        // The driver's own line is in the application master's log, which YARN's diagnostics quote.
        assertTrue(run.output().contains("annscore: configuration error: key run-date: "), run.output());
        assertTrue(run.output().contains("finished with failed status"), run.output());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static SubmitScript.Result yarnRun(String name, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--master", "yarn", "--driver-memory", "1g"));
        all.addAll(Arrays.asList(args));
        Instant t0 = Instant.now();
        SubmitScript.Result r = SubmitScript.run(sparkHome, logs.resolve(name + ".log"), 5,
                Map.of("HADOOP_CONF_DIR", hadoopConfDir.toString(), "JAVA_OPTS", QUICK_JVM), all.toArray(new String[0]));
        System.out.println("YarnHdfsClusterIT: " + name + " exited " + r.code() + " in "
                + Duration.between(t0, Instant.now()).toMillis() / 1000.0 + " s");
        return r;
    }

    private static CompletableFuture<SubmitScript.Result> yarnRunAsync(String name, String... args) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return yarnRun(name, args);
            } catch (Exception e) {
                throw new IllegalStateException(name + ": " + e, e);
            }
        });
    }

    private static ApplicationReport report(String appId) throws Exception {
        try (YarnClient client = YarnClient.createYarnClient()) {
            client.init(yarn.getConfig());
            client.start();
            return client.getApplications().stream().filter(a -> a.getApplicationId().toString().equals(appId))
                    .findFirst().orElseThrow(() -> new AssertionError("YARN knows no application " + appId));
        }
    }

    private static void put(String path, byte[] bytes) throws IOException {
        try (OutputStream out = hdfs.create(new org.apache.hadoop.fs.Path(path), true)) {
            out.write(bytes);
        }
    }

    private static List<String> hdfsEntries(String folder) throws IOException {
        return Arrays.stream(hdfs.listStatus(new org.apache.hadoop.fs.Path(folder))).map(s -> s.getPath().getName())
                .sorted().toList();
    }

    /** The rows of one date's partition, sorted by id (the summary: by run id). */
    private static List<Row> rowsOf(String table, String date) {
        Dataset<Row> d = spark.read().parquet(hdfsUri + table + "/run_date=" + date);
        String order = Arrays.asList(d.columns()).contains("id") ? "id" : "run_id";
        return d.orderBy(order).collectAsList();
    }

    private static void assertSameList(List<Row> expected, List<Row> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": row count");
        assertEquals(expected, actual, what);
    }

    /** The CSV with the first feature of its first {@code n} data rows replaced by text. */
    private static byte[] withNonNumericFeatures(byte[] csv, int n) {
        List<String> lines = new String(csv, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        for (int i = 1; i <= n; i++) {
            String[] fields = lines.get(i).split(",", -1);
            fields[1] = "n/a";
            lines.set(i, String.join(",", fields));
        }
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] firstLines(byte[] csv, int n) {
        return (new String(csv, StandardCharsets.UTF_8).lines().limit(n).collect(Collectors.joining("\n")) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void writeSite(Path file, Map<String, String> properties) throws IOException {
        Configuration site = new Configuration(false);
        properties.forEach(site::set);
        try (OutputStream out = Files.newOutputStream(file)) {
            site.writeXml(out);
        }
    }

    /** The same rows, in any order (150 of them: compared on the driver, as text, exactly). */
    private static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual, String what) {
        assertEquals(Arrays.asList(expected.columns()), Arrays.asList(actual.columns()), what + " columns");
        assertEquals(sortedText(expected), sortedText(actual), what + " rows");
    }

    private static List<String> sortedText(Dataset<Row> d) {
        return d.collectAsList().stream().map(Row::toString).sorted().toList();
    }

    /** Drops what differs between two runs by nature: clocks, durations, application ids. */
    private static Dataset<Row> withoutRunSpecificColumns(Dataset<Row> d) {
        return d.drop("run_id", "start_time", "end_time", "duration_seconds", "spark_app_id", "spark_version");
    }
}
