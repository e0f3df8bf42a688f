package io.runnel.broker.handler;

import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/** DescribeCluster: the cluster id, the controller and the brokers (here: this one, never fenced). */
public final class DescribeClusterHandler implements ApiHandler {

    private final Supplier<ClusterIdentity> identity;

    /** A handler describing the cluster of {@code identity}. */
    public DescribeClusterHandler(Supplier<ClusterIdentity> identity) {
        this.identity = identity;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(identity.get().clusterId())
                .setControllerId(identity.get().nodeId());
        response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(identity.get().nodeId()).setHost(identity.get().host()).setPort(identity.get().port()));
        return CompletableFuture.completedFuture(response);
    }
}
