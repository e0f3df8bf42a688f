package io.runnel.broker.acl;

import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CLUSTER_ACTION;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.CREATE_TOKENS;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_TOKENS;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import io.runnel.protocol.KafkaRequest;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The operations a principal may perform on a resource, as Kafka reports them in the
 * {@code *_authorized_operations} fields of Metadata, DescribeCluster, DescribeGroups,
 * ConsumerGroupDescribe and DescribeTopicPartitions: a bit field with bit {@code n} set when the
 * operation of code {@code n} is allowed, out of the operations Kafka supports on the resource type
 * (its AclEntry.supportedOperations; never ALL or ANY). Without an authorizer every supported operation
 * is reported, as Kafka does. Stateless; callable from any thread.
 */
public final class AuthorizedOperations {

    /** What the fields hold when the client did not ask for them: the schema's default. */
    public static final int NOT_REQUESTED = Integer.MIN_VALUE;

    private static final Map<ResourceType, List<AclOperation>> SUPPORTED = supported();

    private AuthorizedOperations() {
    }

    /** The bit field of the operations {@code request}'s principal may perform on the named resource. */
    public static int of(RequestAuthorizer authorizer, KafkaRequest request, ResourceType type, String name) {
        int allowed = 0;
        for (AclOperation operation : SUPPORTED.get(type)) {
            if (authorizer.authorize(request, operation, type, name)) {
                allowed |= 1 << operation.code();
            }
        }
        return allowed;
    }

    /**
     * The cluster's field, as Kafka fills it: 0 unless the principal may DESCRIBE the cluster, then the
     * operations it may perform on it.
     */
    public static int ofCluster(RequestAuthorizer authorizer, KafkaRequest request) {
        return authorizer.authorizeCluster(request, DESCRIBE) ? of(authorizer, request, ResourceType.CLUSTER, RequestAuthorizer.CLUSTER_NAME) : 0;
    }

    private static Map<ResourceType, List<AclOperation>> supported() {
        Map<ResourceType, List<AclOperation>> supported = new EnumMap<>(ResourceType.class);
        supported.put(ResourceType.TOPIC, List.of(READ, WRITE, CREATE, DESCRIBE, DELETE, ALTER, DESCRIBE_CONFIGS, ALTER_CONFIGS));
        supported.put(ResourceType.GROUP, List.of(READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS, ALTER_CONFIGS));
        supported.put(ResourceType.CLUSTER, List.of(CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALTER, DESCRIBE));
        supported.put(ResourceType.TRANSACTIONAL_ID, List.of(DESCRIBE, WRITE));
        supported.put(ResourceType.DELEGATION_TOKEN, List.of(DESCRIBE));
        supported.put(ResourceType.USER, List.of(CREATE_TOKENS, DESCRIBE_TOKENS));
        return supported;
    }
}
