/**
 * The executor side, and the one package that uses Spark's internal APIs (catalyst rows, vectorized
 * column batches, physical plans, file-format writers): a Spark upgrade checks this package and no
 * other ({@code LayeringTest} fails on an internal import anywhere else).
 *
 * <p>Per partition, {@link io.annscore.job.rows.PartitionTask} builds the network once per JVM
 * ({@link io.annscore.job.rows.ExecutorNetworks}) from the broadcast {@link
 * io.annscore.job.rows.ModelPayload}, feeds each projected row to a {@link
 * io.annscore.job.rows.RowEngine} (checks, 8-row blocks, output rows), writes prediction and
 * quarantine rows to the task's own files ({@link io.annscore.job.rows.SparkInternals}) and folds
 * them into the partition's statistics. {@link io.annscore.job.rows.ColumnarRows} reads Parquet
 * column batches in place.
 */
package io.annscore.job.rows;
