/**
 * Partitions this broker leads: their logs, leader epochs, and the purgatory where fetches wait for
 * data. Kept in step with the metadata image by {@link io.runnel.broker.partition.PartitionRegistry}.
 */
package io.runnel.broker.partition;
