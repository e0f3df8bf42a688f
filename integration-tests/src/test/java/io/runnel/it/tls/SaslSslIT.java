package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.Listener;
import io.runnel.broker.handler.SaslHandshakeHandler;
import io.runnel.broker.network.KafkaServer;
import io.runnel.broker.network.ListenerTls;
import io.runnel.broker.network.RequestHandler;
import io.runnel.broker.network.RequestListener;
import io.runnel.broker.network.SaslListeners;
import io.runnel.broker.network.SaslMechanisms;
import io.runnel.broker.network.ScramCredentialLookup;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.TlsClientConfigs;
import io.runnel.protocol.ApiVersionRange;
import io.runnel.protocol.KafkaRequest;
import io.runnel.protocol.SupportedApis;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL_SSL listeners: TLS first, then the SASL gate inside it. Real kafka-clients log in with
 * SCRAM-SHA-256 (credentials set by a PLAIN admin) and produce and fetch through TLS; a wrong password
 * is refused while a good client keeps being served; the principal is the SASL user, not the certificate.
 */
class SaslSslIT {

    private static final String TOPIC = "secure-orders";
    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    @TempDir
    static Path certificates;
    private static TestCertificates ca;
    private static TestIdentity brokerIdentity;
    private static TestIdentity alice;

    @TempDir
    Path dataDir;
    private EmbeddedBroker broker;

    @BeforeAll
    static void issueCertificates() {
        ca = TestCertificates.create(certificates.resolve("ca"), "Runnel Test CA");
        brokerIdentity = ca.issue("broker", "CN=localhost,O=Runnel");
        alice = ca.issue("alice", "CN=alice,O=Runnel");
    }

    @BeforeEach
    void startBroker() throws Exception {
        Map<String, String> configs = brokerStores();
        // As in Kafka (KIP-684), the unprefixed key is for SSL listeners: these clients show no certificate and still get in.
        configs.put("ssl.client.auth", "required");
        configs.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256");
        configs.put("listener.name.sasl_ssl.plain.sasl.jaas.config", PLAIN_MODULE + " required user_admin=\"admin-secret\";");
        configs.put("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config", SCRAM_MODULE + " required;");
        broker = EmbeddedBroker.start(dataDir, "SASL_SSL", configs);
        try (Admin admin = Admin.create(client("PLAIN", "admin", "admin-secret"))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("alice",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), "alice-secret"))).all().get(20, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldProduceAndFetchAsAScramUserOverTls() throws Exception {
        TlsListenerIT.assertRoundTrip(broker, client("SCRAM-SHA-256", "alice", "alice-secret"), TOPIC);
    }

    @Test
    void shouldRefuseAWrongPasswordWhileAGoodClientIsServed() throws Exception {
        try (KafkaProducer<String, String> good = KafkaClients.producer(broker.bootstrapServers(), client("SCRAM-SHA-256", "alice", "alice-secret"));
             Admin wrong = Admin.create(client("SCRAM-SHA-256", "alice", "wrong"))) {
            good.send(new ProducerRecord<>(TOPIC, "before", "1")).get(20, TimeUnit.SECONDS);

            assertThatThrownBy(() -> wrong.describeCluster().clusterId().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256");

            assertThat(good.send(new ProducerRecord<>(TOPIC, "after", "2")).get(20, TimeUnit.SECONDS).offset()).isEqualTo(1);
        }
    }

    /**
     * kafka-clients keeps the principal to itself, so this one is read at the server: a client presenting
     * alice's certificate to a listener that requires one, then logging in as bob, is {@code User:bob}.
     */
    @Test
    void shouldNameTheClientByItsSaslLoginNotItsCertificate() throws Exception {
        Map<String, String> properties = brokerStores();
        properties.put("listeners", "SECURE://localhost:0");
        properties.put("listener.security.protocol.map", "SECURE:SASL_SSL");
        properties.put("listener.name.secure.ssl.client.auth", "required");
        properties.put("sasl.enabled.mechanisms", "PLAIN");
        properties.put("listener.name.secure.plain.sasl.jaas.config", PLAIN_MODULE + " required user_bob=\"bob-secret\";");
        BrokerConfig config = BrokerConfig.parse(properties);
        SaslListeners sasl = new SaslListeners(Map.of("SECURE", SaslMechanisms.of(config.saslListeners().get("SECURE"), ScramCredentialLookup.NONE)),
                config.saslServerMaxReceiveSize(), 0, 0);
        List<KafkaRequest> received = new CopyOnWriteArrayList<>();
        RequestHandler handler = request -> {
            received.add(request);
            return request.apiKey() == ApiKeys.SASL_HANDSHAKE ? new SaslHandshakeHandler().handle(request)
                    : CompletableFuture.completedFuture(new ApiVersionsResponseData());
        };
        SupportedApis apis = SupportedApis.of(Map.of(ApiKeys.API_VERSIONS, ApiVersionRange.of(0, 4),
                ApiKeys.SASL_HANDSHAKE, ApiVersionRange.of(0, 1), ApiKeys.SASL_AUTHENTICATE, ApiVersionRange.of(0, 2)));
        try (ListenerTls tls = ListenerTls.create("SECURE", config.sslConfigs("SECURE").orElseThrow());
             KafkaServer server = new KafkaServer(List.of(new Listener("SECURE", "localhost", 0)), Map.of("SECURE", tls), 1024 * 1024, 1, apis,
                     handler, RequestListener.NONE, sasl)) {
            int port = server.start().get("SECURE");
            server.startAccepting();
            try (RawKafkaConnection connection = RawKafkaConnection.open("localhost:" + port, TlsClientConfigs.sslContext(ca, alice).getSocketFactory())) {
                connection.call(ApiKeys.SASL_HANDSHAKE, (short) 1, new SaslHandshakeRequestData().setMechanism("PLAIN"));
                SaslAuthenticateResponseData login = connection.call(ApiKeys.SASL_AUTHENTICATE, (short) 2,
                        new SaslAuthenticateRequestData().setAuthBytes("\0bob\0bob-secret".getBytes(StandardCharsets.UTF_8)));
                assertThat(login.errorCode()).isEqualTo(Errors.NONE.code());
                connection.call(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData().setClientSoftwareName("raw").setClientSoftwareVersion("1"));
            }
        }
        assertThat(received).last().satisfies(request -> {
            assertThat(request.apiKey()).isEqualTo(ApiKeys.API_VERSIONS);
            assertThat(request.principal()).isEqualTo(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "bob"));
        });
    }

    /** The broker's keystore and the CA's truststore, as ssl.* keys. */
    private static Map<String, String> brokerStores() {
        Map<String, String> stores = new HashMap<>(brokerIdentity.keystoreConfigs("PKCS12"));
        stores.putAll(ca.truststoreConfigs("PKCS12"));
        return stores;
    }

    private Map<String, Object> client(String mechanism, String user, String password) {
        Map<String, Object> config = new HashMap<>(ca.truststoreConfigs("PKCS12"));
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", mechanism);
        config.put("sasl.jaas.config", ("PLAIN".equals(mechanism) ? PLAIN_MODULE : SCRAM_MODULE)
                + " required username=\"" + user + "\" password=\"" + password + "\";");
        return config;
    }
}
