package io.runnel.testkit.workload;

import java.util.Map;
import java.util.Objects;

/**
 * The shape of a {@link Workload}: where it writes, how many producers and consumers, how fast. Immutable.
 *
 * @param bootstrapServers    the cluster's {@code bootstrap.servers}
 * @param topic               the topic, which must exist with {@code partitions} partitions
 * @param partitions          its partition count
 * @param keys                how many distinct keys ({@code k0..}); key {@code i} goes to partition {@code i % partitions}
 * @param producers           idempotent producers (acks=all), each on its own thread
 * @param consumers           consumers in one group, each on its own thread; 0 for none
 * @param sendsPerSecond      per producer; sends are paced evenly
 * @param maxInFlight         per producer, sends awaiting an answer at most (the pacing waits beyond)
 * @param producerOverrides   producer configs over the workload's defaults
 * @param consumerOverrides   consumer configs over the workload's defaults
 */
public record WorkloadConfig(String bootstrapServers, String topic, int partitions, int keys, int producers, int consumers, int sendsPerSecond,
                             int maxInFlight, Map<String, Object> producerOverrides, Map<String, Object> consumerOverrides) {

    public WorkloadConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        if (partitions < 1 || keys < partitions || producers < 1 || consumers < 0 || sendsPerSecond < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("need partitions >= 1, keys >= partitions, producers >= 1, consumers >= 0, sendsPerSecond >= 1,"
                    + " maxInFlight >= 1");
        }
        producerOverrides = Map.copyOf(producerOverrides);
        consumerOverrides = Map.copyOf(consumerOverrides);
    }

    /**
     * A workload of Jepsen's Kafka test's shape on {@code topic}: 3 producers at 100 sends a second each over
     * 4 keys per partition, 2 consumers in a group.
     */
    public static WorkloadConfig defaults(String bootstrapServers, String topic, int partitions) {
        return new WorkloadConfig(bootstrapServers, topic, partitions, 4 * partitions, 3, 2, 100, 50, Map.of(), Map.of());
    }

    /** The same workload with other producer and consumer counts. */
    public WorkloadConfig withClients(int producerCount, int consumerCount) {
        return new WorkloadConfig(bootstrapServers, topic, partitions, keys, producerCount, consumerCount, sendsPerSecond, maxInFlight, producerOverrides,
                consumerOverrides);
    }

    /** The same workload at another rate per producer. */
    public WorkloadConfig withRate(int perProducerPerSecond) {
        return new WorkloadConfig(bootstrapServers, topic, partitions, keys, producers, consumers, perProducerPerSecond, maxInFlight, producerOverrides,
                consumerOverrides);
    }

    /** The same workload with other client config overrides. */
    public WorkloadConfig withOverrides(Map<String, Object> producer, Map<String, Object> consumer) {
        return new WorkloadConfig(bootstrapServers, topic, partitions, keys, producers, consumers, sendsPerSecond, maxInFlight, producer, consumer);
    }
}
