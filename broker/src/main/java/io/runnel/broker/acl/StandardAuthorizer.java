package io.runnel.broker.acl;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.protocol.KafkaRequest;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * The authorizer Kafka names {@code org.apache.kafka.metadata.authorizer.StandardAuthorizer}: super
 * users may do anything; everyone else as the ACLs of the metadata image say ({@link AclIndex}). The
 * index is rebuilt on the metadata thread when an image brings other ACLs, and read through one
 * volatile field by the handler threads. Thread-safe.
 */
public final class StandardAuthorizer implements RequestAuthorizer, MetadataListener {

    /** The name Kafka's authorizeByResourceType checks first, as a resource that no ACL is likely to name. */
    private static final String UNNAMED_RESOURCE = "hardcode";

    private final List<KafkaPrincipal> superUsers;
    private final boolean allowIfNoAcl;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), AclIndex.EMPTY);

    /** An authorizer with {@code super.users} and {@code allow.everyone.if.no.acl.found} as given; it starts with no ACLs. */
    public StandardAuthorizer(AuthorizerConfig config) {
        this.superUsers = config.superUsers();
        this.allowIfNoAcl = config.allowEveryoneIfNoAclFound();
    }

    @Override
    public boolean authorize(KafkaRequest request, AclOperation operation, ResourceType type, String name) {
        KafkaPrincipal principal = request.principal();
        return isSuperUser(principal) || snapshot.index.allows(principal, request.clientHost(), operation, type, name, allowIfNoAcl);
    }

    /**
     * Kafka's rule: allowed if a resource no ACL names would be (a super user, or no ACLs and
     * {@code allow.everyone.if.no.acl.found}), else if an ALLOW ACL for the operation (or ALL) applies
     * to the principal and host and no applicable DENY covers its whole pattern. Scans every ACL of the
     * type: it serves rare requests (InitProducerId), not the data path.
     */
    @Override
    public boolean authorizeAny(KafkaRequest request, AclOperation operation, ResourceType type) {
        if (authorize(request, operation, type, UNNAMED_RESOURCE)) {
            return true;
        }
        return new AnyResourceCheck(request.principal(), request.clientHost(), operation, type).allows(snapshot.acls.values());
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
        load(current.acls());
    }

    /** Takes {@code acls} as the ACLs in force, unless they are those already loaded. */
    public void load(Map<Uuid, AclBinding> acls) {
        if (acls != snapshot.acls) {
            snapshot = new Snapshot(acls, AclIndex.of(acls.values()));
        }
    }

    private boolean isSuperUser(KafkaPrincipal principal) {
        for (KafkaPrincipal superUser : superUsers) {
            // by type and name, as Kafka compares the principal's string form: a subclass of KafkaPrincipal matches too
            if (superUser.getPrincipalType().equals(principal.getPrincipalType()) && superUser.getName().equals(principal.getName())) {
                return true;
            }
        }
        return false;
    }

    /** The ACL map the index was built from, so an unchanged map (same instance) is not indexed again. */
    private record Snapshot(Map<Uuid, AclBinding> acls, AclIndex index) { }
}
