/**
 * {@code runnel perf}: load generators on the Kafka Java client. {@code produce} and {@code consume}
 * measure throughput (and the producer's send-to-acknowledgement latency); {@code e2e} sends at a
 * fixed rate and measures how long each record takes from {@code send()} to a consumer's
 * {@code poll()}. Each prints a live progress line and a final table whose rows
 * {@code io.runnel.bench.compare} reads.
 */
package io.runnel.cli.perf;
