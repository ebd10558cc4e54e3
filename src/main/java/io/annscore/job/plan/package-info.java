/**
 * Driver-side input planning: {@link io.annscore.job.plan.InputSource} opens the input files (CSV
 * or Parquet) and reads their schema; {@link io.annscore.job.plan.InputPlan} checks every column
 * the job names against the network and the schema, and projects the input to the row layout the
 * executors read ({@link io.annscore.job.rows.RowSpec}); {@link io.annscore.job.plan.InputFingerprint}
 * names what was read (files, sizes, times). Uses Spark's public API only.
 */
package io.annscore.job.plan;
