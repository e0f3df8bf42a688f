package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed, oversized or refused requests on raw sockets: the broker answers with Kafka's error or closes
 * that connection, as Kafka does, and afterwards still serves real clients with earlier data intact.
 */
class BadInputIT {

    private static final String INTACT_TOPIC = "intact";
    private static final String TARGET_TOPIC = "target";
    private static final int MESSAGE_MAX_BYTES = 10_000;
    private static final int SOCKET_REQUEST_MAX_BYTES = 104_857_600;

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;
    private final List<String> intactValues = new ArrayList<>();

    @BeforeEach
    void startBrokerWithData() throws Exception {
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("message.max.bytes", String.valueOf(MESSAGE_MAX_BYTES)));
        KafkaClients.createTopic(broker.bootstrapServers(), INTACT_TOPIC, 1);
        KafkaClients.createTopic(broker.bootstrapServers(), TARGET_TOPIC, 1);
        produceToIntactTopic("before-1", "before-2", "before-3");
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldCloseTheConnectionOnBytesThatAreNotKafka() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            connection.writeBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(connection.isClosedByBroker()).isTrue();
        }
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    @Test
    void shouldCloseTheConnectionOnAMalformedRequestBody() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            byte[] garbage = new byte[64];
            Arrays.fill(garbage, (byte) 0xFF);
            connection.writeFrame(connection.header(ApiKeys.PRODUCE.id, RawRequests.PRODUCE_VERSION),
                    ApiKeys.PRODUCE.requestHeaderVersion(RawRequests.PRODUCE_VERSION), garbage);

            assertThat(connection.isClosedByBroker()).isTrue();
        }
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    @Test
    void shouldCloseTheConnectionWhenAFrameIsLargerThanSocketRequestMaxBytes() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            connection.writeBytes(ByteBuffer.allocate(8).putInt(SOCKET_REQUEST_MAX_BYTES + 1).putInt(0).array());

            assertThat(connection.isClosedByBroker()).isTrue();
        }
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    @Test
    void shouldStayHealthyWhenAClientClosesInTheMiddleOfAFrame() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            connection.writeBytes(ByteBuffer.allocate(14).putInt(1_000).putShort(ApiKeys.METADATA.id).putShort((short) 12)
                    .putInt(7).putShort((short) -1).array());
        }
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    @Test
    void shouldCloseTheConnectionOnAnUnknownApiKey() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            connection.writeFrame(connection.header((short) 999, (short) 0), (short) 1, new byte[0]);

            assertThat(connection.isClosedByBroker()).isTrue();
        }
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    @Test
    void shouldAnswerAnUnsupportedApiVersionsVersionWithAVersionZeroErrorAndTheApiList() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            short unsupported = 99;
            RequestHeaderData header = connection.header(ApiKeys.API_VERSIONS.id, unsupported);
            connection.writeFrame(header, (short) 2, new ApiVersionsRequestData()
                    .setClientSoftwareName("raw-test").setClientSoftwareVersion("1.0"), (short) 3);

            ApiVersionsResponseData response = (ApiVersionsResponseData) connection.receive(ApiKeys.API_VERSIONS, (short) 0,
                    (short) 0, header.correlationId());

            assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
            // As Kafka answers: only the ApiVersions range, which is what the client needs to retry.
            assertThat(response.apiKeys()).hasSize(1);
            assertThat(response.apiKeys().find(ApiKeys.API_VERSIONS.id).minVersion()).isZero();
            assertThat(response.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion()).isGreaterThanOrEqualTo((short) 3);
        }
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    @Test
    void shouldCloseTheConnectionOnAnUnsupportedProduceVersion() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            short unsupported = 99;
            connection.writeFrame(connection.header(ApiKeys.PRODUCE.id, unsupported), (short) 2,
                    new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1_000), RawRequests.PRODUCE_VERSION);

            assertThat(connection.isClosedByBroker()).isTrue();
        }
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    @Test
    void shouldRefuseABatchWithAWrongCrcAsCorruptMessageAndAppendNothing() throws Exception {
        MemoryRecords corrupt = RawRequests.batchOf("payload");
        ByteBuffer buffer = corrupt.buffer();
        int lastValueByte = buffer.limit() - 2;
        buffer.put(lastValueByte, (byte) (buffer.get(lastValueByte) ^ 0x01));

        assertThat(produceRaw(TARGET_TOPIC, 0, corrupt)).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(endOffsetOfTarget()).isZero();
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    @Test
    void shouldRefuseABatchOverMessageMaxBytesAsMessageTooLargeAndAppendNothing() throws Exception {
        MemoryRecords large = RawRequests.batchOf("x".repeat(2 * MESSAGE_MAX_BYTES));

        assertThat(produceRaw(TARGET_TOPIC, 0, large)).isEqualTo(Errors.MESSAGE_TOO_LARGE);
        assertThat(endOffsetOfTarget()).isZero();
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    /**
     * Kafka answers a produce to a topic that is not in its metadata with UNKNOWN_TOPIC_OR_PARTITION, whether
     * or not the name is valid (KafkaApis.handleProduceRequest checks metadataCache.contains only).
     */
    @Test
    void shouldRefuseARawProduceToAnInvalidTopicNameAsUnknownTopic() throws Exception {
        assertThat(produceRaw("bad/name", 0, RawRequests.batchOf("v"))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    /** A producer learns of the bad name from the Metadata response's INVALID_TOPIC_EXCEPTION. */
    @Test
    void shouldFailAProducerSendToAnInvalidTopicNameWithInvalidTopicException() throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("max.block.ms", 10_000))) {
            Future<RecordMetadata> send = producer.send(new ProducerRecord<>("bad/name", "k", "v"));

            assertThat(send).failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(InvalidTopicException.class);
        }
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    @Test
    void shouldRefuseAProduceToAPartitionThatDoesNotExist() throws Exception {
        assertThat(produceRaw(TARGET_TOPIC, 7, RawRequests.batchOf("v"))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    @Test
    void shouldRefuseAFetchBeyondTheEndOfThePartitionAsOffsetOutOfRange() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            var partition = RawRequests.fetch(connection, INTACT_TOPIC, 0, intactValues.size() + 100L);

            assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        }
        assertBrokerStillServesRealClientsWithEarlierDataIntact();
    }

    private Errors produceRaw(String topic, int partition, MemoryRecords records) {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            return Errors.forCode(RawRequests.produce(connection, topic, partition, records).errorCode());
        }
    }

    private long endOffsetOfTarget() {
        return TopicReader.endOffsets(broker.bootstrapServers(), TARGET_TOPIC).get(new TopicPartition(TARGET_TOPIC, 0));
    }

    /** A real producer and consumer, on new connections, still work, and every earlier record is there. */
    private void assertBrokerStillServesRealClientsWithEarlierDataIntact() throws Exception {
        produceToIntactTopic("after");

        List<ConsumerRecord<String, String>> records = TopicReader.readAll(broker.bootstrapServers(), INTACT_TOPIC);

        assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(intactValues);
    }

    private void produceToIntactTopic(String... values) throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(INTACT_TOPIC, 0, "k", value)).get();
                intactValues.add(value);
            }
        }
    }
}
