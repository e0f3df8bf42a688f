package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
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

    @TempDir
    static Path dataDir;

    private EmbeddedBroker broker;
    private Uuid topicId;

    @BeforeAll
    void startBrokerWithData() throws Exception {
        broker = EmbeddedBroker.start(dataDir, Map.of());
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "k" + i, "v" + i)).get();
            }
        }
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            topicId = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).topicId();
        }
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
                default -> fail("advertised " + key + " has no request in this test; add one");
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
}
