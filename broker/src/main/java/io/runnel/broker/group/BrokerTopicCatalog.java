package io.runnel.broker.group;

import io.runnel.group.TopicCatalog;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.TopicMetadata;
import java.util.Collection;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/** The coordinator's view of the topics: the controller's current image. Thread-safe. */
final class BrokerTopicCatalog implements TopicCatalog {

    private final ClusterMetadata controller;

    BrokerTopicCatalog(ClusterMetadata controller) {
        this.controller = controller;
    }

    @Override
    public TopicInfo topic(String name) {
        return controller.image().topic(name).map(BrokerTopicCatalog::info).orElse(null);
    }

    @Override
    public TopicInfo topic(Uuid id) {
        return controller.image().topic(id).map(BrokerTopicCatalog::info).orElse(null);
    }

    @Override
    public Collection<TopicInfo> topics() {
        return controller.image().topics().stream().map(BrokerTopicCatalog::info).collect(Collectors.toList());
    }

    private static TopicInfo info(TopicMetadata topic) {
        return new TopicInfo(topic.name(), topic.id(), topic.partitionCount());
    }
}
