package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.TargetBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refusals as Apache Kafka 4.3.1 answers them, pinned by running these cases against it
 * ({@code -Drunnel.it.reference.bootstrap}, a broker with the StandardAuthorizer and
 * {@code allow.everyone.if.no.acl.found=true}, so the anonymous client may manage ACLs) and against
 * Runnel configured the same: DENY ACLs on a topic, a group and a transactional id (refused whole,
 * or in their own entries of batched FindCoordinator and OffsetFetch requests), and ACLs Kafka
 * refuses to create.
 */
class AuthorizationParityIT {

    private static final String ANONYMOUS = "User:ANONYMOUS";

    @TempDir
    Path dataDir;

    private TargetBroker broker;
    /** Per test: a reference broker keeps what earlier tests made. */
    private final String test = Long.toString(System.nanoTime(), 36);
    private final String secret = TargetBroker.unique("secret-" + test);
    private final String open = TargetBroker.unique("open-" + test);
    private final String group = TargetBroker.unique("denied-group-" + test);
    private final String transactionalId = TargetBroker.unique("denied-txn-" + test);

    @BeforeEach
    void start() throws Exception {
        broker = TargetBroker.start(dataDir, Map.of("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found", "true"));
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(open, 1, (short) 1))).all().get();
            admin.createAcls(List.of(deny(ResourceType.TOPIC, secret), deny(ResourceType.GROUP, group),
                    deny(ResourceType.TRANSACTIONAL_ID, transactionalId))).all().get();
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldRefuseADeniedTopicAsKafkaDoes() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            MetadataResponseData metadata = connection.call(ApiKeys.METADATA, (short) 12, new MetadataRequestData()
                    .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(secret))).setAllowAutoTopicCreation(true));
            assertThat(metadata.topics()).singleElement().satisfies(topic -> {
                assertThat(topic.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                assertThat(topic.partitions()).isEmpty();
            });
        }
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("enable.idempotence", "false",
                "max.block.ms", "10000"))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(secret, "k", "v")).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            // CREATE on the cluster (no ACL names it, and everyone is allowed then) suffices, whatever the topic's DENY says
            admin.createTopics(List.of(new NewTopic(secret, 1, (short) 1))).all().get();
            assertThatThrownBy(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, secret))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThat(admin.listTopics().names().get()).as("it exists, but may not be described").contains(open).doesNotContain(secret);
        }
    }

    @Test
    void shouldRefuseADeniedTopicInDescribeTopicPartitionsAsKafkaDoes() throws Exception {
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(secret, 1, (short) 1))).all().get();
            assertThatThrownBy(() -> admin.describeTopics(List.of(secret)).allTopicNames().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            DescribeTopicPartitionsResponseData response = connection.call(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, (short) 0,
                    new DescribeTopicPartitionsRequestData().setTopics(List.of(new DescribeTopicPartitionsRequestData.TopicRequest().setName(secret),
                            new DescribeTopicPartitionsRequestData.TopicRequest().setName(open))));

            assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic::name)
                    .containsExactly(open, secret);
            DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic refused = response.topics().find(secret);
            assertThat(refused.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            assertThat(refused.topicId()).isEqualTo(Uuid.ZERO_UUID);
            assertThat(refused.partitions()).isEmpty();
            assertThat(refused.topicAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
            assertThat(response.topics().find(open).topicAuthorizedOperations()).as("no ACL names it: every topic operation")
                    .isEqualTo(0b1101_1111_1000);
        }
    }

    @Test
    void shouldRefuseADeniedGroupAndTransactionalIdAsKafkaDoes() {
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("group.id", group))) {
            consumer.subscribe(List.of(open));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(GroupAuthorizationException.class);
        }
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("transactional.id", transactionalId,
                "max.block.ms", "10000"))) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseAclsOfAnUnknownResourceTypeOrOperationAsKafkaDoes() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            CreateAclsResponseData response = connection.call(ApiKeys.CREATE_ACLS, (short) 3, new CreateAclsRequestData().setCreations(List.of(
                    creation((byte) 99, AclOperation.READ.code(), secret),
                    creation(ResourceType.TOPIC.code(), (byte) 99, secret),
                    creation(ResourceType.CLUSTER.code(), AclOperation.ALTER.code(), "not-the-cluster"))));

            assertThat(response.results()).extracting(CreateAclsResponseData.AclCreationResult::errorCode)
                    .containsExactly(Errors.INVALID_REQUEST.code(), Errors.INVALID_REQUEST.code(), Errors.INVALID_REQUEST.code());
        }
    }

    @Test
    void shouldAnswerADeniedKeyOfABatchedFindCoordinatorInItsOwnEntryAsKafkaDoes() {
        String openGroup = TargetBroker.unique("open-group-" + test);
        String openTransactionalId = TargetBroker.unique("open-txn-" + test);
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            // the first lookup of each kind creates its internal topic: COORDINATOR_NOT_AVAILABLE until it has a leader
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(coordinators(connection, CoordinatorType.GROUP, openGroup, group))
                    .extracting(FindCoordinatorResponseData.Coordinator::errorCode)
                    .containsExactly(Errors.NONE.code(), Errors.GROUP_AUTHORIZATION_FAILED.code()));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(coordinators(connection, CoordinatorType.TRANSACTION,
                    transactionalId, openTransactionalId)).extracting(FindCoordinatorResponseData.Coordinator::errorCode)
                    .containsExactly(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), Errors.NONE.code()));

            FindCoordinatorResponseData.Coordinator refused = coordinators(connection, CoordinatorType.GROUP, openGroup, group).get(1);
            assertThat(refused.key()).isEqualTo(group);
            assertThat(refused.nodeId()).isEqualTo(-1);
            assertThat(refused.host()).isEmpty();
            assertThat(refused.port()).isEqualTo(-1);
            assertThat(refused.errorMessage()).isEmpty();
        }
    }

    @Test
    void shouldAnswerADeniedGroupOfABatchedOffsetFetchInItsOwnEntryAsKafkaDoes() throws Exception {
        String openGroup = TargetBroker.unique("open-group-" + test);
        TopicPartition partition = new TopicPartition(open, 0);
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            // Kafka's coordinator may not know the topic created a moment ago yet: UNKNOWN_TOPIC_OR_PARTITION until it does
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    admin.alterConsumerGroupOffsets(openGroup, Map.of(partition, new OffsetAndMetadata(7))).all().get());

            ListConsumerGroupOffsetsResult listed = admin.listConsumerGroupOffsets(Map.of(openGroup, new ListConsumerGroupOffsetsSpec(),
                    group, new ListConsumerGroupOffsetsSpec()));

            assertThat(listed.partitionsToOffsetAndMetadata(openGroup).get()).containsEntry(partition, new OffsetAndMetadata(7));
            assertThatThrownBy(() -> listed.partitionsToOffsetAndMetadata(group).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupAuthorizationException.class);
        }
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            OffsetFetchResponseData response = connection.call(ApiKeys.OFFSET_FETCH, (short) 9, new OffsetFetchRequestData().setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setTopics(null),
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(openGroup).setTopics(null))));

            assertThat(response.errorCode()).isZero();
            assertThat(response.groups()).extracting(OffsetFetchResponseData.OffsetFetchResponseGroup::groupId).containsExactly(group, openGroup);
            assertThat(response.groups().get(0).errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
            assertThat(response.groups().get(0).topics()).isEmpty();
            assertThat(response.groups().get(1).errorCode()).isZero();
            assertThat(response.groups().get(1).topics()).singleElement().satisfies(topic -> assertThat(topic.partitions())
                    .singleElement().satisfies(p -> assertThat(p.committedOffset()).isEqualTo(7)));
        }
    }

    private static List<FindCoordinatorResponseData.Coordinator> coordinators(RawKafkaConnection connection, CoordinatorType type, String... keys) {
        FindCoordinatorResponseData response = connection.call(ApiKeys.FIND_COORDINATOR, (short) 4, new FindCoordinatorRequestData()
                .setKeyType(type.id()).setCoordinatorKeys(List.of(keys)));
        return response.coordinators();
    }

    private static AclBinding deny(ResourceType type, String name) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(ANONYMOUS, "*", AclOperation.ALL, AclPermissionType.DENY));
    }

    private static CreateAclsRequestData.AclCreation creation(byte resourceType, byte operation, String name) {
        return new CreateAclsRequestData.AclCreation().setResourceType(resourceType).setResourceName(name)
                .setResourcePatternType(PatternType.LITERAL.code()).setPrincipal(ANONYMOUS).setHost("*")
                .setOperation(operation).setPermissionType(AclPermissionType.ALLOW.code());
    }
}
