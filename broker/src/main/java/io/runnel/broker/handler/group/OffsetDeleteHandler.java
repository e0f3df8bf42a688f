package io.runnel.broker.handler.group;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** OffsetDelete: removes a group's offsets of topics it is not subscribed to. */
public final class OffsetDeleteHandler implements ApiHandler {

    private final GroupCoordinatorRuntime groups;
    private final RequestAuthorizer authorizer;

    /**
     * A handler deleting through {@code groups}; the partitions of a topic the principal may not READ
     * answer TOPIC_AUTHORIZATION_FAILED, as in Kafka (DELETE on the group is checked before, see
     * {@link io.runnel.broker.handler.acl.RequestChecks}).
     */
    public OffsetDeleteHandler(GroupCoordinatorRuntime groups, RequestAuthorizer authorizer) {
        this.groups = groups;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        OffsetDeleteRequestData body = (OffsetDeleteRequestData) request.body();
        OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection allowed = new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
        List<OffsetDeleteRequestData.OffsetDeleteRequestTopic> refused = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : body.topics()) {
            if (authorizer.authorizeTopic(request, AclOperation.READ, topic.name())) {
                allowed.add(topic.duplicate());
            } else {
                refused.add(topic);
            }
        }
        OffsetDeleteRequestData authorized = refused.isEmpty() ? body : body.duplicate().setTopics(allowed);
        return groups.<ApiMessage>call(coordinator -> {
            OffsetDeleteResponseData response = coordinator.offsetDelete(authorized);
            refused.forEach(topic -> response.topics().add(refusal(topic)));
            return response;
        });
    }

    private static OffsetDeleteResponseData.OffsetDeleteResponseTopic refusal(OffsetDeleteRequestData.OffsetDeleteRequestTopic topic) {
        OffsetDeleteResponseData.OffsetDeleteResponseTopic answer = new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
        topic.partitions().forEach(partition -> answer.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                .setPartitionIndex(partition.partitionIndex()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
        return answer;
    }
}
