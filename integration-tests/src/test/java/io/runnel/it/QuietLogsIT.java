package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.testkit.EmbeddedBroker;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Expected client mistakes are the client's business: the broker answers them (or closes that
 * connection) and logs at most one line at INFO for each, never a stack trace, never a warning.
 */
class QuietLogsIT {

    private static final String TOPIC = "quiet";

    @TempDir
    Path tempDir;

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger runnelLogger = (Logger) LoggerFactory.getLogger("io.runnel");
    private EmbeddedBroker broker;

    @BeforeEach
    void startBrokerAndCapture() {
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("socket.request.max.bytes", "100000"));
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
        captured.start();
        runnelLogger.addAppender(captured);
    }

    @AfterEach
    void stopBrokerAndCapture() {
        runnelLogger.detachAppender(captured);
        broker.close();
    }

    @Test
    void shouldLogNoStackTraceAndNoWarningForExpectedClientErrors() throws Exception {
        disconnectWhileAFetchIsWaiting();
        resetTheConnectionWithARequestInFlight();
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            connection.writeBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            connection.isClosedByBroker();
        }
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            byte[] garbage = new byte[64];
            Arrays.fill(garbage, (byte) 0xFF);
            connection.writeFrame(connection.header(ApiKeys.PRODUCE.id, RawRequests.PRODUCE_VERSION),
                    ApiKeys.PRODUCE.requestHeaderVersion(RawRequests.PRODUCE_VERSION), garbage);
            connection.isClosedByBroker();
        }
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            connection.writeBytes(ByteBuffer.allocate(8).putInt(200_000).putInt(0).array());
            connection.isClosedByBroker();
        }
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            connection.writeFrame(connection.header((short) 999, (short) 0), (short) 1, new byte[0]);
            connection.isClosedByBroker();
        }
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            MemoryRecords corrupt = RawRequests.batchOf("payload");
            ByteBuffer buffer = corrupt.buffer();
            buffer.put(buffer.limit() - 2, (byte) (buffer.get(buffer.limit() - 2) ^ 0x01));
            RawRequests.produce(connection, TOPIC, 0, corrupt);
            RawRequests.produce(connection, TOPIC, 9, RawRequests.batchOf("no such partition"));
            RawRequests.produce(connection, "__consumer_offsets", 0, RawRequests.batchOf("internal"));
            RawRequests.fetch(connection, TOPIC, 0, 1_000);
            connection.call(ApiKeys.METADATA, (short) 12, new MetadataRequestData()
                    .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("bad/name"))));
        }
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().toCompletionStage().exceptionally(error -> null).toCompletableFuture().get();
            admin.createTopics(List.of(new NewTopic("bad-config", 1, (short) 1).configs(Map.of("retention.ms", "soon"))))
                    .all().toCompletionStage().exceptionally(error -> null).toCompletableFuture().get();
            admin.deleteTopics(List.of("never-existed")).all().toCompletionStage().exceptionally(error -> null).toCompletableFuture().get();
        }
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            assertThat(RawRequests.fetch(connection, TOPIC, 0, 0).errorCode()).as("the broker still serves").isZero();
        }

        assertThat(captured.list).as("stack traces logged").noneMatch(event -> event.getThrowableProxy() != null);
        assertThat(captured.list).as("warnings or errors logged").noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
    }

    /** The client goes away while its long poll is parked; the answer later finds the connection closed. */
    private void disconnectWhileAFetchIsWaiting() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            connection.send(ApiKeys.FETCH, RawRequests.FETCH_VERSION, new FetchRequestData().setReplicaId(-1).setMaxWaitMs(50).setMinBytes(1)
                    .setMaxBytes(1 << 20).setSessionId(0).setSessionEpoch(-1)
                    .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(TOPIC).setPartitions(List.of(
                            new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setLogStartOffset(-1)
                                    .setPartitionMaxBytes(1 << 20))))));
        }
    }

    /** A reset (RST) rather than a clean close, as when a client process dies, with a request just sent. */
    private void resetTheConnectionWithARequestInFlight() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), broker.port())) {
            socket.setSoLinger(true, 0);
            byte[] metadata = RawKafkaConnection.serialize(new MetadataRequestData().setTopics(null), (short) 12);
            try (RawKafkaConnection framer = RawKafkaConnection.open(broker.bootstrapServers())) {
                var header = framer.header(ApiKeys.METADATA.id, (short) 12);
                byte[] headerBytes = RawKafkaConnection.serialize(header, ApiKeys.METADATA.requestHeaderVersion((short) 12));
                ByteBuffer frame = ByteBuffer.allocate(4 + headerBytes.length + metadata.length)
                        .putInt(headerBytes.length + metadata.length).put(headerBytes).put(metadata);
                socket.getOutputStream().write(frame.array());
            }
        }
    }
}
