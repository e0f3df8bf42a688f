package io.runnel.testkit.workload;

/**
 * A record a consumer read: the value at {@code offset} of {@code partition}.
 *
 * @param partition the partition of the workload's topic
 * @param offset    the record's offset
 * @param value     the record's value
 */
public record Read(int partition, long offset, String value) {
}
