package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.Listener;
import io.runnel.broker.network.KafkaServer;
import io.runnel.broker.network.ListenerTls;
import io.runnel.broker.network.RequestHandler;
import io.runnel.broker.network.RequestListener;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.TlsClientConfigs;
import io.runnel.protocol.ApiVersionRange;
import io.runnel.protocol.KafkaRequest;
import io.runnel.protocol.SupportedApis;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every request on an SSL listener carries the principal of the client's certificate, as Kafka names it. */
class TlsPrincipalIT {

    private static final SupportedApis APIS = SupportedApis.of(Map.of(ApiKeys.API_VERSIONS, ApiVersionRange.of(0, 4)));

    @TempDir
    static Path certificates;
    private static TestCertificates ca;
    private static TestIdentity brokerIdentity;
    private static TestIdentity alice;

    private final List<KafkaRequest> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void issueCertificates() {
        ca = TestCertificates.create(certificates.resolve("ca"), "Runnel Test CA");
        brokerIdentity = ca.issue("broker", "CN=localhost,O=Runnel");
        alice = ca.issue("alice", "CN=alice,OU=Streaming,O=Runnel");
    }

    @Test
    void shouldNameTheClientByItsCertificatesDistinguishedNameByDefault() throws Exception {
        assertThat(principalOfRequestFrom(alice, Map.of())).isEqualTo(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "CN=alice,OU=Streaming,O=Runnel"));
    }

    @Test
    void shouldMapTheNameWithTheListenersMappingRules() throws Exception {
        assertThat(principalOfRequestFrom(alice, Map.of("listener.name.ssl.ssl.principal.mapping.rules", "RULE:^CN=([^,]*),.*$/$1/U,DEFAULT")))
                .isEqualTo(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "ALICE"));
    }

    @Test
    void shouldBeAnonymousWithoutAClientCertificate() throws Exception {
        assertThat(principalOfRequestFrom(null, Map.of())).isEqualTo(KafkaPrincipal.ANONYMOUS);
    }

    @Test
    void shouldNameTheClientByItsCertificateOnAnOpenSslListener() throws Exception {
        assertThat(principalOfRequestFrom(alice, Map.of("runnel.ssl.provider", "openssl")))
                .isEqualTo(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "CN=alice,OU=Streaming,O=Runnel"));
    }

    @Test
    void shouldBeAnonymousWithoutAClientCertificateOnAnOpenSslListener() throws Exception {
        assertThat(principalOfRequestFrom(null, Map.of("runnel.ssl.provider", "openssl"))).isEqualTo(KafkaPrincipal.ANONYMOUS);
    }

    /** The principal of an ApiVersions request sent by a client presenting {@code identity} (none when null) to a listener requesting certificates. */
    private KafkaPrincipal principalOfRequestFrom(TestIdentity identity, Map<String, String> overrides) throws Exception {
        Map<String, String> properties = new HashMap<>(brokerIdentity.keystoreConfigs("PKCS12"));
        properties.putAll(ca.truststoreConfigs("PKCS12"));
        properties.put("listeners", "SSL://localhost:0");
        properties.put("ssl.client.auth", "requested");
        properties.putAll(overrides);
        RequestHandler handler = request -> {
            received.add(request);
            return CompletableFuture.completedFuture(new ApiVersionsResponseData());
        };
        try (ListenerTls tls = ListenerTls.create("SSL", BrokerConfig.parse(properties).sslConfigs("SSL").orElseThrow());
             KafkaServer server = new KafkaServer(List.of(new Listener("SSL", "localhost", 0)), Map.of("SSL", tls), 1024 * 1024, 1, APIS, handler,
                     RequestListener.NONE)) {
            int port = server.start().get("SSL");
            server.startAccepting();
            try (RawKafkaConnection connection = RawKafkaConnection.open("localhost:" + port,
                    TlsClientConfigs.sslContext(ca, identity).getSocketFactory())) {
                connection.call(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData().setClientSoftwareName("raw").setClientSoftwareVersion("1"));
            }
        }
        assertThat(received).hasSize(1);
        return received.get(0).principal();
    }
}
