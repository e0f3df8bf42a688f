package io.runnel.broker;

import io.runnel.broker.config.InvalidConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * The identity written into each data directory ({@code meta.properties}, as Kafka writes it): the
 * cluster id and node id it belongs to. A fresh directory is formatted on first start (Kafka needs a
 * separate format step; one node needs nothing else here); an existing one must match the node.
 *
 * @param clusterId the cluster id
 * @param nodeId the node id
 */
record MetaProperties(String clusterId, int nodeId) {

    private static final String FILE = "meta.properties";

    /** Reads the identity of the data directories, formatting those that have none. */
    static MetaProperties loadOrFormat(List<Path> logDirs, int nodeId) throws IOException {
        String clusterId = null;
        for (Path dir : logDirs) {
            Path file = dir.resolve(FILE);
            if (Files.exists(file)) {
                Properties existing = read(file);
                String dirNode = existing.getProperty("node.id");
                if (!String.valueOf(nodeId).equals(dirNode)) {
                    throw new InvalidConfigException("Invalid value " + nodeId + " for configuration node.id: data directory "
                            + dir + " belongs to node " + dirNode);
                }
                clusterId = clusterId == null ? existing.getProperty("cluster.id") : clusterId;
            }
        }
        MetaProperties meta = new MetaProperties(clusterId != null ? clusterId : Uuid.randomUuid().toString(), nodeId);
        for (Path dir : logDirs) {
            if (!Files.exists(dir.resolve(FILE))) {
                meta.write(dir);
            }
        }
        return meta;
    }

    private void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Properties properties = new Properties();
        properties.setProperty("version", "1");
        properties.setProperty("cluster.id", clusterId);
        properties.setProperty("node.id", String.valueOf(nodeId));
        properties.setProperty("directory.id", Uuid.randomUuid().toString());
        Path tmp = dir.resolve(FILE + ".tmp");
        try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            properties.store(writer, "Written by Runnel on first start");
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
