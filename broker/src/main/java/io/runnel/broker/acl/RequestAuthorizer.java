package io.runnel.broker.acl;

import io.runnel.protocol.KafkaRequest;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
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

    /**
     * Refuses, with Kafka's error, unless the request's principal may perform {@code operation}
     * (DESCRIBE_CONFIGS or ALTER_CONFIGS) on the configs of a resource: a topic's on the topic
     * (TOPIC_AUTHORIZATION_FAILED), a group's on the group (GROUP_AUTHORIZATION_FAILED), any other's
     * (brokers, loggers, client metrics) on the cluster (CLUSTER_AUTHORIZATION_FAILED).
     */
    default void requireConfigAccess(KafkaRequest request, AclOperation operation, ConfigResource.Type type, String name) {
        String refused = operation + " on the configs of " + type + " " + name + " is not authorized.";
        switch (type) {
            case TOPIC -> {
                if (!authorizeTopic(request, operation, name)) {
                    throw new TopicAuthorizationException(refused);
                }
            }
            case GROUP -> {
                if (!authorize(request, operation, ResourceType.GROUP, name)) {
                    throw new GroupAuthorizationException(refused);
                }
            }
            default -> {
                if (!authorizeCluster(request, operation)) {
                    throw new ClusterAuthorizationException(refused);
                }
            }
        }
    }

    /** Whether the request's principal may perform {@code operation} on the named topic. */
    default boolean authorizeTopic(KafkaRequest request, AclOperation operation, String topic) {
        return authorize(request, operation, ResourceType.TOPIC, topic);
    }
}
