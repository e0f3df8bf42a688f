package io.runnel.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.broker.config.Listener;
import io.runnel.protocol.ApiVersionRange;
import io.runnel.protocol.KafkaRequest;
import io.runnel.protocol.SupportedApis;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.junit.jupiter.api.Test;

class KafkaServerTest {

    private static final SupportedApis APIS = SupportedApis.of(Map.of(ApiKeys.API_VERSIONS, ApiVersionRange.of(0, 4)));

    private final List<KafkaRequest> received = new CopyOnWriteArrayList<>();

    private KafkaServer server(List<Listener> listeners) {
        RequestHandler handler = request -> {
            received.add(request);
            return CompletableFuture.completedFuture(new ApiVersionsResponseData());
        };
        return new KafkaServer(listeners, 1024 * 1024, 1, APIS, handler, RequestListener.NONE);
    }

    @Test
    void shouldServeEveryListenerAndTagRequestsWithTheirListener() throws Exception {
        try (KafkaServer server = server(List.of(new Listener("CLIENTS", "localhost", 0), new Listener("INTERNAL", "127.0.0.1", 0)))) {
            Map<String, Integer> ports = server.start();
            server.startAccepting();

            assertThat(ports).containsOnlyKeys("CLIENTS", "INTERNAL");
            assertThat(ports.keySet()).containsExactly("CLIENTS", "INTERNAL");
            assertThat(correlationIdAnswered("localhost", ports.get("CLIENTS"), 7)).isEqualTo(7);
            assertThat(correlationIdAnswered("127.0.0.1", ports.get("INTERNAL"), 8)).isEqualTo(8);
            assertThat(received).extracting(KafkaRequest::listenerName).containsExactly("CLIENTS", "INTERNAL");

            server.stopAccepting();
            server.stopReading();
            assertThat(server.awaitInFlight(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> new Socket("127.0.0.1", ports.get("INTERNAL")).close()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void shouldQueueConnectionsUntilItStartsAccepting() throws Exception {
        try (KafkaServer server = server(List.of(new Listener("CLIENTS", "localhost", 0)));
             Socket early = new Socket()) {
            int port = server.start().get("CLIENTS");
            early.connect(new InetSocketAddress("localhost", port));
            sendApiVersions(early, 5);
            early.setSoTimeout(300);

            assertThatThrownBy(() -> answeredCorrelationId(early)).isInstanceOf(SocketTimeoutException.class);
            assertThat(received).isEmpty();
            assertThat(server.connectionCount()).isZero();

            server.startAccepting();
            early.setSoTimeout(10_000);
            assertThat(answeredCorrelationId(early)).isEqualTo(5);
        }
    }

    @Test
    void shouldNameTheListenerThatCannotBind() throws Exception {
        try (KafkaServer first = server(List.of(new Listener("A", "localhost", 0)))) {
            int taken = first.start().get("A");
            try (KafkaServer second = server(List.of(new Listener("B", "localhost", 0), new Listener("C", "localhost", taken)))) {
                assertThatThrownBy(second::start).isInstanceOf(IOException.class).hasMessageContaining("cannot listen on localhost:" + taken + " (listener C)");
            }
        }
    }

    private static int correlationIdAnswered(String host, int port, int correlationId) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            sendApiVersions(socket, correlationId);
            return answeredCorrelationId(socket);
        }
    }

    private static void sendApiVersions(Socket socket, int correlationId) throws IOException {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.API_VERSIONS.id).setRequestApiVersion((short) 3)
                .setCorrelationId(correlationId).setClientId("test");
        ApiVersionsRequestData body = new ApiVersionsRequestData().setClientSoftwareName("test").setClientSoftwareVersion("1");
        short headerVersion = ApiKeys.API_VERSIONS.requestHeaderVersion((short) 3);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, (short) 3);
        ByteBuffer frame = ByteBuffer.allocate(4 + size);
        frame.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, (short) 3);
        OutputStream out = socket.getOutputStream();
        out.write(frame.array());
        out.flush();
    }

    private static int answeredCorrelationId(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        return ByteBuffer.wrap(response).getInt();
    }
}
