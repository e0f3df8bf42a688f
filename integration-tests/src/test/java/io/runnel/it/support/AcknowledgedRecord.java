package io.runnel.it.support;

/**
 * A record the broker acknowledged: where the producer's callback said it was written.
 *
 * @param partition the partition
 * @param offset    the offset the broker assigned
 * @param key       the record's key
 * @param value     the record's value
 */
public record AcknowledgedRecord(int partition, long offset, String key, String value) {
}
