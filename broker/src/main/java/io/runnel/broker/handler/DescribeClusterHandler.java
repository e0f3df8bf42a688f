package io.runnel.broker.handler;

import io.runnel.broker.acl.AuthorizedOperations;
import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * DescribeCluster: the cluster id, the controller clients should use, and the live brokers at their
 * endpoints on the client's listener, with racks (v2+ may ask for fenced brokers too), and when asked
 * the operations the principal may perform on the cluster (0 without DESCRIBE on it, as Kafka answers).
 * DescribeCluster itself needs no permission, as in Kafka.
 */
public final class DescribeClusterHandler implements ApiHandler {

    private final ClusterView cluster;
    private final RequestAuthorizer authorizer;

    /** A handler describing {@code cluster}, reporting what {@code authorizer} allows on it when asked. */
    public DescribeClusterHandler(ClusterView cluster, RequestAuthorizer authorizer) {
        this.cluster = cluster;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeClusterRequestData data = (DescribeClusterRequestData) request.body();
        MetadataImage image = cluster.image();
        String listener = cluster.listener(request);
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(image.clusterId())
                .setControllerId(cluster.controllerId(image))
                .setClusterAuthorizedOperations(data.includeClusterAuthorizedOperations()
                        ? AuthorizedOperations.ofCluster(authorizer, request) : AuthorizedOperations.NOT_REQUESTED);
        boolean includeFenced = request.apiVersion() >= 2 && data.includeFencedBrokers();
        for (BrokerRegistration broker : image.brokers().values()) {
            if (broker.fenced() && !includeFenced) {
                continue;
            }
            broker.endpoint(listener).ifPresent(endpoint -> response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                    .setBrokerId(broker.id()).setHost(endpoint.host()).setPort(endpoint.port()).setRack(broker.rack())
                    .setIsFenced(broker.fenced())));
        }
        return CompletableFuture.completedFuture(response);
    }
}
