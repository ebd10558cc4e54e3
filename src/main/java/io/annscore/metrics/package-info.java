/**
 * Cost metrics as mergeable sufficient statistics: each partition folds its rows into a
 * {@link io.annscore.metrics.MetricStats}, the partials merge in any split and order, and the
 * values are read at the end. A core package: plain Java, no Spark, Hadoop or Scala import
 * (enforced by {@code LayeringTest}).
 */
package io.annscore.metrics;
