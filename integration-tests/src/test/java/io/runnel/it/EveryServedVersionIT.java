package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.runnel.it.support.AclApiRequests;
import io.runnel.it.support.AdminApiRequests;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawGroupMember;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.it.support.TransactionApiRequests;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every API the broker advertises, at every version it advertises (from the oldest kafka-clients can
 * still encode), gets a request that touches a real topic with data, and must come back with no
 * error and a sensible answer. This is what catches a response field set at a version that lacks it.
 * An API advertised without a request here fails the test, so the table and this test stay in step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryServedVersionIT {

    private static final String TOPIC = "versions";
    private static final int RECORDS = 3;
    private static final String LISTED_GROUP = "listed";
    private static final int SESSION_TIMEOUT_MS = 30_000;
    private static final List<TopicPartition> PARTITION_0 = List.of(new TopicPartition(TOPIC, 0));

    @TempDir
    static Path dataDir;

    private EmbeddedBroker broker;
    private Uuid topicId;

    @BeforeAll
    void startBrokerWithData() throws Exception {
        broker = EmbeddedBroker.start(dataDir, withAnonymousSuperUser(Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.min.session.timeout.ms", "1000",
                "group.consumer.min.session.timeout.ms", "1000",
                "group.consumer.heartbeat.interval.ms", "500",
                "group.consumer.min.heartbeat.interval.ms", "100",
                "offsets.topic.num.partitions", "5",
                // the transaction APIs are advertised (and so exercised here) only with the internal switch on
                "runnel.transactions.enable", "true",
                // WriteTxnMarkers rows close raw transactional batches no coordinator added; verification would refuse those.
                "transaction.partition.verification.enable", "false",
                "transaction.state.log.num.partitions", "3")));
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "k" + i, "v" + i)).get();
            }
        }
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            topicId = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).topicId();
            admin.alterConsumerGroupOffsets(LISTED_GROUP, Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(1))).all().get();
        }
    }

    /** The ACL APIs answer only with an authorizer; the anonymous client, a super user, passes every check. */
    private static Map<String, String> withAnonymousSuperUser(Map<String, String> configs) {
        Map<String, String> all = new java.util.HashMap<>(configs);
        all.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        all.put("super.users", "User:ANONYMOUS");
        return all;
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @TestFactory
    Stream<DynamicTest> shouldAnswerEveryAdvertisedVersionWithoutError() {
        ApiVersionsResponseData advertised;
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            advertised = connection.call(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData()
                    .setClientSoftwareName("versions-it").setClientSoftwareVersion("1"));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiVersionsResponseData.ApiVersion api : advertised.apiKeys()) {
            ApiKeys key = ApiKeys.forId(api.apiKey());
            short oldest = (short) Math.max(api.minVersion(), key.oldestVersion());
            for (short version = oldest; version <= api.maxVersion(); version++) {
                short v = version;
                tests.add(DynamicTest.dynamicTest(key + " v" + v, () -> exercise(key, v)));
            }
        }
        return tests.stream();
    }

    private void exercise(ApiKeys key, short version) {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            switch (key) {
                case PRODUCE -> check(connection, key, version, produce(version), (ProduceResponseData r) ->
                        assertThat(r.responses().iterator().next().partitionResponses().get(0).errorCode()).isZero());
                case FETCH -> check(connection, key, version, fetch(version), (FetchResponseData r) -> {
                    FetchResponseData.PartitionData partition = r.responses().get(0).partitions().get(0);
                    assertThat(partition.errorCode()).isZero();
                    assertThat(partition.records().sizeInBytes()).isPositive();
                });
                case LIST_OFFSETS -> check(connection, key, version, listLatestOffset(), (ListOffsetsResponseData r) -> {
                    assertThat(r.topics().get(0).partitions().get(0).errorCode()).isZero();
                    assertThat(r.topics().get(0).partitions().get(0).offset()).isGreaterThanOrEqualTo(RECORDS);
                });
                case METADATA -> check(connection, key, version, new MetadataRequestData().setTopics(List.of(
                        new MetadataRequestData.MetadataRequestTopic().setName(TOPIC))), (MetadataResponseData r) -> {
                    assertThat(r.topics().find(TOPIC).errorCode()).isZero();
                    assertThat(r.topics().find(TOPIC).partitions()).hasSize(1);
                });
                case API_VERSIONS -> check(connection, key, version, new ApiVersionsRequestData()
                                .setClientSoftwareName("versions-it").setClientSoftwareVersion("1.0"),
                        (ApiVersionsResponseData r) -> assertThat(r.errorCode()).isZero());
                case CREATE_TOPICS -> createThenDelete(connection, version);
                case DELETE_TOPICS -> deleteAfterCreating(connection, version);
                case INIT_PRODUCER_ID -> check(connection, key, version,
                        new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000),
                        (InitProducerIdResponseData r) -> {
                            assertThat(r.errorCode()).isZero();
                            assertThat(r.producerId()).isNotNegative();
                        });
                case OFFSET_FOR_LEADER_EPOCH -> check(connection, key, version, offsetForEpochZero(), (OffsetForLeaderEpochResponseData r) -> {
                    OffsetForLeaderEpochResponseData.EpochEndOffset partition = r.topics().iterator().next().partitions().get(0);
                    assertThat(partition.errorCode()).isZero();
                    assertThat(partition.endOffset()).isGreaterThanOrEqualTo(RECORDS);
                });
                case DESCRIBE_CLUSTER -> check(connection, key, version, new DescribeClusterRequestData(),
                        (DescribeClusterResponseData r) -> assertThat(r.brokers()).hasSize(1));
                case FIND_COORDINATOR -> findCoordinator(connection, version);
                case JOIN_GROUP -> joinGroup(connection, version);
                case SYNC_GROUP -> syncGroup(connection, version);
                case HEARTBEAT -> heartbeat(connection, version);
                case LEAVE_GROUP -> leaveGroup(connection, version);
                case OFFSET_COMMIT -> offsetCommit(connection, version);
                case OFFSET_FETCH -> offsetFetch(connection, version);
                case OFFSET_DELETE -> offsetDelete(connection, version);
                case LIST_GROUPS -> listGroups(connection, version);
                case DESCRIBE_GROUPS -> describeGroups(connection, version);
                case DELETE_GROUPS -> deleteGroups(connection, version);
                case CONSUMER_GROUP_HEARTBEAT -> consumerGroupHeartbeat(connection, version);
                case CONSUMER_GROUP_DESCRIBE -> consumerGroupDescribe(connection, version);
                // On a PLAINTEXT listener there is nothing to authenticate: Kafka answers ILLEGAL_SASL_STATE.
                case SASL_HANDSHAKE -> check(connection, key, version, new SaslHandshakeRequestData().setMechanism("PLAIN"),
                        (SaslHandshakeResponseData r) -> assertThat(r.errorCode()).isEqualTo(Errors.ILLEGAL_SASL_STATE.code()));
                case SASL_AUTHENTICATE -> check(connection, key, version, new SaslAuthenticateRequestData().setAuthBytes(new byte[0]),
                        (SaslAuthenticateResponseData r) -> assertThat(r.errorCode()).isEqualTo(Errors.ILLEGAL_SASL_STATE.code()));
                case ALTER_USER_SCRAM_CREDENTIALS -> check(connection, key, version, new AlterUserScramCredentialsRequestData().setUpsertions(List.of(
                        new AlterUserScramCredentialsRequestData.ScramCredentialUpsertion().setName("versions-user").setMechanism((byte) 1)
                                .setIterations(4096).setSalt(new byte[16]).setSaltedPassword(new byte[32]))),
                        (AlterUserScramCredentialsResponseData r) -> assertThat(r.results()).singleElement()
                                .satisfies(result -> assertThat(result.errorCode()).isZero()));
                case DESCRIBE_USER_SCRAM_CREDENTIALS -> check(connection, key, version, new DescribeUserScramCredentialsRequestData().setUsers(null),
                        (DescribeUserScramCredentialsResponseData r) -> assertThat(r.errorCode()).isZero());
                case ALTER_CLIENT_QUOTAS -> check(connection, key, version, new AlterClientQuotasRequestData().setEntries(List.of(
                        new AlterClientQuotasRequestData.EntryData()
                                .setEntity(List.of(new AlterClientQuotasRequestData.EntityData().setEntityType("client-id").setEntityName("versions")))
                                .setOps(List.of(new AlterClientQuotasRequestData.OpData().setKey("producer_byte_rate").setValue(1048576))))),
                        (AlterClientQuotasResponseData r) -> assertThat(r.entries()).singleElement()
                                .satisfies(entry -> assertThat(entry.errorCode()).isZero()));
                case DESCRIBE_CLIENT_QUOTAS -> check(connection, key, version, new DescribeClientQuotasRequestData().setComponents(List.of(
                        new DescribeClientQuotasRequestData.ComponentData().setEntityType("client-id").setMatchType((byte) 0).setMatch("nobody"))),
                        (DescribeClientQuotasResponseData r) -> {
                            assertThat(r.errorCode()).isZero();
                            assertThat(r.entries()).isEmpty();
                        });
                default -> {
                    if (!new AdminApiRequests(TOPIC).exercise(connection, key, version)
                            && !new TransactionApiRequests(TOPIC).exercise(connection, key, version)
                            && !new AclApiRequests().exercise(connection, key, version)) {
                        fail("advertised " + key + " has no request in this test; add one");
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <R extends ApiMessage> void check(RawKafkaConnection connection, ApiKeys key, short version, ApiMessage request,
                                                     Consumer<R> assertions) {
        assertions.accept((R) connection.call(key, version, request));
    }

    private ProduceRequestData produce(short version) {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData();
        if (version >= 13) {
            topic.setTopicId(topicId);
        } else {
            topic.setName(TOPIC);
        }
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(RawRequests.batchOf("v" + version)));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5_000);
        request.topicData().add(topic);
        return request;
    }

    private FetchRequestData fetch(short version) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20)));
        if (version >= 13) {
            topic.setTopicId(topicId);
        } else {
            topic.setTopic(TOPIC);
        }
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20).setTopics(List.of(topic));
    }

    private static ListOffsetsRequestData listLatestOffset() {
        ListOffsetsRequestData.ListOffsetsTopic topic = new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC);
        topic.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1L));
        return new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(topic));
    }

    private static OffsetForLeaderEpochRequestData offsetForEpochZero() {
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic = new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(TOPIC);
        topic.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0).setLeaderEpoch(0));
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData();
        request.topics().add(topic);
        return request;
    }

    private void createThenDelete(RawKafkaConnection connection, short version) {
        String name = "created-v" + version;
        CreateTopicsResponseData created = connection.call(ApiKeys.CREATE_TOPICS, version, createRequest(name));
        assertThat(created.topics().find(name).errorCode()).isZero();
        if (version >= 5) {
            assertThat(created.topics().find(name).numPartitions()).isEqualTo(2);
        }
    }

    private void deleteAfterCreating(RawKafkaConnection connection, short version) {
        String name = "deleted-v" + version;
        CreateTopicsResponseData created = connection.call(ApiKeys.CREATE_TOPICS, (short) 7, createRequest(name));
        assertThat(created.topics().find(name).errorCode()).isZero();
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(5_000);
        if (version >= 6) {
            request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName(name));
        } else {
            request.topicNames().add(name);
        }
        DeleteTopicsResponseData deleted = connection.call(ApiKeys.DELETE_TOPICS, version, request);
        assertThat(deleted.responses().iterator().next().errorCode()).isEqualTo(Errors.NONE.code());
    }

    private static CreateTopicsRequestData createRequest(String name) {
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(5_000);
        request.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(2).setReplicationFactor((short) 1));
        return request;
    }

    // --- group APIs: a group of its own per version where state matters ---

    private void findCoordinator(RawKafkaConnection connection, short version) {
        String key = "coordinated-v" + version;
        FindCoordinatorRequestData request = new FindCoordinatorRequestData().setKeyType((byte) 0);
        if (version >= 4) {
            request.setCoordinatorKeys(List.of(key, key + "-other"));
        } else {
            request.setKey(key);
        }
        FindCoordinatorResponseData response = connection.call(ApiKeys.FIND_COORDINATOR, version, request);
        if (version >= 4) {
            assertThat(response.coordinators()).extracting(FindCoordinatorResponseData.Coordinator::key).containsExactly(key, key + "-other");
            assertThat(response.coordinators()).allSatisfy(c -> {
                assertThat(c.errorCode()).isZero();
                assertThat(c.port()).isEqualTo(broker.port());
            });
        } else {
            assertThat(response.errorCode()).isZero();
            assertThat(response.port()).isEqualTo(broker.port());
            assertThat(response.nodeId()).isNotNegative();
        }
    }

    private void joinGroup(RawKafkaConnection connection, short version) {
        String instanceId = version >= 5 ? "instance-v" + version : null;
        RawGroupMember member = RawGroupMember.of(connection, "join-v" + version, instanceId);
        JoinGroupResponseData response = member.join(version, TOPIC, SESSION_TIMEOUT_MS);
        assertThat(response.errorCode()).isZero();
        assertThat(response.generationId()).isEqualTo(1);
        assertThat(response.memberId()).isNotEmpty();
        assertThat(response.leader()).isEqualTo(response.memberId());
        assertThat(response.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(response.memberId());
            assertThat(m.metadata()).isEqualTo(RawGroupMember.subscription(TOPIC));
            assertThat(m.groupInstanceId()).isEqualTo(instanceId);
        });
        assertThat(response.protocolName()).isEqualTo(RawGroupMember.PROTOCOL_NAME);
        if (version >= 7) {
            assertThat(response.protocolType()).isEqualTo(RawGroupMember.PROTOCOL_TYPE);
        }
    }

    private void syncGroup(RawKafkaConnection connection, short version) {
        RawGroupMember member = RawGroupMember.of(connection, "sync-v" + version, null);
        assertThat(member.join((short) 9, TOPIC, SESSION_TIMEOUT_MS).errorCode()).isZero();
        SyncGroupResponseData response = member.sync(version, PARTITION_0);
        assertThat(response.errorCode()).isZero();
        assertThat(response.assignment()).isEqualTo(RawGroupMember.assignment(PARTITION_0));
        if (version >= 5) {
            assertThat(response.protocolType()).isEqualTo(RawGroupMember.PROTOCOL_TYPE);
            assertThat(response.protocolName()).isEqualTo(RawGroupMember.PROTOCOL_NAME);
        }
    }

    private void heartbeat(RawKafkaConnection connection, short version) {
        RawGroupMember member = RawGroupMember.of(connection, "heartbeat-v" + version, version >= 3 ? "hb-instance" : null)
                .joinAndSync(TOPIC, SESSION_TIMEOUT_MS, PARTITION_0);
        HeartbeatResponseData response = connection.call(ApiKeys.HEARTBEAT, version, new HeartbeatRequestData().setGroupId(member.groupId())
                .setGenerationId(member.generation()).setMemberId(member.memberId()).setGroupInstanceId(member.instanceId()));
        assertThat(response.errorCode()).isZero();
    }

    private void leaveGroup(RawKafkaConnection connection, short version) {
        RawGroupMember member = RawGroupMember.of(connection, "leave-v" + version, null).joinAndSync(TOPIC, SESSION_TIMEOUT_MS, PARTITION_0);
        LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(member.groupId());
        if (version >= 3) {
            request.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId(member.memberId()).setReason("done"));
        } else {
            request.setMemberId(member.memberId());
        }
        LeaveGroupResponseData response = connection.call(ApiKeys.LEAVE_GROUP, version, request);
        assertThat(response.errorCode()).isZero();
        if (version >= 3) {
            assertThat(response.members()).singleElement().satisfies(m -> {
                assertThat(m.memberId()).isEqualTo(member.memberId());
                assertThat(m.errorCode()).isZero();
            });
        }
        DescribeGroupsResponseData described = connection.call(ApiKeys.DESCRIBE_GROUPS, (short) 5,
                new DescribeGroupsRequestData().setGroups(List.of(member.groupId())));
        assertThat(described.groups().get(0).groupState()).isEqualTo("Empty");
    }

    private OffsetCommitRequestData commitRequest(String groupId, short version, long offset) {
        OffsetCommitRequestData.OffsetCommitRequestTopic topic = new OffsetCommitRequestData.OffsetCommitRequestTopic();
        if (version >= 10) {
            topic.setTopicId(topicId);
        } else {
            topic.setName(TOPIC);
        }
        topic.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                .setCommittedOffset(offset).setCommittedLeaderEpoch(0).setCommittedMetadata("m-v" + version));
        return new OffsetCommitRequestData().setGroupId(groupId).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setRetentionTimeMs(-1).setTopics(List.of(topic));
    }

    private void commit(RawKafkaConnection connection, String groupId, long offset) {
        OffsetCommitResponseData response = connection.call(ApiKeys.OFFSET_COMMIT, (short) 9, commitRequest(groupId, (short) 9, offset));
        assertThat(response.topics().get(0).partitions().get(0).errorCode()).isZero();
    }

    private void offsetCommit(RawKafkaConnection connection, short version) {
        String groupId = "commit-v" + version;
        OffsetCommitResponseData response = connection.call(ApiKeys.OFFSET_COMMIT, version, commitRequest(groupId, version, 2));
        OffsetCommitResponseData.OffsetCommitResponseTopic topic = response.topics().get(0);
        if (version >= 10) {
            assertThat(topic.topicId()).isEqualTo(topicId);
        } else {
            assertThat(topic.name()).isEqualTo(TOPIC);
        }
        assertThat(topic.partitions()).singleElement().satisfies(p -> {
            assertThat(p.partitionIndex()).isZero();
            assertThat(p.errorCode()).isZero();
        });
        OffsetFetchResponseData.OffsetFetchResponsePartitions fetched = fetchPartition0(connection, groupId);
        assertThat(fetched.committedOffset()).isEqualTo(2);
        assertThat(fetched.metadata()).isEqualTo("m-v" + version);
    }

    private OffsetFetchResponseData.OffsetFetchResponsePartitions fetchPartition0(RawKafkaConnection connection, String groupId) {
        OffsetFetchResponseData response = connection.call(ApiKeys.OFFSET_FETCH, (short) 9, new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(groupId).setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(TOPIC).setPartitionIndexes(List.of(0)))))));
        assertThat(response.groups().get(0).errorCode()).isZero();
        return response.groups().get(0).topics().get(0).partitions().get(0);
    }

    private void offsetFetch(RawKafkaConnection connection, short version) {
        String groupId = "fetch-v" + version;
        commit(connection, groupId, 2);
        OffsetFetchRequestData request = new OffsetFetchRequestData().setRequireStable(version >= 7);
        if (version >= 8) {
            OffsetFetchRequestData.OffsetFetchRequestTopics topic = new OffsetFetchRequestData.OffsetFetchRequestTopics().setPartitionIndexes(List.of(0));
            if (version >= 10) {
                topic.setTopicId(topicId);
            } else {
                topic.setName(TOPIC);
            }
            request.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(groupId).setTopics(List.of(topic)));
            request.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(LISTED_GROUP).setTopics(null));
        } else {
            request.setGroupId(groupId).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(TOPIC).setPartitionIndexes(List.of(0))));
        }
        OffsetFetchResponseData response = connection.call(ApiKeys.OFFSET_FETCH, version, request);
        if (version >= 8) {
            assertThat(response.groups()).extracting(OffsetFetchResponseData.OffsetFetchResponseGroup::groupId).containsExactly(groupId, LISTED_GROUP);
            assertThat(response.groups()).allSatisfy(g -> assertThat(g.errorCode()).isZero());
            OffsetFetchResponseData.OffsetFetchResponseTopics topic = response.groups().get(0).topics().get(0);
            if (version >= 10) {
                assertThat(topic.topicId()).isEqualTo(topicId);
            } else {
                assertThat(topic.name()).isEqualTo(TOPIC);
            }
            assertThat(topic.partitions()).singleElement().satisfies(p -> {
                assertThat(p.errorCode()).isZero();
                assertThat(p.committedOffset()).isEqualTo(2);
                assertThat(p.committedLeaderEpoch()).isZero();
                assertThat(p.metadata()).isEqualTo("m-v9");
            });
            assertThat(response.groups().get(1).topics()).singleElement().satisfies(t ->
                    assertThat(t.partitions().get(0).committedOffset()).isEqualTo(1));
        } else {
            assertThat(response.errorCode()).isZero();
            assertThat(response.topics().get(0).name()).isEqualTo(TOPIC);
            assertThat(response.topics().get(0).partitions()).singleElement().satisfies(p -> {
                assertThat(p.errorCode()).isZero();
                assertThat(p.committedOffset()).isEqualTo(2);
                assertThat(p.metadata()).isEqualTo("m-v9");
                if (version >= 5) {
                    assertThat(p.committedLeaderEpoch()).isZero();
                }
            });
        }
    }

    private void offsetDelete(RawKafkaConnection connection, short version) {
        String groupId = "offset-delete-v" + version;
        commit(connection, groupId, 2);
        OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics = new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
        topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(TOPIC)
                .setPartitions(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
        OffsetDeleteResponseData response = connection.call(ApiKeys.OFFSET_DELETE, version,
                new OffsetDeleteRequestData().setGroupId(groupId).setTopics(topics));
        assertThat(response.errorCode()).isZero();
        assertThat(response.topics().find(TOPIC).partitions().find(0).errorCode()).isZero();
        assertThat(fetchPartition0(connection, groupId).committedOffset()).isEqualTo(-1);
    }

    private void listGroups(RawKafkaConnection connection, short version) {
        ListGroupsRequestData request = new ListGroupsRequestData();
        if (version >= 4) {
            request.setStatesFilter(List.of("Empty"));
        }
        if (version >= 5) {
            request.setTypesFilter(List.of("classic"));
        }
        ListGroupsResponseData response = connection.call(ApiKeys.LIST_GROUPS, version, request);
        assertThat(response.errorCode()).isZero();
        assertThat(response.groups()).filteredOn(g -> g.groupId().equals(LISTED_GROUP)).singleElement().satisfies(g -> {
            if (version >= 4) {
                assertThat(g.groupState()).isEqualTo("Empty");
            }
            if (version >= 5) {
                assertThat(g.groupType()).isEqualTo("classic");
            }
        });
        if (version >= 4) {
            assertThat(response.groups()).allSatisfy(g -> assertThat(g.groupState()).isEqualTo("Empty"));
        }
    }

    private void describeGroups(RawKafkaConnection connection, short version) {
        RawGroupMember member = RawGroupMember.of(connection, "describe-v" + version, null).joinAndSync(TOPIC, SESSION_TIMEOUT_MS, PARTITION_0);
        DescribeGroupsResponseData response = connection.call(ApiKeys.DESCRIBE_GROUPS, version,
                new DescribeGroupsRequestData().setGroups(List.of(member.groupId())).setIncludeAuthorizedOperations(version >= 3));
        assertThat(response.groups()).singleElement().satisfies(g -> {
            assertThat(g.errorCode()).isZero();
            assertThat(g.groupId()).isEqualTo(member.groupId());
            assertThat(g.groupState()).isEqualTo("Stable");
            assertThat(g.protocolType()).isEqualTo(RawGroupMember.PROTOCOL_TYPE);
            assertThat(g.protocolData()).isEqualTo(RawGroupMember.PROTOCOL_NAME);
            assertThat(g.members()).singleElement().satisfies(m -> {
                assertThat(m.memberId()).isEqualTo(member.memberId());
                assertThat(m.clientId()).isNotEmpty();
                assertThat(m.memberMetadata()).isEqualTo(RawGroupMember.subscription(TOPIC));
                assertThat(m.memberAssignment()).isEqualTo(RawGroupMember.assignment(PARTITION_0));
            });
        });
    }

    private void deleteGroups(RawKafkaConnection connection, short version) {
        String groupId = "delete-v" + version;
        commit(connection, groupId, 2);
        DeleteGroupsResponseData response = connection.call(ApiKeys.DELETE_GROUPS, version, new DeleteGroupsRequestData().setGroupsNames(List.of(groupId)));
        assertThat(response.results().find(groupId).errorCode()).isZero();
        assertThat(fetchPartition0(connection, groupId).committedOffset()).isEqualTo(-1);
    }

    private ConsumerGroupHeartbeatResponseData joinConsumerGroup(RawKafkaConnection connection, short version, String groupId) {
        ConsumerGroupHeartbeatResponseData response = connection.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, version, new ConsumerGroupHeartbeatRequestData()
                .setGroupId(groupId).setMemberId(version >= 1 ? Uuid.randomUuid().toString() : "").setMemberEpoch(0)
                .setRebalanceTimeoutMs(SESSION_TIMEOUT_MS).setSubscribedTopicNames(List.of(TOPIC)).setTopicPartitions(List.of()));
        assertThat(response.errorCode()).isZero();
        assertThat(response.memberId()).isNotEmpty();
        assertThat(response.memberEpoch()).isPositive();
        assertThat(response.heartbeatIntervalMs()).isEqualTo(500);
        return response;
    }

    private void consumerGroupHeartbeat(RawKafkaConnection connection, short version) {
        String groupId = "consumer-heartbeat-v" + version;
        ConsumerGroupHeartbeatResponseData joined = joinConsumerGroup(connection, version, groupId);
        assertThat(joined.assignment()).isNotNull();
        assertThat(joined.assignment().topicPartitions()).singleElement().satisfies(t -> {
            assertThat(t.topicId()).isEqualTo(topicId);
            assertThat(t.partitions()).containsExactly(0);
        });
        ConsumerGroupHeartbeatResponseData left = connection.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, version, new ConsumerGroupHeartbeatRequestData()
                .setGroupId(groupId).setMemberId(joined.memberId()).setMemberEpoch(-1));
        assertThat(left.errorCode()).isZero();
        assertThat(left.memberEpoch()).isEqualTo(-1);
    }

    private void consumerGroupDescribe(RawKafkaConnection connection, short version) {
        String groupId = "consumer-describe-v" + version;
        ConsumerGroupHeartbeatResponseData joined = joinConsumerGroup(connection, (short) 1, groupId);
        ConsumerGroupDescribeResponseData response = connection.call(ApiKeys.CONSUMER_GROUP_DESCRIBE, version,
                new ConsumerGroupDescribeRequestData().setGroupIds(List.of(groupId)));
        assertThat(response.groups()).singleElement().satisfies(g -> {
            assertThat(g.errorCode()).isZero();
            assertThat(g.groupId()).isEqualTo(groupId);
            assertThat(g.groupEpoch()).isEqualTo(joined.memberEpoch());
            assertThat(g.assignorName()).isNotEmpty();
            assertThat(g.members()).singleElement().satisfies(m -> {
                assertThat(m.memberId()).isEqualTo(joined.memberId());
                assertThat(m.memberEpoch()).isEqualTo(joined.memberEpoch());
                assertThat(m.subscribedTopicNames()).containsExactly(TOPIC);
                assertThat(m.assignment().topicPartitions()).singleElement().satisfies(t -> {
                    assertThat(t.topicId()).isEqualTo(topicId);
                    assertThat(t.topicName()).isEqualTo(TOPIC);
                    assertThat(t.partitions()).containsExactly(0);
                });
            });
        });
    }
}
