/**
 * The broker's metrics and health: a Micrometer registry published over HTTP in Prometheus' text
 * format and as JMX MBeans, meters for requests, topics, partitions, consumer groups and the JVM, and
 * the liveness and readiness endpoints. Meters read the state of storage, metadata and groups through
 * their public methods; nothing below the broker knows about metrics.
 */
package io.runnel.broker.metrics;
