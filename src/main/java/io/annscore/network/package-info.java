/**
 * The network and its forward pass, in plain Java: layers, summation and activation functions,
 * the input and output specifications, and {@link io.annscore.network.Scorer}, which runs rows (one
 * at a time or in blocks) through the layers; where the JVM has the JDK's Vector API
 * ({@code jdk.incubator.vector}), {@code VectorKernel} computes its weighted sums and
 * sigmoids. A core package: it imports no Spark, Hadoop or Scala
 * class (enforced by {@code LayeringTest}), so it is tested and benchmarked without a cluster.
 */
package io.annscore.network;
