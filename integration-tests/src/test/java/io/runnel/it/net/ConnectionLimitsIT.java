package io.runnel.it.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedBroker;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's connection limits against a real broker, seen from clients: {@code max.connections.per.ip}
 * (and its overrides) closes the connections beyond it while other addresses are served,
 * {@code max.connections} holds new connections until one closes, {@code max.connection.creation.rate}
 * delays them, and the limits change without a restart through IncrementalAlterConfigs. The broker
 * listens on 127.0.0.1; raw connections bound to 127.0.0.2 or 127.0.0.3 come from another address.
 */
class ConnectionLimitsIT {

    private static final Duration HELD = Duration.ofSeconds(2);

    @TempDir
    Path dataDir;

    @Test
    void shouldRefuseAClientBeyondMaxConnectionsPerIpWhileAnotherAddressIsServed() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of("max.connections.per.ip", "2",
                "max.connections.per.ip.overrides", "127.0.0.3:0"))) {
            List<RawKafkaConnection> held = served(broker, "127.0.0.1", 2);

            try (Admin admin = shortTimeoutAdmin(broker)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get()).hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
                try (RawKafkaConnection other = RawKafkaConnection.openFrom(broker.bootstrapServers(), "127.0.0.2")) {
                    assertThat(apiVersions(other).errorCode()).isZero();
                }
                try (RawKafkaConnection overridden = RawKafkaConnection.openFrom(broker.bootstrapServers(), "127.0.0.3")) {
                    assertThat(overridden.isClosedByBroker()).isTrue();
                }

                held.forEach(RawKafkaConnection::close);
                // The Java client reconnects after its back-off and is served once the address is under its limit.
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !admin.describeCluster().nodes().get().isEmpty());
            }
        }
    }

    @Test
    void shouldHoldNewConnectionsAtMaxConnectionsUntilOneClosesOnceSetDynamically() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of())) {
            alterClusterDefault(broker, "max.connections", "2");
            List<RawKafkaConnection> held = served(broker, "127.0.0.1", 2);

            try (RawKafkaConnection waiting = RawKafkaConnection.openFrom(broker.bootstrapServers(), "127.0.0.2").readTimeout(HELD)) {
                int correlationId = waiting.send(ApiKeys.API_VERSIONS, (short) 3, apiVersionsRequest());
                // Accepted by the kernel but not by the broker: the request waits unanswered, as in Kafka's backlog.
                assertThatThrownBy(waiting::readFrame).isInstanceOf(UncheckedIOException.class);

                held.get(0).close();

                waiting.readTimeout(Duration.ofSeconds(15));
                ApiVersionsResponseData answer = (ApiVersionsResponseData) waiting.receive(ApiKeys.API_VERSIONS, (short) 3, (short) 0, correlationId);
                assertThat(answer.errorCode()).isZero();
            }
            held.get(1).close();
        }
    }

    @Test
    void shouldDelayConnectionsBeyondTheListenersCreationRate() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of("listener.name.plaintext.max.connection.creation.rate", "1"))) {
            // A Kafka rate is measured over at least ten one-second windows: ten connections fit, each after waits about a second.
            List<RawKafkaConnection> first = served(broker, "127.0.0.1", 10);
            long start = System.nanoTime();
            List<RawKafkaConnection> delayed = served(broker, "127.0.0.1", 3);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(elapsedMs).isGreaterThanOrEqualTo(2_000);
            first.forEach(RawKafkaConnection::close);
            delayed.forEach(RawKafkaConnection::close);
        }
    }

    private static List<RawKafkaConnection> served(EmbeddedBroker broker, String from, int count) {
        List<RawKafkaConnection> connections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RawKafkaConnection connection = RawKafkaConnection.openFrom(broker.bootstrapServers(), from);
            connections.add(connection);
            assertThat(apiVersions(connection).errorCode()).isZero();
        }
        return connections;
    }

    private static ApiVersionsResponseData apiVersions(RawKafkaConnection connection) {
        return connection.call(ApiKeys.API_VERSIONS, (short) 3, apiVersionsRequest());
    }

    private static ApiVersionsRequestData apiVersionsRequest() {
        return new ApiVersionsRequestData().setClientSoftwareName("runnel-it").setClientSoftwareVersion("1");
    }

    private static Admin shortTimeoutAdmin(EmbeddedBroker broker) {
        return Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers(), "default.api.timeout.ms", 3000, "request.timeout.ms", 2000,
                "reconnect.backoff.max.ms", 200));
    }

    private static void alterClusterDefault(EmbeddedBroker broker, String key, String value) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, ""),
                    List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)))).all().get();
            ConfigResource self = new ConfigResource(ConfigResource.Type.BROKER, "1");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    value.equals(admin.describeConfigs(List.of(self)).all().get().get(self).get(key).value()));
        }
    }
}
