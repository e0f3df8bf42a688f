package io.runnel.broker.handler;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * DescribeCluster: the cluster id, the controller clients should use, and the live brokers at their
 * endpoints on the client's listener, with racks (v2+ may ask for fenced brokers too).
 */
public final class DescribeClusterHandler implements ApiHandler {

    private final ClusterView cluster;

    /** A handler describing {@code cluster}. */
    public DescribeClusterHandler(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        org.apache.kafka.common.message.DescribeClusterRequestData data = (org.apache.kafka.common.message.DescribeClusterRequestData) request.body();
        MetadataImage image = cluster.image();
        String listener = cluster.listener(request);
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(image.clusterId())
                .setControllerId(cluster.controllerId(image));
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
