/**
 * The records the coordinator keeps in {@code __consumer_offsets}: a key naming what the record is
 * about (compaction keeps the latest value per key) and a value, or none for a tombstone. The byte
 * layout follows Kafka's, so Kafka's tools can read the topic.
 */
package io.runnel.group.record;
