package io.runnel.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord.RegisterBrokerRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The detector against real loopback sockets: a {@link ServerSocket} plays the broker's listener, and
 * closing it (and what it accepted) plays the kernel closing a killed process's sockets.
 */
class DeadBrokerDetectorTest {

    /** The controller's own node; the brokers watched are others. */
    private static final int CONTROLLER_NODE = 100;
    /** Bounds each accept, so a detector that never connects fails the test instead of hanging it. */
    private static final int ACCEPT_TIMEOUT_MS = 10_000;

    private final List<Death> deaths = new CopyOnWriteArrayList<>();
    private final DeadBrokerDetector detector = new DeadBrokerDetector(CONTROLLER_NODE,
            (brokerId, brokerEpoch, endpoint) -> deaths.add(new Death(brokerId, brokerEpoch)));

    private record Death(int brokerId, long brokerEpoch) { }

    @AfterEach
    void close() {
        detector.close();
    }

    @Test
    void shouldReportABrokerWhoseListenerRefusesOnceItsConnectionClosed() throws IOException {
        ServerSocket listener = listener();
        detector.watch(image(broker(1, 5, listener, false)));
        Socket watched = listener.accept();

        listener.close();
        watched.close();

        await().untilAsserted(() -> assertThat(deaths).containsExactly(new Death(1, 5)));
    }

    @Test
    void shouldConnectAgainWithoutReportingWhenTheListenerOnlyDroppedTheConnection() throws IOException {
        try (ServerSocket listener = listener()) {
            detector.watch(image(broker(1, 5, listener, false)));
            listener.accept().close();

            Socket again = listener.accept();

            assertThat(deaths).isEmpty();
            again.close();
        }
    }

    @Test
    void shouldNeverReportABrokerItNeverReached() throws IOException {
        int port;
        try (ServerSocket placeholder = listener()) {
            port = placeholder.getLocalPort();
        }
        detector.watch(image(broker(1, 5, "127.0.0.1", port, false)));

        // refused again and again (at 0, 100 and 300 ms, then 700 ms...), and never reported
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(deaths::isEmpty);
        // ...yet still tried: a listener that comes up is reached
        try (ServerSocket listener = listener(port)) {
            listener.accept().close();
        }
    }

    @Test
    void shouldDropTheWatchOfAnEarlierEpoch() throws IOException {
        ServerSocket listener = listener();
        detector.watch(image(broker(1, 5, listener, false)));
        Socket first = listener.accept();

        detector.watch(image(broker(1, 6, listener, false)));
        Socket second = listener.accept();

        assertClosedByDetector(first);
        listener.close();
        second.close();
        await().untilAsserted(() -> assertThat(deaths).containsExactly(new Death(1, 6)));
    }

    @Test
    void shouldCloseTheConnectionToABrokerOnceFenced() throws IOException {
        try (ServerSocket listener = listener()) {
            detector.watch(image(broker(1, 5, listener, false)));
            Socket watched = listener.accept();

            detector.watch(image(broker(1, 5, listener, true)));

            assertClosedByDetector(watched);
        }
    }

    @Test
    void shouldStartNoThreadForItsOwnNodeAlone() throws IOException {
        int nodeAlone = CONTROLLER_NODE + 1;
        try (ServerSocket listener = listener();
             DeadBrokerDetector alone = new DeadBrokerDetector(nodeAlone, (brokerId, brokerEpoch, endpoint) -> { })) {
            alone.watch(image(broker(nodeAlone, 5, listener, false)));

            assertThat(detectorThreads(nodeAlone)).isEmpty();
        }
    }

    @Test
    void shouldCloseItsConnectionsAndStopItsThreadsOnClose() throws IOException {
        try (ServerSocket listener = listener()) {
            detector.watch(image(broker(1, 5, listener, false)));
            Socket watched = listener.accept();

            detector.close();

            assertClosedByDetector(watched);
            await().until(() -> detectorThreads(CONTROLLER_NODE).isEmpty());
            assertThat(deaths).isEmpty();
        }
    }

    private static ServerSocket listener() throws IOException {
        return listener(0);
    }

    private static ServerSocket listener(int port) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listener.setSoTimeout(ACCEPT_TIMEOUT_MS);
        return listener;
    }

    /** The detector closed {@code socket}'s peer: a read sees the end of the stream. */
    private static void assertClosedByDetector(Socket socket) throws IOException {
        socket.setSoTimeout(ACCEPT_TIMEOUT_MS);
        try (InputStream in = socket.getInputStream()) {
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private static List<Thread> detectorThreads(int nodeId) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("runnel-dead-broker-detector") && thread.getName().endsWith("-" + nodeId))
                .toList();
    }

    private static BrokerRegistration broker(int id, long epoch, ServerSocket listener, boolean fenced) {
        return broker(id, epoch, listener.getInetAddress().getHostAddress(), listener.getLocalPort(), fenced);
    }

    private static BrokerRegistration broker(int id, long epoch, String host, int port, boolean fenced) {
        return new BrokerRegistration(id, epoch, Uuid.randomUuid(), Uuid.randomUuid(), List.of(new BrokerEndpoint("PLAINTEXT", host, port)),
                null, fenced, false);
    }

    private static MetadataImage image(BrokerRegistration broker) {
        return MetadataImage.EMPTY.apply(new RegisterBrokerRecord(broker));
    }
}
