package io.runnel.coordinator.runtime;

/**
 * One record of a coordinator's internal topic, serialized by its state machine: a key and a value
 * (null for a tombstone, which compaction later removes with the key's older values).
 */
public record CoordinatorRecord(byte[] key, byte[] value) { }
