/**
 * The outputs as tables: Delta Lake tables at a path ({@link io.annscore.job.tables.DeltaTables}),
 * committed by {@link io.annscore.job.tables.TableCommits} as steps of the run's journal, and the
 * checks that a table exists in a form the job can write, made before any data is read
 * ({@link io.annscore.job.tables.TableSchemas}). Spark's public API only; Delta Lake is used through
 * Spark's data source and SQL interfaces, never by its classes, so the application runs without it
 * unless a job asks for it.
 */
package io.annscore.job.tables;
