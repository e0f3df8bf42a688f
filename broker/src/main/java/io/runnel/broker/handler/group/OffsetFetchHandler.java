package io.runnel.broker.handler.group;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.group.GroupRequestContext;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetFetch: committed offsets of one group (v1–7) or of several (v8+, KIP-709). The older form is
 * answered through the batched one. A topic the principal may not DESCRIBE is left out of an
 * all-topics answer and answered TOPIC_AUTHORIZATION_FAILED when named, as in Kafka. A group the
 * principal may not DESCRIBE is answered GROUP_AUTHORIZATION_FAILED in its own entry of a batch while
 * the others are served (v1–7 are refused whole by {@link io.runnel.broker.handler.acl.RequestChecks}).
 */
public final class OffsetFetchHandler implements ApiHandler {

    private static final short FIRST_BATCHED_VERSION = 8;

    private final GroupCoordinatorRuntime groups;
    private final RequestAuthorizer authorizer;
    private final Supplier<MetadataImage> image;

    /** A handler fetching through {@code groups}; {@code image} names the topics a v10 answer gives by id. */
    public OffsetFetchHandler(GroupCoordinatorRuntime groups, RequestAuthorizer authorizer, Supplier<MetadataImage> image) {
        this.groups = groups;
        this.authorizer = authorizer;
        this.image = image;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        OffsetFetchRequestData body = (OffsetFetchRequestData) request.body();
        GroupRequestContext context = GroupRequests.context(request);
        if (request.apiVersion() >= FIRST_BATCHED_VERSION) {
            List<Boolean> describable = body.groups().stream()
                    .map(group -> authorizer.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId())).toList();
            return groups.<ApiMessage>call(coordinator -> {
                List<OffsetFetchResponseData.OffsetFetchResponseGroup> answers = new ArrayList<>();
                for (int i = 0; i < body.groups().size(); i++) {
                    OffsetFetchRequestData.OffsetFetchRequestGroup group = body.groups().get(i);
                    answers.add(describable.get(i) ? hideUndescribableTopics(request, group.topics() == null,
                            coordinator.offsetFetch(context, group, body.requireStable())) : refused(group.groupId()));
                }
                return new OffsetFetchResponseData().setGroups(answers);
            });
        }
        OffsetFetchRequestData.OffsetFetchRequestGroup single = singleGroup(body);
        return groups.<ApiMessage>call(coordinator -> singleGroupResponse(hideUndescribableTopics(request, single.topics() == null,
                coordinator.offsetFetch(context, single, body.requireStable()))));
    }

    /** Drops (all topics asked) or refuses (named) the topics of {@code answer} the principal may not DESCRIBE. */
    private OffsetFetchResponseData.OffsetFetchResponseGroup hideUndescribableTopics(KafkaRequest request, boolean allTopics,
                                                                                  OffsetFetchResponseData.OffsetFetchResponseGroup answer) {
        Iterator<OffsetFetchResponseData.OffsetFetchResponseTopics> topics = answer.topics().iterator();
        while (topics.hasNext()) {
            OffsetFetchResponseData.OffsetFetchResponseTopics topic = topics.next();
            String name = topic.name() != null && !topic.name().isEmpty() ? topic.name()
                    : image.get().topic(topic.topicId()).map(TopicMetadata::name).orElse(null);
            if (name == null || authorizer.authorizeTopic(request, AclOperation.DESCRIBE, name)) {
                continue;
            }
            if (allTopics) {
                topics.remove();
            } else {
                topic.partitions().forEach(partition -> partition.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata(""));
            }
        }
        return answer;
    }

    /** A group the principal may not DESCRIBE: its error alone, no topics, as Kafka answers it. */
    private static OffsetFetchResponseData.OffsetFetchResponseGroup refused(String groupId) {
        return new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(groupId).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    private static OffsetFetchRequestData.OffsetFetchRequestGroup singleGroup(OffsetFetchRequestData body) {
        OffsetFetchRequestData.OffsetFetchRequestGroup group = new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId(body.groupId()).setMemberId(null).setMemberEpoch(-1);
        if (body.topics() == null) {
            return group.setTopics(null);
        }
        List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics = new ArrayList<>();
        for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : body.topics()) {
            topics.add(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topic.name())
                    .setPartitionIndexes(topic.partitionIndexes()));
        }
        return group.setTopics(topics);
    }

    private static OffsetFetchResponseData singleGroupResponse(OffsetFetchResponseData.OffsetFetchResponseGroup group) {
        OffsetFetchResponseData response = new OffsetFetchResponseData().setErrorCode(group.errorCode());
        for (OffsetFetchResponseData.OffsetFetchResponseTopics topic : group.topics()) {
            OffsetFetchResponseData.OffsetFetchResponseTopic old = new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic.name());
            for (OffsetFetchResponseData.OffsetFetchResponsePartitions partition : topic.partitions()) {
                old.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setCommittedOffset(partition.committedOffset())
                        .setCommittedLeaderEpoch(partition.committedLeaderEpoch()).setMetadata(partition.metadata())
                        .setErrorCode(partition.errorCode() != Errors.NONE.code() ? partition.errorCode() : group.errorCode()));
            }
            response.topics().add(old);
        }
        return response;
    }
}
