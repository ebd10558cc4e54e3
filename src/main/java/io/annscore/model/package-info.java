/**
 * annscore's own model file (JSON): read with every limit checked and every error naming its place,
 * validated into a {@link io.annscore.network.Network}, written back, and fingerprinted (SHA-256).
 * A core package: it may import {@code network} and Jackson, and no Spark, Hadoop or Scala class
 * (enforced by {@code LayeringTest}).
 */
package io.annscore.model;
