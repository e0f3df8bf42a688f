package io.runnel.broker.handler;

/**
 * Who this broker is, as clients are told: cluster id, node id and the advertised endpoint. Immutable.
 *
 * @param clusterId the cluster id, fixed when the data directory was first formatted
 * @param nodeId this broker's {@code node.id}
 * @param host the advertised host
 * @param port the advertised port
 */
public record ClusterIdentity(String clusterId, int nodeId, String host, int port) { }
