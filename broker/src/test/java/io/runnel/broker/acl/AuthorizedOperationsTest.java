package io.runnel.broker.acl;

import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CLUSTER_ACTION;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.protocol.KafkaRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class AuthorizedOperationsTest {

    private static final KafkaRequest ALICE = new KafkaRequest(new RequestHeaderData(), ApiKeys.METADATA, new MetadataRequestData(),
            "/10.0.0.1", "PLAINTEXT", new KafkaPrincipal("User", "alice"));

    private final StandardAuthorizer authorizer = new StandardAuthorizer(AuthorizerConfig.parse(AuthorizerConfig.STANDARD_AUTHORIZER, "", false));
    private final Map<Uuid, AclBinding> acls = new HashMap<>();

    @Test
    void shouldReportEverySupportedOperationButNotAllWithoutAnAuthorizer() {
        assertThat(operations(AuthorizedOperations.of(RequestAuthorizer.ALLOW_ALL, ALICE, ResourceType.TOPIC, "orders")))
                .containsExactlyInAnyOrder(READ, WRITE, CREATE, DESCRIBE, DELETE, ALTER, DESCRIBE_CONFIGS, ALTER_CONFIGS);
        assertThat(operations(AuthorizedOperations.of(RequestAuthorizer.ALLOW_ALL, ALICE, ResourceType.GROUP, "g")))
                .containsExactlyInAnyOrder(READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS, ALTER_CONFIGS);
        assertThat(operations(AuthorizedOperations.ofCluster(RequestAuthorizer.ALLOW_ALL, ALICE)))
                .containsExactlyInAnyOrder(CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALTER, DESCRIBE);
    }

    @Test
    void shouldReportTheGrantedOperationsWithThoseTheyImply() {
        grant(ResourceType.TOPIC, "orders", READ);
        grant(ResourceType.TOPIC, "orders", ALTER_CONFIGS);

        assertThat(operations(AuthorizedOperations.of(authorizer, ALICE, ResourceType.TOPIC, "orders")))
                .containsExactlyInAnyOrder(READ, DESCRIBE, ALTER_CONFIGS, DESCRIBE_CONFIGS);
        assertThat(AuthorizedOperations.of(authorizer, ALICE, ResourceType.TOPIC, "payments")).isZero();
    }

    @Test
    void shouldReportNothingOnTheClusterWithoutDescribeOnIt() {
        grant(ResourceType.CLUSTER, RequestAuthorizer.CLUSTER_NAME, IDEMPOTENT_WRITE);

        assertThat(AuthorizedOperations.ofCluster(authorizer, ALICE)).isZero();

        grant(ResourceType.CLUSTER, RequestAuthorizer.CLUSTER_NAME, ALTER);
        assertThat(operations(AuthorizedOperations.ofCluster(authorizer, ALICE))).containsExactlyInAnyOrder(IDEMPOTENT_WRITE, ALTER, DESCRIBE);
    }

    private void grant(ResourceType type, String name, AclOperation operation) {
        acls.put(Uuid.randomUuid(), new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW)));
        authorizer.load(Map.copyOf(acls));
    }

    private static Set<AclOperation> operations(int bitField) {
        return Utils.from32BitField(bitField).stream().map(AclOperation::fromCode).collect(Collectors.toSet());
    }
}
