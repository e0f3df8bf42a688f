package io.runnel.broker.handler;

/**
 * Who this broker is, as ApiVersions v5 checks it (KIP-1242): its cluster id and node id. Immutable.
 *
 * @param clusterId the cluster id, as the metadata quorum recorded it
 * @param nodeId this broker's {@code node.id}
 */
public record ClusterIdentity(String clusterId, int nodeId) { }
