/**
 * Staging and publishing through each path's Hadoop {@code FileSystem}: everything a run writes goes
 * to an invisible staging folder on the target's file system and is published by renames only after
 * every write and check succeeded. Hadoop's FileSystem API only; no Spark class.
 */
package io.annscore.job.commit;
