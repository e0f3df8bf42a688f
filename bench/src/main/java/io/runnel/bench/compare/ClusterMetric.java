package io.runnel.bench.compare;

/** A figure of the three-node comparison ({@link ClusterCompare}), in milliseconds; lower is better. */
enum ClusterMetric {
    READY("Ready: 3 brokers unfenced, from the last start"),
    SLOWEST_NODE("Slowest node's first Metadata answer, from its start"),
    PREPARE("Preparing 3 nodes (Kafka: storage format each)"),
    CREATE_TOPICS_P50("CreateTopics p50"),
    CREATE_TOPICS_P99("CreateTopics p99"),
    CREATE_TOPICS_MAX("CreateTopics max"),
    FAILOVER("kill -9 active controller → CreateTopics OK");

    private final String title;

    ClusterMetric(String title) {
        this.title = title;
    }

    String title() {
        return title;
    }
}
