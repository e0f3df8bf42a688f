package io.runnel.broker.handler.group;

import io.runnel.group.GroupRequestContext;
import io.runnel.protocol.KafkaRequest;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.utils.Utils;

/** What the coordinator needs to know about a request's sender. */
final class GroupRequests {

    private GroupRequests() {
    }

    /**
     * The operations a client may perform on a group, as Kafka answers when asked (DescribeGroups v3+,
     * ConsumerGroupDescribe) and no authorizer is configured: all of a group's ACL operations.
     */
    static final int ALL_GROUP_OPERATIONS = Utils.to32BitField(Set.of(AclOperation.READ.code(), AclOperation.DESCRIBE.code(),
            AclOperation.DELETE.code(), AclOperation.DESCRIBE_CONFIGS.code(), AclOperation.ALTER_CONFIGS.code()));

    static GroupRequestContext context(KafkaRequest request) {
        return new GroupRequestContext(request.clientId(), request.clientHost(), request.apiVersion());
    }
}
