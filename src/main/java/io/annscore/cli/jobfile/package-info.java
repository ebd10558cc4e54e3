/**
 * The job file: HOCON layers (the shipped {@code annscore-defaults.conf}, the job file, the command
 * line) merged with Typesafe Config, every key checked against the defaults file (the one registry
 * of job keys, {@link io.annscore.cli.jobfile.JobKeys}), and turned into a {@link
 * io.annscore.job.JobConfig}.
 */
package io.annscore.cli.jobfile;
