package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.Acknowledgements;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.it.support.RawRequests.ProducerIdAndEpoch;
import io.runnel.it.support.ReadBackAssertions;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker deduplicates retried batches of an idempotent producer and refuses sequence gaps. */
class IdempotenceIT {

    private static final String TOPIC = "idempotent";

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of());
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldAnswerARetriedBatchWithTheOriginalBaseOffsetAndStoreItOnce() {
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
            RawRequests.produce(connection, TOPIC, 0, RawRequests.batchOf("before"));

            PartitionProduceResponse first = RawRequests.produce(connection, TOPIC, 0,
                    RawRequests.idempotentBatchOf(producer, 0, "a", "b", "c"));
            PartitionProduceResponse retry = RawRequests.produce(connection, TOPIC, 0,
                    RawRequests.idempotentBatchOf(producer, 0, "a", "b", "c"));

            assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.NONE);
            assertThat(first.baseOffset()).isEqualTo(1L);
            assertThat(Errors.forCode(retry.errorCode())).isEqualTo(Errors.NONE);
            assertThat(retry.baseOffset()).isEqualTo(first.baseOffset());
        }
        assertThat(TopicReader.readAll(broker.bootstrapServers(), TOPIC))
                .extracting(ConsumerRecord::value)
                .containsExactly("before", "a", "b", "c");
    }

    @Test
    void shouldRefuseASequenceGapWithOutOfOrderSequenceNumber() {
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            ProducerIdAndEpoch producer = RawRequests.initProducerId(connection);
            PartitionProduceResponse first = RawRequests.produce(connection, TOPIC, 0,
                    RawRequests.idempotentBatchOf(producer, 0, "a", "b", "c"));
            PartitionProduceResponse afterGap = RawRequests.produce(connection, TOPIC, 0,
                    RawRequests.idempotentBatchOf(producer, 10, "x"));

            assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.NONE);
            assertThat(Errors.forCode(afterGap.errorCode())).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        }
        assertThat(TopicReader.readAll(broker.bootstrapServers(), TOPIC))
                .extracting(ConsumerRecord::value)
                .containsExactly("a", "b", "c");
    }

    @Test
    void shouldStoreEachRecordOfAnIdempotentProducerWithFiveInFlightRequestsOnce() {
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 4);
        Acknowledgements acks = new Acknowledgements();
        Map<String, Object> config = Map.of("enable.idempotence", true, "acks", "all",
                "max.in.flight.requests.per.connection", 5, "batch.size", 1024, "linger.ms", 0);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), config)) {
            for (int i = 0; i < 10_000; i++) {
                String key = "key-" + (i % 64);
                String value = String.valueOf(i);
                producer.send(new ProducerRecord<>(TOPIC, key, value), acks.callbackFor(key, value));
            }
            producer.flush();
        }
        assertThat(acks.failures()).isEmpty();

        List<ConsumerRecord<String, String>> records = TopicReader.readAll(broker.bootstrapServers(), TOPIC);

        assertThat(records).hasSize(10_000);
        assertThat(records).extracting(ConsumerRecord::value).doesNotHaveDuplicates();
        ReadBackAssertions.assertOffsetsContiguousFromZero(records);
        ReadBackAssertions.assertEveryAcknowledgedRecordAtItsOffset(records, acks.acknowledged());
        assertValuesOfEachKeyInSendOrder(records);
    }

    private static void assertValuesOfEachKeyInSendOrder(List<ConsumerRecord<String, String>> records) {
        Map<String, Integer> lastValueOfKey = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            int value = Integer.parseInt(record.value());
            Integer previous = lastValueOfKey.put(record.key(), value);
            assertThat(previous == null || previous < value).as("%s after %s for %s", value, previous, record.key()).isTrue();
        }
    }
}
