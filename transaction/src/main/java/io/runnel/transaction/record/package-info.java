/**
 * The records the transaction coordinator keeps in {@code __transaction_state}: one key per
 * transactional id (compaction keeps its latest value) and a value holding the id's producer and
 * transaction, or none (a tombstone) once the id expired. The byte layout is Kafka's, so Kafka's tools
 * read our topic and a Runnel broker reads one Kafka wrote.
 */
package io.runnel.transaction.record;
