/**
 * The group coordinator wired into the broker: the {@code __consumer_offsets} topic its records live
 * in (created on first use, as Kafka does), and what only groups add to the shared coordinator runtime.
 */
package io.runnel.broker.group;
