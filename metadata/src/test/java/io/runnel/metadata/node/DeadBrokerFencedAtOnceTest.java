package io.runnel.metadata.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.controller.ControllerConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active controller fences a broker whose process died without waiting for its session to expire:
 * node 1's controller, broker 2 with a {@link ServerSocket} as its listener and a session far longer
 * than the test.
 */
class DeadBrokerFencedAtOnceTest {

    private static final long SESSION_TIMEOUT_MS = 600_000;

    @TempDir
    Path dir;

    private LocalMetadataNode node;

    @BeforeEach
    void open() throws Exception {
        node = LocalMetadataNode.open(dir, 1, "dead-broker-cluster", SESSION_TIMEOUT_MS, ControllerConfig.defaults());
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void shouldFenceABrokerAsSoonAsItsListenerRefusesConnections() throws Exception {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener.setSoTimeout(10_000);
        BrokerLifecycle lifecycle = new BrokerLifecycle(new BrokerLifecycle.Registration(2, Uuid.randomUuid(), Uuid.randomUuid(),
                "dead-broker-cluster", List.of(new BrokerEndpoint("PLAINTEXT", listener.getInetAddress().getHostAddress(), listener.getLocalPort())),
                null), node.publisher(), node.controller(), 200);
        lifecycle.start(10_000).get(10, TimeUnit.SECONDS);
        long epoch = lifecycle.brokerEpoch();
        Socket watched = listener.accept();

        // the process "dies": no more heartbeats, and its sockets close
        lifecycle.close();
        listener.close();
        watched.close();

        await().untilAsserted(() -> {
            BrokerRegistration broker = node.publisher().image().broker(2).orElseThrow();
            assertThat(broker.fenced()).isTrue();
            assertThat(broker.epoch()).isEqualTo(epoch);
        });
    }
}
