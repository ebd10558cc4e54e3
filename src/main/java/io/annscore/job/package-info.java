/**
 * The Spark job, driver side: {@link io.annscore.job.JobConfig} (the typed, checked job) and {@link
 * io.annscore.job.ScoringJob}, which runs the steps in the order the data flows through the
 * sub-packages:
 * <ol>
 *   <li>{@code importers}: resolve and validate the model;</li>
 *   <li>{@link io.annscore.job.plan}: open the input, check its columns, plan the projection;</li>
 *   <li>broadcast the model file ({@link io.annscore.job.rows.ModelPayload});</li>
 *   <li>{@link io.annscore.job.rows}: on the executors, score or quarantine each row and write it
 *       to the task's files;</li>
 *   <li>{@link io.annscore.job.summary}: merge the partitions' statistics, build the summary;</li>
 *   <li>{@link io.annscore.job.commit}: stage and publish the outputs.</li>
 * </ol>
 * Only the {@code rows} package may use Spark's internal APIs (enforced by {@code LayeringTest}).
 */
package io.annscore.job;
