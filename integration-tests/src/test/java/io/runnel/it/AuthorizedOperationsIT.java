package io.runnel.it;

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
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.TargetBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code *_authorized_operations} fields as Apache Kafka 4.3.1 fills them, pinned by running these
 * cases against it ({@code -Drunnel.it.reference.bootstrap}, a broker with the StandardAuthorizer and
 * {@code allow.everyone.if.no.acl.found=true}) and against Runnel configured the same: a resource no
 * ACL names allows every operation Kafka supports on it; one with an ALLOW READ ACL only READ and the
 * DESCRIBE it implies; a topic that may not be described keeps the schema's default.
 */
class AuthorizedOperationsIT {

    private static final String ANONYMOUS = "User:ANONYMOUS";
    private static final int NOT_REQUESTED = Integer.MIN_VALUE;

    @TempDir
    Path dataDir;

    private TargetBroker broker;
    private Admin admin;
    private final String test = Long.toString(System.nanoTime(), 36);
    private final String open = TargetBroker.unique("open-" + test);
    private final String readOnly = TargetBroker.unique("read-only-" + test);
    private final String secret = TargetBroker.unique("secret-" + test);
    private final String readers = TargetBroker.unique("readers-" + test);

    @BeforeEach
    void start() throws Exception {
        broker = TargetBroker.start(dataDir, Map.of("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found", "true"));
        admin = KafkaClients.admin(broker.bootstrapServers());
        admin.createTopics(List.of(new NewTopic(open, 1, (short) 1), new NewTopic(readOnly, 1, (short) 1), new NewTopic(secret, 1, (short) 1)))
                .all().get();
        admin.createAcls(List.of(
                acl(ResourceType.TOPIC, readOnly, PatternType.LITERAL, READ, AclPermissionType.ALLOW),
                acl(ResourceType.TOPIC, secret, PatternType.LITERAL, AclOperation.ALL, AclPermissionType.DENY),
                acl(ResourceType.GROUP, readers, PatternType.PREFIXED, READ, AclPermissionType.ALLOW))).all().get();
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldReportTheOperationsAllowedOnTopicsThroughTheAdminClient() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.describeTopics(List.of(readOnly),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get().get(readOnly).authorizedOperations())
                .containsExactlyInAnyOrder(READ, DESCRIBE));
        assertThat(admin.describeTopics(List.of(open), new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get()
                .get(open).authorizedOperations())
                .containsExactlyInAnyOrder(READ, WRITE, CREATE, DESCRIBE, DELETE, ALTER, DESCRIBE_CONFIGS, ALTER_CONFIGS);
    }

    @Test
    void shouldReportTopicAndClusterOperationsInMetadataOnlyWhenAsked() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(topic(metadata((short) 10, true), readOnly).topicAuthorizedOperations())
                .isEqualTo(bits(READ, DESCRIBE)));
        MetadataResponseData asked = metadata((short) 10, true);
        assertThat(asked.clusterAuthorizedOperations())
                .isEqualTo(bits(CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALTER, DESCRIBE));
        assertThat(topic(asked, secret).errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(topic(asked, secret).topicAuthorizedOperations()).as("refused: the default").isEqualTo(NOT_REQUESTED);

        MetadataResponseData notAsked = metadata((short) 12, false);
        assertThat(topic(notAsked, readOnly).topicAuthorizedOperations()).isEqualTo(NOT_REQUESTED);
        assertThat(topic(notAsked, open).topicAuthorizedOperations()).isEqualTo(NOT_REQUESTED);
    }

    @Test
    void shouldReportTheOperationsAllowedOnTheClusterWhenAsked() throws Exception {
        assertThat(admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true)).authorizedOperations().get())
                .containsExactlyInAnyOrder(CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALTER, DESCRIBE);
        assertThat(admin.describeCluster().authorizedOperations().get()).isNull();
    }

    @Test
    void shouldReportTheOperationsAllowedOnClassicAndConsumerGroups() throws Exception {
        String classic = readers + "-classic";
        String consumerGroup = readers + "-consumer";
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                admin.alterConsumerGroupOffsets(classic, Map.of(new TopicPartition(open, 0), new OffsetAndMetadata(0))).all().get());
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("group.id", consumerGroup,
                "group.protocol", "consumer"))) {
            consumer.subscribe(List.of(open));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
            });

            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(List.of(classic, consumerGroup),
                    new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).all().get();

            assertThat(described.get(classic).authorizedOperations()).containsExactlyInAnyOrder(READ, DESCRIBE);
            assertThat(described.get(consumerGroup).authorizedOperations()).containsExactlyInAnyOrder(READ, DESCRIBE);
        }
    }

    private MetadataResponseData metadata(short version, boolean includeAuthorizedOperations) {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            return connection.call(ApiKeys.METADATA, version, new MetadataRequestData()
                    .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(open),
                            new MetadataRequestData.MetadataRequestTopic().setName(readOnly),
                            new MetadataRequestData.MetadataRequestTopic().setName(secret)))
                    .setAllowAutoTopicCreation(false)
                    .setIncludeClusterAuthorizedOperations(includeAuthorizedOperations && version <= 10)
                    .setIncludeTopicAuthorizedOperations(includeAuthorizedOperations));
        }
    }

    private static MetadataResponseTopic topic(MetadataResponseData response, String name) {
        return response.topics().find(name);
    }

    private static int bits(AclOperation... operations) {
        return Utils.to32BitField(Arrays.stream(operations).map(AclOperation::code).collect(Collectors.toSet()));
    }

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(ANONYMOUS, "*", operation, permission));
    }
}
