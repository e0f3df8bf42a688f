package io.runnel.bench.compare;

/**
 * A topic a load needs, created before it runs.
 *
 * @param name the topic name
 * @param partitions how many partitions (replication factor is always 1)
 */
record TopicSpec(String name, int partitions) {
}
