package io.runnel.bench.compare;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker configuration both brokers get, by Kafka's names: one listener on the loopback address,
 * data on the same disk, Kafka's default flush policy (none: the OS flushes), the same partition and
 * thread defaults, and the development settings of Kafka's shipped {@code server.properties}
 * (replication factor 1 for internal topics, no initial rebalance delay). Runnel ignores, with a
 * warning, the names it has no use for.
 */
final class BrokerSettings {

    private BrokerSettings() {
    }

    static Map<String, String> shared(Path dataDir, int port) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node.id", "1");
        settings.put("listeners", "PLAINTEXT://localhost:" + port);
        settings.put("log.dirs", dataDir.toAbsolutePath().toString());
        settings.put("num.partitions", "1");
        settings.put("num.network.threads", "3");
        settings.put("num.io.threads", "8");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        return settings;
    }
}
