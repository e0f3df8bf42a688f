package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.KafkaTools;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CreateAcls, DescribeAcls and DeleteAcls through kafka-clients' Admin and Kafka's own kafka-acls tool,
 * against a broker whose authorizer is Kafka's StandardAuthorizer by name; on PLAINTEXT every client is
 * User:ANONYMOUS, made a super user where a test manages ACLs.
 */
class AclApisIT {

    private static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    private static final Map<String, String> ANONYMOUS_SUPER_USER = Map.of("authorizer.class.name", AUTHORIZER, "super.users", "User:ANONYMOUS");
    private static final AclBinding ALICE_READS_ORDERS = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
            new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
    private static final AclBinding BOB_DENIED_WRITE_PREFIX = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "ord", PatternType.PREFIXED),
            new AccessControlEntry("User:bob", "10.1.2.3", AclOperation.WRITE, AclPermissionType.DENY));
    private static final AclBinding EVERYONE_READS_GROUPS = new AclBinding(new ResourcePattern(ResourceType.GROUP, "*", PatternType.LITERAL),
            new AccessControlEntry("User:*", "*", AclOperation.READ, AclPermissionType.ALLOW));

    @TempDir
    Path tempDir;

    @Test
    void shouldCreateDescribeAndDeleteAclsThroughAdmin() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), ANONYMOUS_SUPER_USER);
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            admin.createAcls(List.of(ALICE_READS_ORDERS, BOB_DENIED_WRITE_PREFIX, EVERYONE_READS_GROUPS)).all().get();

            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get())
                    .containsExactlyInAnyOrder(ALICE_READS_ORDERS, BOB_DENIED_WRITE_PREFIX, EVERYONE_READS_GROUPS);
            assertThat(admin.describeAcls(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, "orders", PatternType.MATCH),
                    AccessControlEntryFilter.ANY)).values().get()).containsExactlyInAnyOrder(ALICE_READS_ORDERS, BOB_DENIED_WRITE_PREFIX);

            var deleted = admin.deleteAcls(List.of(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, null, PatternType.ANY),
                    new AccessControlEntryFilter("User:bob", null, AclOperation.ANY, AclPermissionType.ANY)))).all().get();

            assertThat(deleted).containsExactly(BOB_DENIED_WRITE_PREFIX);
            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get()).containsExactlyInAnyOrder(ALICE_READS_ORDERS, EVERYONE_READS_GROUPS);
        }
    }

    @Test
    void shouldKeepAclsAcrossARestart() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), ANONYMOUS_SUPER_USER)) {
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                admin.createAcls(List.of(ALICE_READS_ORDERS, EVERYONE_READS_GROUPS)).all().get();
            }

            broker.restart();

            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get()).containsExactlyInAnyOrder(ALICE_READS_ORDERS, EVERYONE_READS_GROUPS);
            }
        }
    }

    @Test
    void shouldAnswerInvalidRequestForAnAclOfAnUnknownResourceTypeOrOperation() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), ANONYMOUS_SUPER_USER);
             RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            CreateAclsRequestData request = new CreateAclsRequestData().setCreations(List.of(
                    creation((byte) 99, AclOperation.READ.code()),
                    creation(ResourceType.TOPIC.code(), (byte) 99),
                    creation(ResourceType.TOPIC.code(), AclOperation.READ.code())));

            CreateAclsResponseData response = connection.call(ApiKeys.CREATE_ACLS, (short) 3, request);

            assertThat(response.results()).extracting(CreateAclsResponseData.AclCreationResult::errorCode)
                    .containsExactly(Errors.INVALID_REQUEST.code(), Errors.INVALID_REQUEST.code(), Errors.NONE.code());
            assertThat(response.results().get(0).errorMessage()).isEqualTo("Invalid resourceType UNKNOWN");
            assertThat(response.results().get(1).errorMessage()).isEqualTo("Invalid operation UNKNOWN");
        }
    }

    @Test
    void shouldRefuseAclApisToWhomMayNotAlterOrDescribeTheCluster() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("authorizer.class.name", AUTHORIZER));
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            assertThatThrownBy(() -> admin.describeAcls(AclBindingFilter.ANY).values().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> admin.createAcls(List.of(ALICE_READS_ORDERS)).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClusterAuthorizationException.class);
        }
    }

    @Test
    void shouldAnswerSecurityDisabledWithoutAnAuthorizer() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of());
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            assertThatThrownBy(() -> admin.describeAcls(AclBindingFilter.ANY).values().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SecurityDisabledException.class);
        }
    }

    @Test
    void shouldAddListAndRemoveAclsWithKafkasAclTool() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), ANONYMOUS_SUPER_USER)) {
            String bootstrap = broker.bootstrapServers();
            KafkaTools tools = new KafkaTools(tempDir, "acls");
            String command = "org.apache.kafka.tools.AclCommand";
            int add = tools.step(command, "--bootstrap-server", bootstrap, "--add", "--allow-principal", "User:alice", "--operation", "Read",
                    "--topic", "orders", "--group", "billing");
            int addPrefixed = tools.step(command, "--bootstrap-server", bootstrap, "--add", "--deny-principal", "User:bob", "--operation", "Write",
                    "--topic", "pay", "--resource-pattern-type", "prefixed");
            int list = tools.step(command, "--bootstrap-server", bootstrap, "--list");
            int remove = tools.step(command, "--bootstrap-server", bootstrap, "--remove", "--force", "--topic", "orders");
            int listTopic = tools.step(command, "--bootstrap-server", bootstrap, "--list", "--topic", "orders");

            KafkaTools.Output output = tools.run().assertEveryStepSucceeded();

            assertThat(String.join("\n", output.of(add))).contains("ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)",
                    "ResourcePattern(resourceType=GROUP, name=billing, patternType=LITERAL)");
            assertThat(String.join("\n", output.of(addPrefixed))).contains("ResourcePattern(resourceType=TOPIC, name=pay, patternType=PREFIXED)");
            assertThat(String.join("\n", output.of(list))).contains(
                    "(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)",
                    "(principal=User:bob, host=*, operation=WRITE, permissionType=DENY)");
            assertThat(output.of(remove)).isEmpty();
            assertThat(String.join("\n", output.of(listTopic))).doesNotContain("User:alice");
            try (Admin admin = KafkaClients.admin(bootstrap)) {
                assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get()).extracting(acl -> acl.pattern().name())
                        .containsExactlyInAnyOrder("billing", "pay");
            }
        }
    }

    private static CreateAclsRequestData.AclCreation creation(byte resourceType, byte operation) {
        return new CreateAclsRequestData.AclCreation().setResourceType(resourceType).setResourceName("orders")
                .setResourcePatternType(PatternType.LITERAL.code()).setPrincipal("User:alice").setHost("*")
                .setOperation(operation).setPermissionType(AclPermissionType.ALLOW.code());
    }
}
