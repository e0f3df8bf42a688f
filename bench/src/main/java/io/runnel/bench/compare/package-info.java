/**
 * The side-by-side comparison with Apache Kafka ({@code bench/compare}). {@link io.runnel.bench.compare.Compare}
 * starts each broker in turn on the same machine with matching settings, runs the same loads against
 * each (Kafka's own {@code ProducerPerformance}, {@code ConsumerPerformance}, {@code EndToEndLatency},
 * and {@code runnel perf}; transactional and read_committed ones too), alternating Runnel and Kafka round by round, measures the broker process
 * from {@code /proc}, and reports medians, spreads and Runnel/Kafka ratios as a table, CSV and a chart.
 *
 * <p>Everything here runs in one thread except the RSS sampler; the brokers and the loads are child
 * processes.
 */
package io.runnel.bench.compare;
