package io.annscore.cli;

/** The exit code a failure maps to, for tests outside the cli package. */
public final class ExitCodeAccess {
    private ExitCodeAccess() {
    }

    public static int code(Throwable failure) {
        return ExitCode.classify(failure).code().code();
    }
}
