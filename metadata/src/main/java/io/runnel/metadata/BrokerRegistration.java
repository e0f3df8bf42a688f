package io.runnel.metadata;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * A broker as the cluster knows it, from its last registration (Kafka's RegisterBrokerRecord) and the
 * changes since. Immutable.
 *
 * @param id the broker's {@code node.id}
 * @param epoch the broker epoch of this registration; a new registration (a restart) has a higher one
 * @param incarnationId drawn by the broker process at start, so a second process with the same id is told apart
 * @param directoryId the id of the broker's first data directory ({@code directory.id} in meta.properties):
 *     the same storage coming back (a restart) is not mistaken for a second broker with the same id
 * @param endpoints the advertised listeners
 * @param rack {@code broker.rack}, or null
 * @param fenced true until the broker has caught up with the metadata log, and again once it stops heartbeating
 * @param inControlledShutdown true while the broker hands over its leaderships before it exits
 */
public record BrokerRegistration(int id, long epoch, Uuid incarnationId, Uuid directoryId, List<BrokerEndpoint> endpoints, String rack, boolean fenced,
                                 boolean inControlledShutdown) {

    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
    }

    /** The endpoint of {@code listener}, if the broker has one. */
    public Optional<BrokerEndpoint> endpoint(String listener) {
        return endpoints.stream().filter(endpoint -> endpoint.listener().equals(listener)).findFirst();
    }

    /** True if the broker may lead and host new replicas: registered, unfenced and not shutting down. */
    public boolean isActive() {
        return !fenced && !inControlledShutdown;
    }

    /** This registration with other fencing and shutdown states. */
    public BrokerRegistration withState(boolean newFenced, boolean newInControlledShutdown) {
        return new BrokerRegistration(id, epoch, incarnationId, directoryId, endpoints, rack, newFenced, newInControlledShutdown);
    }
}
