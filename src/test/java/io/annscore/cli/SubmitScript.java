package io.annscore.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs {@code ./submit.sh} from the repository's top level as a user would, for the *IT tests. */
final class SubmitScript {
    /** The repository's top level: Maven runs the tests there. */
    static final Path REPO = Path.of("").toAbsolutePath();

    record Result(int code, String output) {
    }

    /** JVM options for the short-lived JVMs of a test's run (driver, and on a cluster the other JVMs). */
    static final String QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private SubmitScript() {
    }

    /**
     * Runs submit.sh with the given arguments; standard output and error together in the result.
     *
     * @param sparkHome SPARK_HOME for the run, or null for the embedded Spark (SPARK_HOME unset and
     *     any spark-submit taken off the PATH)
     */
    static Result run(Path sparkHome, Path log, long timeoutMinutes, String... args) throws IOException, InterruptedException {
        return run(sparkHome, log, timeoutMinutes, Map.of(), args);
    }

    /** As {@link #run(Path, Path, long, String...)}, with more environment variables (HADOOP_CONF_DIR). */
    static Result run(Path sparkHome, Path log, long timeoutMinutes, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        return finish(start(sparkHome, log, environment, args), log, timeoutMinutes, args);
    }

    /** As {@link #run(Path, Path, long, String...)} on the embedded Spark, with {@code workDir} as the working directory. */
    static Result runIn(Path workDir, Path log, long timeoutMinutes, String... args) throws IOException, InterruptedException {
        return finish(start(null, log, Map.of(), workDir, args), log, timeoutMinutes, args);
    }

    /** Waits for {@code p}, failing after the timeout with its output, and kills what is left of it either way. */
    private static Result finish(Process p, Path log, long timeoutMinutes, String... args)
            throws IOException, InterruptedException {
        try {
            if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                throw new AssertionError("submit.sh " + String.join(" ", args) + " did not finish in " + timeoutMinutes
                        + " minutes; output:\n" + Files.readString(log));
            }
        } finally {
            kill(p);
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    /** Kills submit.sh and every process under it at once (SIGKILL), as a crash would. */
    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Starts submit.sh with the given arguments, output to {@code log}; see {@link #run}. */
    static Process start(Path sparkHome, Path log, String... args) throws IOException {
        return start(sparkHome, log, Map.of(), args);
    }

    private static Process start(Path sparkHome, Path log, Map<String, String> environment, String... args) throws IOException {
        return start(sparkHome, log, environment, REPO, args);
    }

    private static Process start(Path sparkHome, Path log, Map<String, String> environment, Path workDir, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve("submit.sh").toString());
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        // Short-lived JVMs on a small machine: the C1 compiler only and one GC thread (the environment may override it).
        env.put("JAVA_OPTS", QUICK_JVM);
        if (sparkHome == null) {
            env.remove("SPARK_HOME");
            env.put("PATH", pathWithoutSparkSubmit(env.getOrDefault("PATH", "/usr/bin:/bin")));
        } else {
            env.put("SPARK_HOME", sparkHome.toString());
            env.put("SPARK_SCALA_VERSION", "2.13");
        }
        env.putAll(environment);
        return pb.start();
    }

    private static String pathWithoutSparkSubmit(String path) {
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !Files.isExecutable(Path.of(dir, "spark-submit")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The lines of the output that start with "annscore: ", the CLI's error lines. */
    static List<String> errorLines(String output) {
        return output.lines().filter(l -> l.startsWith("annscore: ")).collect(Collectors.toList());
    }
}
