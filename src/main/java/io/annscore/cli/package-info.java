/**
 * The command line: {@link io.annscore.cli.Main} (picocli) and one class per command ({@code score},
 * {@code backfill}, {@code validate}, {@code recover}, {@code inspect}, {@code import}); exit codes ({@link io.annscore.cli.ExitCode})
 * and the one-line error report. {@code inspect} and {@code import} run without Spark.
 */
package io.annscore.cli;
