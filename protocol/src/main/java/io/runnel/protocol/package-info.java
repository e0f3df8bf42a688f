/**
 * The Kafka wire protocol as Runnel speaks it: request decoding, response encoding (with records left
 * out for zero-copy sends), and the table of API versions Runnel serves.
 *
 * <p>This is the one module that touches kafka-clients' record-format internals
 * ({@code org.apache.kafka.common.record.internal}) on behalf of the network layer, so a move of those
 * classes in a later kafka-clients release touches this module and {@code storage} only.
 */
package io.runnel.protocol;
