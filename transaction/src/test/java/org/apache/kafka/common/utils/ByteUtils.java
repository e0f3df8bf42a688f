package org.apache.kafka.common.utils;

/**
 * Test-only bridge: Kafka 4.3.1's generated {@code TransactionLogValue} (the reference our bytes are
 * checked against) sizes its flexible version with this class, which kafka-clients 4.4 moved to
 * {@code utils.internals}. The one method it calls delegates there, so the tests can run Kafka's own
 * writer next to the kafka-clients version the broker ships.
 */
public final class ByteUtils {

    private ByteUtils() {
    }

    public static int sizeOfUnsignedVarint(int value) {
        return org.apache.kafka.common.utils.internals.ByteUtils.sizeOfUnsignedVarint(value);
    }
}
