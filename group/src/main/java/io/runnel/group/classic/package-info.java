/**
 * The classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) as Kafka 4's group
 * coordinator runs it: a state machine per group ({@link io.runnel.group.classic.ClassicGroupState}),
 * rebalances with client-side assignment, static membership, and the group's metadata persisted as a
 * {@code GroupMetadata} record in {@code __consumer_offsets} whenever a generation is stabilised or the
 * group empties. Everything here is confined to the coordinator thread: no locks, no threads, timers
 * through the injected {@link io.runnel.coordinator.runtime.Scheduler}.
 */
package io.runnel.group.classic;
