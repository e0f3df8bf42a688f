package io.runnel.broker.handler;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.protocol.KafkaRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The cluster's brokers as a client is told of them: the live (unfenced) brokers, each at its endpoint
 * on the listener the client's request came through, as Kafka answers. Thread-safe.
 */
public final class ClusterView {

    private final ClusterMetadata metadata;
    private final String defaultListener;

    /** A view over {@code metadata}; requests of unknown listener (tests) are answered for {@code defaultListener}. */
    public ClusterView(ClusterMetadata metadata, String defaultListener) {
        this.metadata = metadata;
        this.defaultListener = defaultListener;
    }

    /** The current image. */
    public MetadataImage image() {
        return metadata.image();
    }

    /** The listener {@code request} came through. */
    public String listener(KafkaRequest request) {
        return request.listenerName().isEmpty() ? defaultListener : request.listenerName();
    }

    /** The unfenced brokers, by id. */
    public List<BrokerRegistration> liveBrokers(MetadataImage image) {
        return image.brokers().values().stream().filter(broker -> !broker.fenced())
                .sorted(Comparator.comparingInt(BrokerRegistration::id)).toList();
    }

    /** Where a client on {@code listener} reaches broker {@code brokerId}, if it is registered and has that listener. */
    public Optional<BrokerEndpoint> endpoint(MetadataImage image, int brokerId, String listener) {
        return image.broker(brokerId).flatMap(broker -> broker.endpoint(listener));
    }

    /**
     * The controller id clients are told: the active controller if it is also a live broker, else a live
     * broker (clients send controller-bound requests to it, and any broker forwards them), as Kafka does.
     */
    public int controllerId(MetadataImage image) {
        OptionalInt active = metadata.activeControllerId();
        List<BrokerRegistration> live = liveBrokers(image);
        if (active.isPresent() && live.stream().anyMatch(broker -> broker.id() == active.getAsInt())) {
            return active.getAsInt();
        }
        return live.isEmpty() ? -1 : live.get(0).id();
    }
}
