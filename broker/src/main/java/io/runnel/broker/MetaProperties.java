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
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * The identity written into each data directory ({@code meta.properties}, as Kafka writes it): the
 * cluster id and node id it belongs to, and the directory's own id. No format step is needed: a node
 * on empty storage learns the cluster id from its metadata (a node alone draws one; a cluster agrees
 * on one through the quorum) and writes it then. A directory formatted beforehand, as Kafka's
 * {@code kafka-storage format --cluster-id} does, brings its cluster id to that agreement instead.
 *
 * @param clusterId the stored cluster id, if any directory has one
 * @param nodeId the node id
 * @param directoryId the id of the first data directory (stable across restarts)
 */
record MetaProperties(Optional<String> clusterId, int nodeId, Uuid directoryId) {

    private static final String FILE = "meta.properties";

    /** Reads the identity of the data directories; those without one are left for {@link #store}. */
    static MetaProperties load(List<Path> logDirs, int nodeId) throws IOException {
        String clusterId = null;
        Uuid directoryId = null;
        for (Path dir : logDirs) {
            Path file = dir.resolve(FILE);
            if (Files.exists(file)) {
                Properties existing = read(file);
                String dirNode = existing.getProperty("node.id");
                if (!String.valueOf(nodeId).equals(dirNode)) {
                    throw new InvalidConfigException("Invalid value " + nodeId + " for configuration node.id: data directory "
                            + dir + " belongs to node " + dirNode);
                }
                String dirCluster = existing.getProperty("cluster.id");
                if (clusterId != null && dirCluster != null && !clusterId.equals(dirCluster)) {
                    throw new InvalidConfigException("Invalid value " + logDirs + " for configuration log.dirs: data directories belong to clusters "
                            + clusterId + " and " + dirCluster);
                }
                clusterId = clusterId == null ? dirCluster : clusterId;
                if (directoryId == null && dir.equals(logDirs.get(0)) && existing.getProperty("directory.id") != null) {
                    directoryId = Uuid.fromString(existing.getProperty("directory.id"));
                }
            }
        }
        return new MetaProperties(Optional.ofNullable(clusterId), nodeId, directoryId != null ? directoryId : Uuid.randomUuid());
    }

    /**
     * Checks the stored cluster id against the one the cluster's metadata holds, and writes the identity
     * into every directory that has none yet.
     *
     * @throws InvalidConfigException naming the directory if it belongs to another cluster
     */
    MetaProperties store(List<Path> logDirs, String metadataClusterId) throws IOException {
        if (clusterId.isPresent() && !clusterId.get().equals(metadataClusterId)) {
            throw new InvalidConfigException("Invalid value " + logDirs + " for configuration log.dirs: the data belongs to cluster "
                    + clusterId.get() + " but the metadata quorum's cluster id is " + metadataClusterId);
        }
        MetaProperties stored = new MetaProperties(Optional.of(metadataClusterId), nodeId, directoryId);
        for (Path dir : logDirs) {
            if (!Files.exists(dir.resolve(FILE))) {
                stored.write(dir, dir.equals(logDirs.get(0)) ? directoryId : Uuid.randomUuid());
            }
        }
        return stored;
    }

    private void write(Path dir, Uuid id) throws IOException {
        Files.createDirectories(dir);
        Properties properties = new Properties();
        properties.setProperty("version", "1");
        properties.setProperty("cluster.id", clusterId.orElseThrow());
        properties.setProperty("node.id", String.valueOf(nodeId));
        properties.setProperty("directory.id", id.toString());
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
