/**
 * A coordinator's state machine wired into the broker, whatever it coordinates: its internal topic,
 * the writer that appends to the topic's partitions and waits for their replication, the loader
 * that replays a partition when this broker comes to lead it, and the runtime that follows
 * leadership and runs every operation on the coordinator thread.
 */
package io.runnel.broker.coordinator;
