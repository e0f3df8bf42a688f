package io.runnel.broker.handler.acl;

import io.runnel.broker.acl.Principals;
import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.protocol.KafkaRequest;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What the ACL APIs check before they act, as Kafka's AclApis and AclControlManager do. Stateless.
 */
final class AclChecks {

    private AclChecks() {
    }

    /**
     * Refuses the whole request, as Kafka does: CLUSTER_AUTHORIZATION_FAILED when the principal may not
     * {@code operation} the cluster, then SECURITY_DISABLED when no authorizer is configured.
     */
    static void requireCluster(RequestAuthorizer authorizer, KafkaRequest request, AclOperation operation) {
        if (!authorizer.authorizeCluster(request, operation)) {
            throw new ClusterAuthorizationException("Request " + request.apiKey() + " is not authorized.");
        }
        if (!authorizer.enabled()) {
            throw new SecurityDisabledException("No Authorizer is configured.");
        }
    }

    /**
     * Why an ACL cannot be created, in Kafka's words, or null if it can.
     *
     * @return the INVALID_REQUEST error, or null
     */
    static InvalidRequestException invalid(AclBinding acl) {
        ResourceType type = acl.pattern().resourceType();
        if (type == ResourceType.UNKNOWN || type == ResourceType.ANY) {
            return new InvalidRequestException("Invalid resourceType " + type);
        }
        if (type == ResourceType.CLUSTER && !acl.pattern().name().equals(RequestAuthorizer.CLUSTER_NAME)) {
            return new InvalidRequestException("The only valid name for the CLUSTER resource is " + RequestAuthorizer.CLUSTER_NAME);
        }
        if (acl.pattern().name().isEmpty()) {
            return new InvalidRequestException("Invalid empty resource name");
        }
        if (acl.pattern().patternType().isUnknown() || !acl.pattern().patternType().isSpecific()) {
            return new InvalidRequestException("Invalid patternType " + acl.pattern().patternType());
        }
        if (acl.entry().operation() == AclOperation.UNKNOWN || acl.entry().operation() == AclOperation.ANY) {
            return new InvalidRequestException("Invalid operation " + acl.entry().operation());
        }
        if (acl.entry().permissionType().isUnknown() || acl.entry().permissionType() == AclPermissionType.ANY) {
            return new InvalidRequestException("Invalid permissionType " + acl.entry().permissionType());
        }
        try {
            Principals.parse(acl.entry().principal());
        } catch (IllegalArgumentException e) {
            return new InvalidRequestException("Could not parse principal from `" + acl.entry().principal() + "` (" + e.getMessage() + ")");
        }
        return null;
    }

    /** The filter of a DescribeAcls or DeleteAcls request, from its fields (Kafka's codes; null names match any). */
    static AclBindingFilter filter(byte resourceType, String resourceName, byte patternType, String principal, String host, byte operation,
                                   byte permissionType) {
        return new AclBindingFilter(new ResourcePatternFilter(ResourceType.fromCode(resourceType), resourceName, PatternType.fromCode(patternType)),
                new AccessControlEntryFilter(principal, host, AclOperation.fromCode(operation), AclPermissionType.fromCode(permissionType)));
    }
}
