package io.runnel.broker.handler.group;

import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.group.GroupCoordinator;
import io.runnel.group.GroupRequestContext;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetFetch: committed offsets of one group (v1–7) or of several (v8+, KIP-709). The older form is
 * answered through the batched one.
 */
public final class OffsetFetchHandler implements ApiHandler {

    private static final short FIRST_BATCHED_VERSION = 8;

    private final GroupCoordinatorRuntime groups;

    public OffsetFetchHandler(GroupCoordinatorRuntime groups) {
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        OffsetFetchRequestData body = (OffsetFetchRequestData) request.body();
        GroupRequestContext context = GroupRequests.context(request);
        if (request.apiVersion() >= FIRST_BATCHED_VERSION) {
            return groups.<ApiMessage>call(coordinator -> new OffsetFetchResponseData().setGroups(fetchAll(coordinator, context, body.groups(),
                    body.requireStable())));
        }
        OffsetFetchRequestData.OffsetFetchRequestGroup single = singleGroup(body);
        return groups.<ApiMessage>call(coordinator -> singleGroupResponse(coordinator.offsetFetch(context, single, body.requireStable())));
    }

    private static List<OffsetFetchResponseData.OffsetFetchResponseGroup> fetchAll(GroupCoordinator coordinator, GroupRequestContext context,
                                                                                 List<OffsetFetchRequestData.OffsetFetchRequestGroup> requested,
                                                                                 boolean requireStable) {
        List<OffsetFetchResponseData.OffsetFetchResponseGroup> answers = new ArrayList<>();
        for (OffsetFetchRequestData.OffsetFetchRequestGroup group : requested) {
            answers.add(coordinator.offsetFetch(context, group, requireStable));
        }
        return answers;
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
