package io.runnel.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.broker.config.Listener;
import io.runnel.broker.config.SaslListenerConfig;
import io.runnel.broker.handler.SaslHandshakeHandler;
import io.runnel.protocol.ApiVersionRange;
import io.runnel.protocol.KafkaRequest;
import io.runnel.protocol.SupportedApis;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pre-authentication gate of a SASL listener, through a real server and raw sockets. */
class SaslGateTest {

    private static final SupportedApis APIS = SupportedApis.of(Map.of(
            ApiKeys.API_VERSIONS, ApiVersionRange.of(0, 4),
            ApiKeys.METADATA, ApiVersionRange.of(0, 13),
            ApiKeys.SASL_HANDSHAKE, ApiVersionRange.of(0, 1),
            ApiKeys.SASL_AUTHENTICATE, ApiVersionRange.of(0, 2)));
    private static final int MAX_PRE_AUTH_FRAME = 1024;
    /** Sessions that outlast every test but the one about their end. */
    private static final long REAUTH_MS = 60_000;

    private final List<KafkaRequest> served = new CopyOnWriteArrayList<>();
    private KafkaServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        start(REAUTH_MS);
    }

    private void start(long reauthMs) throws Exception {
        AppConfigurationEntry users = new AppConfigurationEntry(PlainLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of("user_alice", "alice-secret", "user_bob", "bob-secret"));
        SaslMechanisms mechanisms = SaslMechanisms.of(new SaslListenerConfig("SECURE", List.of("PLAIN"), Map.of("PLAIN", List.of(users))), ScramCredentialLookup.NONE);
        RequestHandler handler = request -> {
            served.add(request);
            if (request.apiKey() == ApiKeys.SASL_HANDSHAKE) {
                return new SaslHandshakeHandler().handle(request);
            }
            return CompletableFuture.completedFuture(request.apiKey() == ApiKeys.API_VERSIONS ? new ApiVersionsResponseData() : new MetadataResponseData());
        };
        server = new KafkaServer(List.of(new Listener("SECURE", "localhost", 0)), Map.of(), 1 << 20, 1, APIS, handler, RequestListener.NONE,
                new SaslListeners(Map.of("SECURE", mechanisms), MAX_PRE_AUTH_FRAME, 0, reauthMs));
        port = server.start().get("SECURE");
        server.startAccepting();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldServeApiVersionsThenRequestsAsTheUserWhoAuthenticated() throws Exception {
        try (Client client = new Client(port)) {
            client.call(ApiKeys.API_VERSIONS, 3, new ApiVersionsRequestData());
            SaslHandshakeResponseData handshake = client.call(ApiKeys.SASL_HANDSHAKE, 1, new SaslHandshakeRequestData().setMechanism("PLAIN"));
            SaslAuthenticateResponseData login = client.call(ApiKeys.SASL_AUTHENTICATE, 2,
                    new SaslAuthenticateRequestData().setAuthBytes(plain("alice", "alice-secret")));
            client.call(ApiKeys.METADATA, 12, new MetadataRequestData().setTopics(null));

            assertThat(handshake.errorCode()).isZero();
            assertThat(handshake.mechanisms()).containsExactly("PLAIN");
            assertThat(login.errorCode()).isZero();
            assertThat(served).extracting(KafkaRequest::apiKey).containsExactly(ApiKeys.API_VERSIONS, ApiKeys.METADATA);
            assertThat(served).extracting(KafkaRequest::principal)
                    .containsExactly(KafkaPrincipal.ANONYMOUS, new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));
        }
    }

    @Test
    void shouldTakeBareTokensAfterAVersionZeroHandshake() throws Exception {
        try (Client client = new Client(port)) {
            client.call(ApiKeys.SASL_HANDSHAKE, 0, new SaslHandshakeRequestData().setMechanism("PLAIN"));
            client.write(sizePrefixed(plain("alice", "alice-secret")));

            assertThat(client.readFrame().remaining()).isZero();
            client.call(ApiKeys.METADATA, 12, new MetadataRequestData().setTopics(null));
            assertThat(served).extracting(KafkaRequest::principal).containsExactly(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));
        }
    }

    @Test
    void shouldCloseWithoutServingARequestSentBeforeAuthentication() throws Exception {
        try (Client client = new Client(port)) {
            client.send(ApiKeys.METADATA, 12, new MetadataRequestData().setTopics(null));

            assertThat(client.closedByServer()).isTrue();
            assertThat(served).isEmpty();
        }
    }

    @Test
    void shouldCloseOnAFrameOverThePreAuthenticationCapFromItsLengthAlone() throws Exception {
        try (Client client = new Client(port)) {
            client.write(ByteBuffer.allocate(4).putInt(MAX_PRE_AUTH_FRAME + 1).array());

            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void shouldReadAFrameOfExactlyThePreAuthenticationCap() throws Exception {
        try (Client client = new Client(port)) {
            // Header v1 with client id "gate-test" (19 bytes) and the mechanism's 2-byte length: 21 bytes around the name.
            String mechanism = "X".repeat(MAX_PRE_AUTH_FRAME - 21);

            SaslHandshakeResponseData response = client.call(ApiKeys.SASL_HANDSHAKE, 1, new SaslHandshakeRequestData().setMechanism(mechanism));

            assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        }
    }

    @Test
    void shouldTakeFramesOverThePreAuthenticationCapOnceAuthenticated() throws Exception {
        try (Client client = new Client(port)) {
            client.call(ApiKeys.SASL_HANDSHAKE, 1, new SaslHandshakeRequestData().setMechanism("PLAIN"));
            client.call(ApiKeys.SASL_AUTHENTICATE, 2, new SaslAuthenticateRequestData().setAuthBytes(plain("alice", "alice-secret")));
            MetadataRequestData large = new MetadataRequestData().setTopics(List.of(
                    new MetadataRequestData.MetadataRequestTopic().setName("t".repeat(2 * MAX_PRE_AUTH_FRAME))));

            client.call(ApiKeys.METADATA, 12, large);

            assertThat(served).extracting(KafkaRequest::apiKey).containsExactly(ApiKeys.METADATA);
        }
    }

    @Test
    void shouldAnswerAWrongPasswordWithAuthenticationFailedThenClose() throws Exception {
        try (Client client = new Client(port)) {
            client.call(ApiKeys.SASL_HANDSHAKE, 1, new SaslHandshakeRequestData().setMechanism("PLAIN"));
            SaslAuthenticateResponseData login = client.call(ApiKeys.SASL_AUTHENTICATE, 1,
                    new SaslAuthenticateRequestData().setAuthBytes(plain("alice", "guess")));

            assertThat(login.errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
            assertThat(login.errorMessage()).isEqualTo("Authentication failed: Invalid username or password");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void shouldAnswerAnotherRequestDuringAuthenticationWithIllegalSaslStateThenClose() throws Exception {
        try (Client client = new Client(port)) {
            client.call(ApiKeys.SASL_HANDSHAKE, 1, new SaslHandshakeRequestData().setMechanism("PLAIN"));
            ApiVersionsResponseData versions = client.call(ApiKeys.API_VERSIONS, 3, new ApiVersionsRequestData());

            assertThat(versions.errorCode()).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
            assertThat(client.closedByServer()).isTrue();
            assertThat(served).isEmpty();
        }
    }

    @Test
    void shouldReauthenticateOnTheSameConnectionAndKeepServing() throws Exception {
        try (Client client = new Client(port)) {
            SaslAuthenticateResponseData first = login(client, "alice", "alice-secret");
            assertThat(first.sessionLifetimeMs()).isEqualTo(REAUTH_MS);

            SaslAuthenticateResponseData again = login(client, "alice", "alice-secret");
            client.call(ApiKeys.METADATA, 12, new MetadataRequestData().setTopics(null));

            assertThat(again.errorCode()).isZero();
            assertThat(served).extracting(KafkaRequest::principal).containsExactly(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));
        }
    }

    @Test
    void shouldCloseAReauthenticationAsAnotherUser() throws Exception {
        try (Client client = new Client(port)) {
            login(client, "alice", "alice-secret");
            client.call(ApiKeys.SASL_HANDSHAKE, 1, new SaslHandshakeRequestData().setMechanism("PLAIN"));
            client.send(ApiKeys.SASL_AUTHENTICATE, 2, new SaslAuthenticateRequestData().setAuthBytes(plain("bob", "bob-secret")));

            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void shouldAnswerASecondReauthenticationWithinASecondWithIllegalSaslState() throws Exception {
        try (Client client = new Client(port)) {
            login(client, "alice", "alice-secret");
            login(client, "alice", "alice-secret");

            SaslHandshakeResponseData tooSoon = client.call(ApiKeys.SASL_HANDSHAKE, 1, new SaslHandshakeRequestData().setMechanism("PLAIN"));

            assertThat(tooSoon.errorCode()).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
            assertThat(served).extracting(KafkaRequest::apiKey).containsExactly(ApiKeys.SASL_HANDSHAKE);
        }
    }

    @Test
    void shouldCloseAConnectionWhoseSessionEndedWithoutReauthentication() throws Exception {
        server.close();
        start(200);
        try (Client client = new Client(port)) {
            login(client, "alice", "alice-secret");

            await().atMost(Duration.ofSeconds(10)).until(() -> !metadataAnswered(client));
        }
    }

    private static boolean metadataAnswered(Client client) {
        try {
            client.call(ApiKeys.METADATA, 12, new MetadataRequestData().setTopics(null));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static SaslAuthenticateResponseData login(Client client, String user, String password) throws IOException {
        client.call(ApiKeys.SASL_HANDSHAKE, 1, new SaslHandshakeRequestData().setMechanism("PLAIN"));
        return client.call(ApiKeys.SASL_AUTHENTICATE, 2, new SaslAuthenticateRequestData().setAuthBytes(plain(user, password)));
    }

    private static byte[] plain(String user, String password) {
        return ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sizePrefixed(byte[] bytes) {
        return ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
    }

    /** A blocking Kafka client over one socket, just enough to drive the exchange. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private int correlationId;

        Client(int port) throws IOException {
            socket = new Socket("localhost", port);
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
        }

        @SuppressWarnings("unchecked")
        <T extends ApiMessage> T call(ApiKeys apiKey, int version, ApiMessage body) throws IOException {
            send(apiKey, version, body);
            ByteBufferAccessor response = new ByteBufferAccessor(readFrame());
            new ResponseHeaderData(response, apiKey.responseHeaderVersion((short) version));
            ApiMessage message = apiKey.messageType.newResponse();
            message.read(response, (short) version);
            return (T) message;
        }

        void send(ApiKeys apiKey, int version, ApiMessage body) throws IOException {
            RequestHeaderData header = new RequestHeaderData().setRequestApiKey(apiKey.id).setRequestApiVersion((short) version)
                    .setCorrelationId(++correlationId).setClientId("gate-test");
            short headerVersion = apiKey.requestHeaderVersion((short) version);
            ObjectSerializationCache cache = new ObjectSerializationCache();
            int size = header.size(cache, headerVersion) + body.size(cache, (short) version);
            ByteBuffer frame = ByteBuffer.allocate(4 + size).putInt(size);
            ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
            header.write(accessor, cache, headerVersion);
            body.write(accessor, cache, (short) version);
            write(frame.array());
        }

        void write(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        ByteBuffer readFrame() throws IOException {
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            return ByteBuffer.wrap(frame);
        }

        boolean closedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (EOFException | SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
