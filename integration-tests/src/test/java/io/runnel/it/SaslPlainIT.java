package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL/PLAIN on a SASL_PLAINTEXT listener, through kafka-clients and raw sockets: users from the
 * listener's JAAS line get in; a wrong password, an unknown user, a request before authentication and
 * a pre-authentication frame over 512 KiB are refused, each while a good client keeps working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SaslPlainIT {

    private static final String TOPIC = "secured";
    private static final int FAILED_LOGIN_DELAY_MS = 300;
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "user_alice=\"alice-secret\" user_bob=\"bob-secret\";";

    @TempDir
    static Path dataDir;
    private EmbeddedBroker broker;

    @BeforeAll
    void startBroker() {
        // EmbeddedBroker names its one listener PLAINTEXT; the map makes it a SASL_PLAINTEXT listener, as Kafka allows.
        broker = EmbeddedBroker.start(dataDir, Map.of(
                "listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.plaintext.plain.sasl.jaas.config", JAAS,
                "connection.failed.authentication.delay.ms", Integer.toString(FAILED_LOGIN_DELAY_MS)));
        try (Admin admin = Admin.create(client("alice", "alice-secret"))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(TOPIC, 1, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldProduceAndConsumeAsAnAuthenticatedUser() throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), client("bob", "bob-secret"))) {
            producer.send(new ProducerRecord<>(TOPIC, "k", "from-bob")).get();
        }

        assertThat(consumeAll("alice", "alice-secret")).contains("from-bob");
    }

    @Test
    void shouldRefuseAWrongPasswordWithKafkasMessageAndKeepServingOthers() throws Exception {
        assertLoginRefused("alice", "not-her-password");

        assertGoodClientServed();
    }

    @Test
    void shouldRefuseAnUnknownUserWithTheSameMessageAsAWrongPassword() throws Exception {
        assertLoginRefused("mallory", "alice-secret");

        assertGoodClientServed();
    }

    @Test
    void shouldAnswerAFailedLoginOnlyAfterTheFailedAuthenticationDelayThenClose() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            handshake(connection, (short) 1);
            long start = System.nanoTime();
            SaslAuthenticateResponseData response = connection.call(ApiKeys.SASL_AUTHENTICATE, (short) 2,
                    new SaslAuthenticateRequestData().setAuthBytes(plainToken("alice", "wrong")));
            long waitedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

            assertThat(response.errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
            assertThat(response.errorMessage()).isEqualTo("Authentication failed: Invalid username or password");
            assertThat(waitedMs).isGreaterThanOrEqualTo(FAILED_LOGIN_DELAY_MS - 50);
            assertThat(connection.isClosedByBroker()).isTrue();
        }
    }

    @Test
    void shouldAuthenticateOverRawFramesWithAVersionZeroHandshake() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            SaslHandshakeResponseData handshake = handshake(connection, (short) 0);
            assertThat(handshake.mechanisms()).containsExactly("PLAIN");
            byte[] token = plainToken("alice", "alice-secret");
            connection.writeBytes(ByteBuffer.allocate(4 + token.length).putInt(token.length).put(token).array());

            assertThat(connection.readFrame().remaining()).isZero();
            ApiVersionsResponseData versions = connection.call(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData()
                    .setClientSoftwareName("sasl-it").setClientSoftwareVersion("1"));
            assertThat(versions.errorCode()).isZero();
        }
    }

    @Test
    void shouldCloseAConnectionThatSendsAnotherRequestBeforeAuthenticating() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            connection.send(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(null));

            assertThat(connection.isClosedByBroker()).isTrue();
        }

        assertGoodClientServed();
    }

    @Test
    void shouldCloseAConnectionWhoseFrameBeforeAuthenticationIsOverTheCap() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            // Only the length is sent: the broker must refuse it from the length alone, never waiting for (or buffering) the body.
            connection.writeBytes(ByteBuffer.allocate(4).putInt(512 * 1024 + 1).array());

            assertThat(connection.isClosedByBroker()).isTrue();
        }

        assertGoodClientServed();
    }

    @Test
    void shouldAnswerAnUnsupportedMechanismWithTheEnabledOnesThenClose() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            SaslHandshakeResponseData response = connection.call(ApiKeys.SASL_HANDSHAKE, (short) 1,
                    new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-256"));

            assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            assertThat(response.mechanisms()).containsExactly("PLAIN");
            assertThat(connection.isClosedByBroker()).isTrue();
        }
    }

    @Test
    void shouldAnswerSaslRequestsAfterAuthenticationWithIllegalSaslState() {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            handshake(connection, (short) 1);
            SaslAuthenticateResponseData login = connection.call(ApiKeys.SASL_AUTHENTICATE, (short) 2,
                    new SaslAuthenticateRequestData().setAuthBytes(plainToken("bob", "bob-secret")));
            assertThat(login.errorCode()).isZero();

            SaslAuthenticateResponseData again = connection.call(ApiKeys.SASL_AUTHENTICATE, (short) 2,
                    new SaslAuthenticateRequestData().setAuthBytes(plainToken("bob", "bob-secret")));
            assertThat(again.errorCode()).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
            assertThat(again.errorMessage()).isEqualTo("SaslAuthenticate request received after successful authentication");
        }
    }

    private void assertLoginRefused(String user, String password) {
        try (Admin admin = Admin.create(client(user, password))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Authentication failed: Invalid username or password");
        }
    }

    private void assertGoodClientServed() throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), client("alice", "alice-secret"))) {
            producer.send(new ProducerRecord<>(TOPIC, "k", "still-served")).get();
        }
    }

    private List<String> consumeAll(String user, String password) {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), client(user, password))) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> values = new java.util.ArrayList<>();
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }

    private static SaslHandshakeResponseData handshake(RawKafkaConnection connection, short version) {
        SaslHandshakeResponseData response = connection.call(ApiKeys.SASL_HANDSHAKE, version, new SaslHandshakeRequestData().setMechanism("PLAIN"));
        assertThat(response.errorCode()).isZero();
        return response;
    }

    /** PLAIN's token (RFC 4616): authorization id, user and password, each after a NUL. */
    private static byte[] plainToken(String user, String password) {
        return ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, Object> client(String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", "PLAIN");
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";");
        return config;
    }
}
