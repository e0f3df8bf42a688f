package io.runnel.broker.acl;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.acl.AclPermissionType.ALLOW;
import static org.apache.kafka.common.acl.AclPermissionType.DENY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.protocol.KafkaRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

class StandardAuthorizerTest {

    private static final KafkaPrincipal ALICE = new KafkaPrincipal("User", "alice");

    private final Map<Uuid, AclBinding> acls = new HashMap<>();
    private StandardAuthorizer authorizer = authorizer("", false);

    @Test
    void shouldDenyAResourceWithoutAclsByDefault() {
        assertThat(may(ALICE, "/10.0.0.1", READ, "orders")).isFalse();
    }

    @Test
    void shouldAllowAResourceWithoutAclsWhenEveryoneIsAllowedIfNoAclFound() {
        authorizer = authorizer("", true);
        grant(topic("orders", PatternType.LITERAL), "User:bob", "*", READ, ALLOW);

        assertThat(may(ALICE, "/10.0.0.1", READ, "payments")).isTrue();
        assertThat(may(ALICE, "/10.0.0.1", READ, "orders")).as("orders has an ACL, for someone else").isFalse();
    }

    @Test
    void shouldAllowWhatALiteralAclGrantsAndNothingElse() {
        grant(topic("orders", PatternType.LITERAL), "User:alice", "*", READ, ALLOW);

        assertThat(may(ALICE, "/10.0.0.1", READ, "orders")).isTrue();
        assertThat(may(ALICE, "/10.0.0.1", WRITE, "orders")).isFalse();
        assertThat(may(ALICE, "/10.0.0.1", READ, "orders2")).isFalse();
        assertThat(may(new KafkaPrincipal("User", "bob"), "/10.0.0.1", READ, "orders")).isFalse();
    }

    @Test
    void shouldMatchPrefixedAndWildcardPatternsAndTheWildcardPrincipal() {
        grant(topic("ord", PatternType.PREFIXED), "User:alice", "*", WRITE, ALLOW);
        grant(topic("*", PatternType.LITERAL), "User:*", "*", READ, ALLOW);

        assertThat(may(ALICE, "/10.0.0.1", WRITE, "orders")).isTrue();
        assertThat(may(ALICE, "/10.0.0.1", WRITE, "payments")).isFalse();
        assertThat(may(new KafkaPrincipal("User", "bob"), "/10.0.0.1", READ, "anything")).isTrue();
    }

    @Test
    void shouldLetADenyBeatAnAllow() {
        grant(topic("*", PatternType.LITERAL), "User:alice", "*", ALL, ALLOW);
        grant(topic("secret", PatternType.PREFIXED), "User:*", "*", READ, DENY);

        assertThat(may(ALICE, "/10.0.0.1", READ, "secret-plans")).isFalse();
        assertThat(may(ALICE, "/10.0.0.1", WRITE, "secret-plans")).isTrue();
        assertThat(may(ALICE, "/10.0.0.1", DESCRIBE, "secret-plans")).as("a DENY READ does not deny DESCRIBE").isTrue();
    }

    @Test
    void shouldImplyDescribeFromAllowsOnly() {
        grant(topic("orders", PatternType.LITERAL), "User:alice", "*", WRITE, ALLOW);
        grant(topic("orders", PatternType.LITERAL), "User:alice", "*", ALTER_CONFIGS, ALLOW);

        assertThat(may(ALICE, "/10.0.0.1", DESCRIBE, "orders")).isTrue();
        assertThat(may(ALICE, "/10.0.0.1", DESCRIBE_CONFIGS, "orders")).isTrue();
        assertThat(may(ALICE, "/10.0.0.1", READ, "orders")).isFalse();
    }

    @Test
    void shouldMatchTheHostExactly() {
        grant(topic("orders", PatternType.LITERAL), "User:alice", "10.0.0.1", READ, ALLOW);

        assertThat(may(ALICE, "/10.0.0.1", READ, "orders")).isTrue();
        assertThat(may(ALICE, "/10.0.0.11", READ, "orders")).isFalse();
        assertThat(may(ALICE, "/10.0.0.2", READ, "orders")).isFalse();
    }

    @Test
    void shouldLetSuperUsersDoAnything() {
        authorizer = authorizer("User:admin; User:alice", false);
        grant(topic("orders", PatternType.LITERAL), "User:alice", "*", READ, DENY);

        assertThat(may(ALICE, "/10.0.0.1", READ, "orders")).isTrue();
        assertThat(may(new KafkaPrincipal("User", "bob"), "/10.0.0.1", READ, "orders")).isFalse();
    }

    @Test
    void shouldAllowAnOperationOnSomeResourceOfATypeUnlessADenyCoversEveryAllow() {
        grant(topic("ord", PatternType.PREFIXED), "User:alice", "*", WRITE, ALLOW);
        assertThat(mayOnSome(ALICE, WRITE)).isTrue();
        assertThat(mayOnSome(ALICE, READ)).isFalse();

        grant(topic("o", PatternType.PREFIXED), "User:*", "*", WRITE, DENY);
        assertThat(mayOnSome(ALICE, WRITE)).as("a denied prefix of the allowed prefix").isFalse();

        grant(topic("payments", PatternType.LITERAL), "User:alice", "*", ALL, ALLOW);
        assertThat(mayOnSome(ALICE, WRITE)).isTrue();

        grant(topic("*", PatternType.LITERAL), "User:alice", "*", WRITE, DENY);
        assertThat(mayOnSome(ALICE, WRITE)).as("a wildcard deny").isFalse();
    }

    @Test
    void shouldAllowSomeResourceToSuperUsersAndWhereNoAclIsFoundIfEveryoneIsAllowed() {
        authorizer = authorizer("User:alice", false);
        assertThat(mayOnSome(ALICE, WRITE)).isTrue();

        authorizer = authorizer("", true);
        assertThat(mayOnSome(ALICE, WRITE)).isTrue();
    }

    @Test
    void shouldRefuseAnAuthorizerItDoesNotServe() {
        assertThatThrownBy(() -> AuthorizerConfig.parse("kafka.security.authorizer.AclAuthorizer", "", false))
                .hasMessageContaining("authorizer.class.name");
        assertThat(AuthorizerConfig.parse("", "", false).authorizer().enabled()).isFalse();
    }

    private boolean mayOnSome(KafkaPrincipal principal, AclOperation operation) {
        KafkaRequest request = new KafkaRequest(new RequestHeaderData(), ApiKeys.METADATA, new MetadataRequestData(), "/10.0.0.1", "PLAINTEXT",
                principal);
        return authorizer.authorizeAny(request, operation, ResourceType.TOPIC);
    }

    private static StandardAuthorizer authorizer(String superUsers, boolean allowIfNoAcl) {
        return new StandardAuthorizer(AuthorizerConfig.parse(AuthorizerConfig.STANDARD_AUTHORIZER, superUsers, allowIfNoAcl));
    }

    private static ResourcePattern topic(String name, PatternType type) {
        return new ResourcePattern(ResourceType.TOPIC, name, type);
    }

    private void grant(ResourcePattern pattern, String principal, String host, AclOperation operation, AclPermissionType permission) {
        acls.put(Uuid.randomUuid(), new AclBinding(pattern, new AccessControlEntry(principal, host, operation, permission)));
        authorizer.load(Map.copyOf(acls));
    }

    private boolean may(KafkaPrincipal principal, String host, AclOperation operation, String topic) {
        KafkaRequest request = new KafkaRequest(new RequestHeaderData(), ApiKeys.METADATA, new MetadataRequestData(), host, "PLAINTEXT", principal);
        return authorizer.authorizeTopic(request, operation, topic);
    }

}
