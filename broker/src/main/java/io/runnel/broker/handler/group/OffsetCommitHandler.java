package io.runnel.broker.handler.group;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetCommit, answered by the group coordinator; the partitions of a topic the principal may not
 * READ answer TOPIC_AUTHORIZATION_FAILED and are not committed, as in Kafka (READ on the group is
 * checked before, see {@link io.runnel.broker.handler.acl.RequestChecks}).
 */
public final class OffsetCommitHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;
    private final RequestAuthorizer authorizer;
    private final Supplier<MetadataImage> image;

    /** A handler committing through {@code groups}; {@code image} names the topics a v10 request gives by id. */
    public OffsetCommitHandler(GroupCoordinatorRuntime groups, RequestAuthorizer authorizer, Supplier<MetadataImage> image) {
        this.groups = groups;
        this.authorizer = authorizer;
        this.image = image;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        OffsetCommitRequestData body = (OffsetCommitRequestData) request.body();
        List<OffsetCommitRequestTopic> refused = body.topics().stream().filter(topic -> !mayRead(request, topic)).toList();
        OffsetCommitRequestData allowed = refused.isEmpty() ? body
                : body.duplicate().setTopics(body.topics().stream().filter(topic -> !refused.contains(topic)).toList());
        return groups.<ApiMessage>call(coordinator -> {
            OffsetCommitResponseData response = coordinator.offsetCommit(GroupRequests.context(request), allowed);
            refused.forEach(topic -> response.topics().add(refusal(topic)));
            return response;
        });
    }

    /** READ on the topic; a topic id this broker does not know is left to the coordinator, which answers UNKNOWN_TOPIC_ID. */
    private boolean mayRead(KafkaRequest request, OffsetCommitRequestTopic topic) {
        String name = topic.name() != null && !topic.name().isEmpty() ? topic.name()
                : image.get().topic(topic.topicId()).map(TopicMetadata::name).orElse(null);
        return name == null || authorizer.authorizeTopic(request, AclOperation.READ, name);
    }

    private static OffsetCommitResponseTopic refusal(OffsetCommitRequestTopic topic) {
        return new OffsetCommitResponseTopic().setName(topic.name()).setTopicId(topic.topicId()).setPartitions(topic.partitions().stream()
                .map(partition -> new OffsetCommitResponsePartition().setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())).toList());
    }
}
