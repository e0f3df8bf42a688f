/**
 * The group coordinator wired into the broker: the {@code __consumer_offsets} topic its records live
 * in (created on first use, as Kafka does), the coordinator thread, and loading at start.
 */
package io.runnel.broker.group;
