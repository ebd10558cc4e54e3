package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo job on a real Spark standalone cluster: a master and one worker, each its own JVM on
 * 127.0.0.1, from Spark's Maven jars (a folder with jars/ and a RELEASE file as SPARK_HOME). The job
 * goes through {@code ./submit.sh --master spark://...}, as on any cluster, and its predictions and
 * summary must equal those of the same job run on the embedded Spark in local mode.
 */
class StandaloneClusterIT {
    private static final String RUN_DATE = "2024-01-15";
    /** The demo data set: 150 iris flowers (jobs/data/iris.csv, one row each). */
    private static final long DEMO_ROWS = 150;

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();
    private final Thread killer = new Thread(this::stopAll, "stop-standalone-cluster");

    @Test
    void demoJobOnAStandaloneClusterGivesTheLocalRunsResults() throws Exception {
        Path local = tmp.resolve("local");
        SubmitScript.Result localRun = SubmitScript.run(null, tmp.resolve("local.log"), 10,
                demoArgs(local, "score"));
        assertEquals(0, localRun.code(), "local run failed:\n" + localRun.output());

        Path cluster = tmp.resolve("cluster");
        Path sparkHome = MavenSparkHome.create(tmp.resolve("spark-home"));
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            int masterPort = freePort();
            Path work = Files.createDirectories(tmp.resolve("worker-work"));
            Path masterLog = tmp.resolve("master.log");
            Path workerLog = tmp.resolve("worker.log");
            start(sparkHome, masterLog, "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(freePort()));
            start(sparkHome, workerLog, "org.apache.spark.deploy.worker.Worker",
                    "spark://127.0.0.1:" + masterPort, "--host", "127.0.0.1", "--port", String.valueOf(freePort()),
                    "--webui-port", String.valueOf(freePort()), "--cores", "2", "--memory", "2g",
                    "--work-dir", work.toString());
            awaitLine(workerLog, "Successfully registered with master", Duration.ofMinutes(2), masterLog);

            List<String> args = new ArrayList<>(List.of("--master", "spark://127.0.0.1:" + masterPort,
                    "--executor-memory", "1g", "--conf", "spark.driver.host=127.0.0.1",
                    "--conf", "spark.sql.shuffle.partitions=2", "--conf", "spark.ui.enabled=false"));
            args.addAll(List.of(demoArgs(cluster, "score")));
            SubmitScript.Result clusterRun = SubmitScript.run(sparkHome, tmp.resolve("cluster.log"), 10,
                    args.toArray(new String[0]));
            assertEquals(0, clusterRun.code(), "cluster run failed:\n" + clusterRun.output()
                    + "\n--- worker log:\n" + Files.readString(workerLog));

            // The work ran in executors the worker launched, not in the driver.
            try (Stream<Path> apps = Files.list(work)) {
                assertTrue(apps.anyMatch(p -> p.getFileName().toString().startsWith("app-")),
                        "the worker launched no executor: " + work);
            }
        } finally {
            stopAll();
            Runtime.getRuntime().removeShutdownHook(killer);
        }

        SparkSession spark = SparkSession.builder().master("local[2]").appName("StandaloneClusterIT")
                .config("spark.sql.shuffle.partitions", "1").config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Dataset<Row> localPredictions = withoutRunSpecificColumns(spark.read().parquet(local.resolve("predictions").toString()));
            Dataset<Row> clusterPredictions = withoutRunSpecificColumns(spark.read().parquet(cluster.resolve("predictions").toString()));
            assertEquals(DEMO_ROWS, localPredictions.count(), "every demo row is predicted");
            assertSameRows(localPredictions, clusterPredictions, "predictions");

            Dataset<Row> localSummary = withoutRunSpecificColumns(spark.read().parquet(local.resolve("summary").toString()));
            Dataset<Row> clusterSummary = withoutRunSpecificColumns(spark.read().parquet(cluster.resolve("summary").toString()));
            assertEquals(1, localSummary.count(), "one summary row per run");
            assertSameRows(localSummary, clusterSummary, "summary");
        } finally {
            spark.stop();
        }
    }

    /** The demo job with its outputs moved under {@code root} and a fixed run date. */
    private static String[] demoArgs(Path root, String command) {
        return new String[] {command, "--job", "jobs/demo.conf", "--run-date", RUN_DATE,
                "--output", root.resolve("predictions").toString(),
                "--quarantine", root.resolve("quarantine").toString(),
                "--summary", root.resolve("summary").toString()};
    }

    private static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual, String what) {
        assertEquals(Arrays.asList(expected.columns()), Arrays.asList(actual.columns()), what + " columns");
        assertEquals(expected.count(), actual.count(), what + " row count");
        // As JSON lines: set operations refuse map columns (the summary's quarantine_reasons).
        assertEquals(0, expected.toJSON().exceptAll(actual.toJSON()).count(),
                what + " rows of the local run missing from the cluster run");
        assertEquals(0, actual.toJSON().exceptAll(expected.toJSON()).count(),
                what + " rows of the cluster run missing from the local run");
    }

    /** Drops what differs between two runs by nature: clocks, durations, application ids, hosts. */
    private static Dataset<Row> withoutRunSpecificColumns(Dataset<Row> d) {
        Set<String> drop = new HashSet<>();
        for (String c : d.columns()) {
            String n = c.toLowerCase();
            if (n.contains("time") || n.contains("duration") || n.contains("started") || n.contains("finished")
                    || n.endsWith("_at") || n.contains("application") || n.contains("app_id") || n.equals("run_id")
                    || n.contains("master") || n.contains("host") || n.contains("user") || n.endsWith("_ms")
                    || n.endsWith("_seconds") || n.contains("spark_version")) {
                drop.add(c);
            }
        }
        return d.drop(drop.toArray(new String[0]));
    }

    private void start(Path sparkHome, Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        command.addAll(List.of(
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED"));
        command.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        synchronized (started) {
            started.add(pb.start());
        }
    }

    /** Stops the worker (and the executors it launched) and the master, whatever state they are in. */
    private void stopAll() {
        synchronized (started) {
            for (int i = started.size() - 1; i >= 0; i--) {
                Process p = started.get(i);
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                try {
                    p.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            started.clear();
        }
    }

    private void awaitLine(Path log, String text, Duration timeout, Path otherLog) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            synchronized (started) {
                for (Process p : started) {
                    if (!p.isAlive()) {
                        throw new AssertionError("a cluster process exited with " + p.exitValue() + ":\n"
                                + Files.readString(log) + "\n---\n" + Files.readString(otherLog));
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + Files.readString(log)
                + "\n---\n" + Files.readString(otherLog));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
