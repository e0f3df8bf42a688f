/**
 * What every coordinator's state machines share, whatever they coordinate (groups, transactions):
 * the one coordinator thread and its timers ({@link io.runnel.coordinator.runtime.CoordinatorEventLoop},
 * {@link io.runnel.coordinator.runtime.Scheduler}), the writer of the internal topic their records
 * live in, which of its partitions they own, and the load and unload of those partitions
 * ({@link io.runnel.coordinator.runtime.CoordinatorShard}). Knows nothing of the broker: the broker
 * implements the writer over its partitions and drives the loading.
 */
package io.runnel.coordinator.runtime;
