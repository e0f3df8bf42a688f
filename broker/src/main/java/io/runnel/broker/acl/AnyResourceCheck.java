package io.runnel.broker.acl;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Whether any resource of a type is open to a principal for an operation, by Kafka's rule for
 * authorizeByResourceType: an applicable ALLOW (LITERAL, PREFIXED or the {@code *} wildcard) that no
 * applicable DENY covers whole (a DENY on {@code *}, on the same literal name, or on a prefix of the
 * allowed name). Operations match exactly or through ALL, with no implied operations. One use.
 */
final class AnyResourceCheck {

    private static final String WILDCARD = "*";

    private final KafkaPrincipal principal;
    private final String host;
    private final AclOperation operation;
    private final org.apache.kafka.common.resource.ResourceType type;
    private final Set<String> deniedLiterals = new HashSet<>();
    private final Set<String> deniedPrefixes = new HashSet<>();
    private final Set<AclBinding> allows = new HashSet<>();

    AnyResourceCheck(KafkaPrincipal principal, String clientHost, AclOperation operation, org.apache.kafka.common.resource.ResourceType type) {
        this.principal = principal;
        this.host = clientHost.startsWith("/") ? clientHost.substring(1) : clientHost;
        this.operation = operation;
        this.type = type;
    }

    boolean allows(Collection<AclBinding> acls) {
        for (AclBinding acl : acls) {
            if (!applies(acl)) {
                continue;
            }
            String name = acl.pattern().name();
            boolean literal = acl.pattern().patternType() == PatternType.LITERAL;
            if (acl.entry().permissionType() == AclPermissionType.DENY) {
                if (literal && name.equals(WILDCARD)) {
                    return false;
                }
                (literal ? deniedLiterals : deniedPrefixes).add(name);
            } else {
                allows.add(acl);
            }
        }
        return allows.stream().anyMatch(this::notDenied);
    }

    private boolean applies(AclBinding acl) {
        if (acl.pattern().resourceType() != type) {
            return false;
        }
        String aclHost = acl.entry().host();
        String aclPrincipal = acl.entry().principal();
        AclOperation aclOperation = acl.entry().operation();
        return (aclHost.equals(WILDCARD) || aclHost.equals(host))
                && (aclPrincipal.equals("User:" + WILDCARD) || aclPrincipal.equals(principal.getPrincipalType() + ":" + principal.getName()))
                && (aclOperation == operation || aclOperation == AclOperation.ALL);
    }

    private boolean notDenied(AclBinding allow) {
        String name = allow.pattern().name();
        if (allow.pattern().patternType() == PatternType.LITERAL && name.equals(WILDCARD)) {
            return true;
        }
        if (allow.pattern().patternType() == PatternType.LITERAL && deniedLiterals.contains(name)) {
            return false;
        }
        for (int end = 0; end <= name.length(); end++) {
            if (deniedPrefixes.contains(name.substring(0, end))) {
                return false;
            }
        }
        return true;
    }
}
