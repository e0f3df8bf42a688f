package io.runnel.broker.acl;

import io.runnel.protocol.KafkaRequest;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Whether the principal of a request may perform an operation on a resource: the one question a
 * handler asks before it acts. Implementations are thread-safe and do not block.
 */
public interface RequestAuthorizer {

    /** The name of the only CLUSTER resource, as Kafka names it. */
    String CLUSTER_NAME = "kafka-cluster";

    /** No authorizer configured ({@code authorizer.class.name} empty): everything is allowed, as in Kafka. */
    RequestAuthorizer ALLOW_ALL = new RequestAuthorizer() {
        @Override
        public boolean authorize(KafkaRequest request, AclOperation operation, ResourceType type, String name) {
            return true;
        }

        @Override
        public boolean authorizeAny(KafkaRequest request, AclOperation operation, ResourceType type) {
            return true;
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };

    /** Whether the request's principal, from its host, may perform {@code operation} on the named resource. */
    boolean authorize(KafkaRequest request, AclOperation operation, ResourceType type, String name);

    /**
     * Whether the request's principal may perform {@code operation} on at least one resource of
     * {@code type} (Kafka's authorizeByResourceType: an idempotent producer needs WRITE on some topic).
     */
    boolean authorizeAny(KafkaRequest request, AclOperation operation, ResourceType type);

    /** Whether an authorizer is configured; the ACL APIs answer SECURITY_DISABLED without one, as Kafka's do. */
    boolean enabled();

    /** Whether the request's principal may perform {@code operation} on the cluster. */
    default boolean authorizeCluster(KafkaRequest request, AclOperation operation) {
        return authorize(request, operation, ResourceType.CLUSTER, CLUSTER_NAME);
    }

    /** Whether the request's principal may perform {@code operation} on the named topic. */
    default boolean authorizeTopic(KafkaRequest request, AclOperation operation, String topic) {
        return authorize(request, operation, ResourceType.TOPIC, topic);
    }
}
