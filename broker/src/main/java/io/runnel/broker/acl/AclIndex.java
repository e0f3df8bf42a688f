package io.runnel.broker.acl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * The ACLs of one metadata image, arranged for checks: per resource type, literal ACLs by resource
 * name, the wildcard ({@code *}) literal ACLs, and the prefixed ACLs. A check reads one hash entry and
 * scans the wildcard and prefixed ACLs of its resource type (few in practice), and allocates nothing.
 * Immutable; rebuilt when the image's ACLs change.
 *
 * <p>The rules are Kafka's StandardAuthorizer's: an ACL applies when its pattern matches the resource,
 * its principal is the request's or {@code User:*} (whatever the request principal's type), and its host is the client's address or {@code *}.
 * A matching DENY for the operation (or ALL) wins; else a matching ALLOW for the operation, for ALL, or
 * for an operation that implies it (READ, WRITE, DELETE, ALTER imply DESCRIBE; ALTER_CONFIGS implies
 * DESCRIBE_CONFIGS; implication holds for ALLOW only) allows; else, when no ACL at all names the
 * resource, the no-ACL default decides, and otherwise the answer is no.
 */
public final class AclIndex {

    /** The index of no ACLs. */
    public static final AclIndex EMPTY = of(List.of());

    private static final String WILDCARD = "*";
    private static final Set<AclOperation> IMPLIES_DESCRIBE =
            Set.of(AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);
    private static final Set<AclOperation> IMPLIES_DESCRIBE_CONFIGS = Set.of(AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    private static final Section NO_ACLS = new Section(Map.of(), new Entry[0], new Prefixed[0]);

    private final Map<ResourceType, Section> sections;

    private AclIndex(Map<ResourceType, Section> sections) {
        this.sections = sections;
    }

    /** The index of {@code acls}. */
    public static AclIndex of(Collection<AclBinding> acls) {
        Map<ResourceType, SectionBuilder> builders = new EnumMap<>(ResourceType.class);
        for (AclBinding acl : acls) {
            builders.computeIfAbsent(acl.pattern().resourceType(), type -> new SectionBuilder()).add(acl);
        }
        Map<ResourceType, Section> sections = new EnumMap<>(ResourceType.class);
        builders.forEach((type, builder) -> sections.put(type, builder.build()));
        return new AclIndex(sections);
    }

    /**
     * The decision for {@code principal} connecting from {@code host} (an address, with or without
     * Kafka's leading {@code /}), performing {@code operation} on the named resource.
     *
     * @param noAclResult the answer when no ACL names the resource ({@code allow.everyone.if.no.acl.found})
     */
    public boolean allows(KafkaPrincipal principal, String host, AclOperation operation, ResourceType type, String name, boolean noAclResult) {
        Section section = sections.getOrDefault(type, NO_ACLS);
        Match match = new Match();
        Entry[] literal = section.literal.get(name);
        if (literal != null && match.scan(literal, principal, host, operation)) {
            return false;
        }
        if (match.scan(section.wildcard, principal, host, operation)) {
            return false;
        }
        for (Prefixed prefixed : section.prefixed) {
            if (name.startsWith(prefixed.prefix) && match.scan(prefixed.entries, principal, host, operation)) {
                return false;
            }
        }
        return match.allowed || (!match.resourceHasAcls && noAclResult);
    }

    /** What the scanned ACLs said so far; one per check, so the scan itself keeps no state between checks. */
    private static final class Match {
        boolean resourceHasAcls;
        boolean allowed;

        /** Scans ACLs that name the resource; true on a matching DENY, which ends the check. */
        boolean scan(Entry[] entries, KafkaPrincipal principal, String host, AclOperation operation) {
            for (Entry entry : entries) {
                resourceHasAcls = true;
                if (entry.appliesTo(principal, host, operation)) {
                    if (!entry.allow) {
                        return true;
                    }
                    allowed = true;
                }
            }
            return false;
        }
    }

    /** One ACL's principal, host, operation and permission, with its principal parsed once. */
    private record Entry(String principalType, String principalName, String host, AclOperation operation, boolean allow) {

        static Entry of(AclBinding acl) {
            KafkaPrincipal principal = Principals.parse(acl.entry().principal());
            return new Entry(principal.getPrincipalType(), principal.getName(), acl.entry().host(), acl.entry().operation(),
                    acl.entry().permissionType() == AclPermissionType.ALLOW);
        }

        boolean appliesTo(KafkaPrincipal principal, String clientHost, AclOperation requested) {
            return principalMatches(principal) && hostMatches(clientHost) && operationMatches(requested);
        }

        /** The request's principal, or {@code User:*}, which Kafka matches to every principal of any type. */
        private boolean principalMatches(KafkaPrincipal principal) {
            return (principalType.equals(principal.getPrincipalType()) && principalName.equals(principal.getName()))
                    || (principalType.equals(KafkaPrincipal.USER_TYPE) && principalName.equals(WILDCARD));
        }

        private boolean hostMatches(String clientHost) {
            if (host.equals(WILDCARD)) {
                return true;
            }
            int start = clientHost.startsWith("/") ? 1 : 0;
            return clientHost.length() - start == host.length() && clientHost.startsWith(host, start);
        }

        private boolean operationMatches(AclOperation requested) {
            if (operation == AclOperation.ALL || operation == requested) {
                return true;
            }
            if (!allow) {
                return false;
            }
            return requested == AclOperation.DESCRIBE ? IMPLIES_DESCRIBE.contains(operation)
                    : requested == AclOperation.DESCRIBE_CONFIGS && IMPLIES_DESCRIBE_CONFIGS.contains(operation);
        }
    }

    private record Prefixed(String prefix, Entry[] entries) { }

    private record Section(Map<String, Entry[]> literal, Entry[] wildcard, Prefixed[] prefixed) { }

    private static final class SectionBuilder {
        private final Map<String, List<Entry>> literal = new HashMap<>();
        private final List<Entry> wildcard = new ArrayList<>();
        private final Map<String, List<Entry>> prefixed = new HashMap<>();

        void add(AclBinding acl) {
            Entry entry = Entry.of(acl);
            String name = acl.pattern().name();
            if (acl.pattern().patternType() == PatternType.PREFIXED) {
                prefixed.computeIfAbsent(name, n -> new ArrayList<>()).add(entry);
            } else if (name.equals(WILDCARD)) {
                wildcard.add(entry);
            } else {
                literal.computeIfAbsent(name, n -> new ArrayList<>()).add(entry);
            }
        }

        Section build() {
            Map<String, Entry[]> literals = new HashMap<>();
            literal.forEach((name, entries) -> literals.put(name, entries.toArray(Entry[]::new)));
            List<Prefixed> prefixes = new ArrayList<>();
            prefixed.forEach((prefix, entries) -> prefixes.add(new Prefixed(prefix, entries.toArray(Entry[]::new))));
            return new Section(Map.copyOf(literals), wildcard.toArray(Entry[]::new), prefixes.toArray(Prefixed[]::new));
        }
    }
}
