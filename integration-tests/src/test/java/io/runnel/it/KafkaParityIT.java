package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.it.support.RawRequests.ProducerIdAndEpoch;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers where a differential run against Apache Kafka 4.3.1 found Runnel answering differently;
 * each test pins Kafka's answer.
 */
class KafkaParityIT {

    private static final String TOPIC = "parity";

    @TempDir
    Path dataDir;

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dataDir, Map.of());
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldGrantAFreshProducerIdEvenWhenTheRequestNamesOne() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ProducerIdAndEpoch first = RawRequests.initProducerId(connection);

            InitProducerIdResponseData again = connection.call(ApiKeys.INIT_PRODUCER_ID, (short) 4, new InitProducerIdRequestData()
                    .setTransactionalId(null).setTransactionTimeoutMs(60_000)
                    .setProducerId(first.producerId() + 1).setProducerEpoch((short) 0));
            ProducerIdAndEpoch next = RawRequests.initProducerId(connection);

            assertThat(again.errorCode()).isZero();
            assertThat(again.producerEpoch()).isZero();
            assertThat(List.of(first.producerId(), again.producerId(), next.producerId())).doesNotHaveDuplicates();
        }
    }

    @Test
    void shouldRefuseATransactionalBatchWithoutATransactionalId() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
            MemoryRecords transactional = MemoryRecords.withTransactionalRecords(Compression.NONE, producer.producerId(),
                    producer.epoch(), 0, new SimpleRecord("uncommitted".getBytes(StandardCharsets.UTF_8)));

            var response = RawRequests.produce(connection, TOPIC, 0, transactional);

            assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
            assertThat(RawRequests.fetch(connection, TOPIC, 0, 0).records().sizeInBytes()).isZero();
        }
    }

    @Test
    void shouldAcceptAnUnknownProducerStartingAtAnySequence() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);

            var first = RawRequests.produce(connection, TOPIC, 0, RawRequests.idempotentBatchOf(producer, 5, "a"));
            var gap = RawRequests.produce(connection, TOPIC, 0, RawRequests.idempotentBatchOf(producer, 9, "b"));

            assertThat(first.errorCode()).isZero();
            assertThat(Errors.forCode(gap.errorCode())).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
            assertThat(gap.baseOffset()).isEqualTo(-1);
        }
    }

    @Test
    void shouldRefuseATimestampFurtherAheadThanAllowed() {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            long tenDaysAhead = System.currentTimeMillis() + 10L * 24 * 3_600_000;

            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, null, tenDaysAhead, "k", "future")).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidTimestampException.class);
        }
    }

    @Test
    void shouldEndTheCurrentEpochAtTheLogEndEvenBeforeAnyWrite() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic = new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(TOPIC);
            topic.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0).setLeaderEpoch(0));
            OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData();
            request.topics().add(topic);

            OffsetForLeaderEpochResponseData response = connection.call(ApiKeys.OFFSET_FOR_LEADER_EPOCH, (short) 4, request);

            OffsetForLeaderEpochResponseData.EpochEndOffset partition = response.topics().iterator().next().partitions().get(0);
            assertThat(partition.leaderEpoch()).isZero();
            assertThat(partition.endOffset()).isZero();
        }
    }

    @Test
    void shouldRefuseSpecialTimestampsAtVersionsThatPredateThem() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ListOffsetsRequestData.ListOffsetsTopic topic = new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC);
            topic.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-4L));

            ListOffsetsResponseData response = connection.call(ApiKeys.LIST_OFFSETS, (short) 7,
                    new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(topic)));

            assertThat(Errors.forCode(response.topics().get(0).partitions().get(0).errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
        }
    }
}
