package io.runnel.broker.acl;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

/**
 * The authorizer against a reference model of Kafka's rules written as plainly as they read in Kafka's
 * documentation, over random ACL sets and requests (seeded: a failure names its seed and replays).
 * The model finds the ACLs of a resource with kafka-clients' own pattern matching
 * ({@link ResourcePatternFilter} with {@link PatternType#MATCH}), not with the index under test.
 */
class AuthorizerModelTest {

    private static final int SEEDS = 300;
    private static final int CHECKS_PER_SEED = 200;
    private static final List<String> NAMES = List.of("a", "ab", "abc", "abd", "b", "ba", "*");
    private static final List<String> PRINCIPALS = List.of("User:alice", "User:bob", "User:*", "Group:alice");
    private static final List<String> HOSTS = List.of("*", "10.0.0.1", "10.0.0.2");
    private static final List<ResourceType> TYPES = List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.CLUSTER, ResourceType.TRANSACTIONAL_ID);
    private static final List<AclOperation> OPERATIONS = EnumSet.complementOf(EnumSet.of(AclOperation.ANY, AclOperation.UNKNOWN)).stream().toList();
    private static final Set<AclOperation> IMPLY_DESCRIBE =
            Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);

    @Test
    void shouldDecideAsKafkasRulesForRandomAclsAndRequests() {
        for (long seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            List<AclBinding> acls = randomAcls(random);
            List<KafkaPrincipal> superUsers = random.nextInt(4) == 0 ? List.of(new KafkaPrincipal("User", "bob")) : List.of();
            boolean allowIfNoAcl = random.nextBoolean();
            StandardAuthorizer authorizer = new StandardAuthorizer(new AuthorizerConfig(true, superUsers, allowIfNoAcl));
            Map<Uuid, AclBinding> byId = new HashMap<>();
            acls.forEach(acl -> byId.put(Uuid.randomUuid(), acl));
            authorizer.load(byId);
            for (int i = 0; i < CHECKS_PER_SEED; i++) {
                KafkaPrincipal principal = pick(random, List.of(new KafkaPrincipal("User", "alice"), new KafkaPrincipal("User", "bob"),
                        new KafkaPrincipal("User", "carol"), new KafkaPrincipal("Group", "alice")));
                String host = pick(random, List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"));
                AclOperation operation = pick(random, OPERATIONS);
                ResourceType type = pick(random, TYPES);
                String name = pick(random, NAMES.subList(0, NAMES.size() - 1)) + (random.nextBoolean() ? "" : "x");
                boolean expected = superUsers.contains(principal) || model(acls, allowIfNoAcl, principal, host, operation, type, name);
                KafkaRequest request = new KafkaRequest(new RequestHeaderData(), ApiKeys.METADATA, new MetadataRequestData(), "/" + host,
                        "PLAINTEXT", principal);

                assertThat(authorizer.authorize(request, operation, type, name))
                        .as("seed %d: %s from %s, %s on %s %s, allowIfNoAcl %s, ACLs %s", seed, principal, host, operation, type, name,
                                allowIfNoAcl, acls)
                        .isEqualTo(expected);
            }
        }
    }

    /** Kafka's rules, one after the other, over every ACL. */
    private static boolean model(List<AclBinding> acls, boolean allowIfNoAcl, KafkaPrincipal principal, String host, AclOperation operation,
                                 ResourceType type, String name) {
        ResourcePatternFilter resource = new ResourcePatternFilter(type, name, PatternType.MATCH);
        List<AccessControlEntry> ofResource = new ArrayList<>();
        for (AclBinding acl : acls) {
            if (resource.matches(acl.pattern())) {
                ofResource.add(acl.entry());
            }
        }
        if (ofResource.isEmpty()) {
            return allowIfNoAcl;
        }
        List<AccessControlEntry> applicable = ofResource.stream()
                .filter(e -> e.principal().equals(principal.toString()) || e.principal().equals("User:*"))
                .filter(e -> e.host().equals("*") || e.host().equals(host))
                .toList();
        boolean denied = applicable.stream().anyMatch(e -> e.permissionType() == AclPermissionType.DENY
                && (e.operation() == operation || e.operation() == AclOperation.ALL));
        if (denied) {
            return false;
        }
        return applicable.stream().anyMatch(e -> e.permissionType() == AclPermissionType.ALLOW && grants(e.operation(), operation));
    }

    private static boolean grants(AclOperation granted, AclOperation requested) {
        return granted == requested || granted == AclOperation.ALL
                || (requested == AclOperation.DESCRIBE && IMPLY_DESCRIBE.contains(granted))
                || (requested == AclOperation.DESCRIBE_CONFIGS && granted == AclOperation.ALTER_CONFIGS);
    }

    private static List<AclBinding> randomAcls(Random random) {
        int count = random.nextInt(12);
        List<AclBinding> acls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ResourcePattern pattern = new ResourcePattern(pick(random, TYPES), pick(random, NAMES),
                    random.nextBoolean() ? PatternType.LITERAL : PatternType.PREFIXED);
            acls.add(new AclBinding(pattern, new AccessControlEntry(pick(random, PRINCIPALS), pick(random, HOSTS), pick(random, OPERATIONS),
                    random.nextInt(3) == 0 ? AclPermissionType.DENY : AclPermissionType.ALLOW)));
        }
        return acls;
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
