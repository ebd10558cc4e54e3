package io.annscore.cli;

import io.annscore.job.rows.PartitionTask;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * The entry point: {@code submit.sh} runs this class (through spark-submit, or on the embedded
 * Spark). It only dispatches to one command class per subcommand and turns failures into one line
 * on standard error and an {@link ExitCode}; the stack trace follows only with {@code --debug}.
 */
@Command(name = "submit.sh",
        customSynopsis = "./submit.sh [spark options] <command> [options]",
        description = {"Scores tables with a trained feed-forward network on Spark.",
                "Spark options (--master, --deploy-mode, --conf k=v, --executor-memory, ...) go before the command."},
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        subcommands = {ScoreCommand.class, BackfillCommand.class, ValidateCommand.class, RecoverCommand.class,
                ProfileCommand.class, ReportCommand.class, InspectCommand.class, ImportCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure while running, 2 usage or configuration error, 3 model error,",
                "4 input error (also: no input for the run date), 5 quarantine limit exceeded, 6 output locked;",
                "backfill: the worst of its dates' codes (README: Exit codes)."})
public final class Main implements Callable<Integer> {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces on errors and log io.annscore at DEBUG.")
    boolean debug;

    @Spec
    CommandSpec spec;

    /** Without a command: the usage, and exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE.code();
    }

    public static void main(String[] args) throws Exception {
        reportStops(System.err);
        int code = run(args);
        finished = true;
        if (YarnClusterDriver.isCurrent()) {
            YarnClusterDriver.finish(code);
            return;
        }
        System.exit(code);
    }

    /** Set once the JVM is stopping (SIGTERM, SIGINT): the failure that follows is the stop, not an error. */
    private static volatile boolean stopping;

    /**
     * On SIGTERM or SIGINT, one line instead of the errors of a Spark context torn down under the
     * job. The run's own hook removes its staging and releases its lock; the JVM exits with 143
     * (SIGTERM) or 130 (SIGINT).
     */
    private static void reportStops(PrintStream err) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished) {
                stopping = true;
                err.println("annscore: stopped: the process was told to stop (SIGTERM or SIGINT); nothing of this"
                        + " run was published, and the previous outputs are as they were, or are completed by the"
                        + " next run if the stop came while publishing");
                err.flush();
            }
        }, "annscore-report-stop"));
    }

    private static volatile boolean finished;

    /** Runs one command line on standard output and error; returns the exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs one command line, writing to the given streams; returns the exit code. Never calls System.exit. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        if (debug) {
            Logging.debug();
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, ignored) -> report(err, ex, debug, ex.getCommandLine()));
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> report(err, ex, debug, cmd));
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Prints one line for a failure (and the stack trace with --debug); returns its exit code. */
    static int report(PrintWriter err, Throwable failure, boolean debug, CommandLine cmd) {
        if (stopping) {
            return ExitCode.INTERRUPTED.code();
        }
        ExitCode.Classified c = ExitCode.classify(failure);
        String message;
        if (c.cause() instanceof ParameterException pe) {
            message = "usage error: " + oneLine(pe.getMessage()) + suggestions(pe) + " (see "
                    + cmd.getCommandSpec().qualifiedName() + " --help)";
        } else {
            message = describe(failure, debug);
        }
        err.println("annscore: " + message);
        if (debug) {
            failure.printStackTrace(err);
        }
        err.flush();
        return c.code().code();
    }

    /** The one line of a failure (after {@code "annscore: "}): its kind, then what and where. */
    static String describe(Throwable failure, boolean debug) {
        ExitCode.Classified c = ExitCode.classify(failure);
        if (c.code() == ExitCode.FAILURE && taskFailure(failure) != null) {
            return c.code().label() + ": a task failed: " + firstLine(taskFailure(failure).getMessage())
                    + (debug ? "" : " (run with --debug for the stack trace)");
        } else if (c.code() == ExitCode.FAILURE) {
            Throwable root = rootCause(failure);
            return c.code().label() + ": " + root.getClass().getSimpleName() + ": " + firstLine(root.getMessage())
                    + (debug ? "" : " (run with --debug for the stack trace)");
        }
        return c.code().label() + ": " + oneLine(c.cause().getMessage());
    }

    /** Whether the JVM is stopping (SIGTERM, SIGINT): a failure seen now is the stop. */
    static boolean stopping() {
        return stopping;
    }

    private static String suggestions(ParameterException pe) {
        if (pe instanceof UnmatchedArgumentException ua) {
            List<String> s = ua.getSuggestions();
            if (!s.isEmpty()) {
                return "; did you mean " + String.join(" or ", s.subList(0, Math.min(3, s.size()))) + "?";
            }
        }
        return "";
    }

    /** The failure of a task, where and why, when that is what failed the run. */
    private static Throwable taskFailure(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof PartitionTask.TaskFailure) {
                return c;
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    /** Our own messages are written to be read whole: newlines become spaces. */
    static String oneLine(String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Foreign messages (Spark's) can run to pages: the first line only. */
    static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    /** The version from the jar's manifest, when run from the application jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"annscore " + (v == null ? "(development build)" : v)};
        }
    }
}
