/**
 * The metric merge and the summary: {@link io.annscore.job.summary.RunStats} (a partition's counts
 * and metric statistics), {@link io.annscore.job.summary.MetricsAggregation} (their merge, in
 * partition order, in the scoring job itself), {@link io.annscore.job.summary.RunSummary} (the
 * run's outcome), {@link io.annscore.job.summary.SummaryTable} (its rows, schema and printout) and
 * {@link io.annscore.job.summary.PublishedRun} (the run a date's summary shows, for a backfill).
 * Spark's public API only.
 */
package io.annscore.job.summary;
