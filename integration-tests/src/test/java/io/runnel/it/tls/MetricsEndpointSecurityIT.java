package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.broker.config.InvalidConfigException;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics and health endpoint over HTTPS ({@code metrics.ssl.*}) and behind basic auth
 * ({@code metrics.basic.auth.*}): a scraper with the CA and the password reads it, one without the
 * password or with a wrong one gets 401, a plain HTTP client gets nothing, and a key store that cannot
 * be read stops the broker's start in one line.
 */
class MetricsEndpointSecurityIT {

    @TempDir
    Path tempDir;

    @Test
    void shouldServeMetricsOverHttpsOnlyToTheUserWithThePassword() throws Exception {
        TestCertificates ca = TestCertificates.create(tempDir.resolve("ca"), "Runnel Test CA");
        TestIdentity endpoint = ca.issue("metrics", "CN=localhost,O=Runnel");
        Map<String, String> config = new HashMap<>();
        endpoint.keystoreConfigs("PKCS12").forEach((key, value) -> config.put("metrics." + key, value));
        config.put("metrics.basic.auth.user", "prometheus");
        config.put("metrics.basic.auth.password", "scrape-secret");

        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), config)) {
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(ca.truststore("PKCS12"))).build();
            URI metrics = URI.create("https://localhost:" + broker.metricsPort() + "/metrics");
            URI ready = URI.create("https://localhost:" + broker.metricsPort() + "/health/ready");

            HttpResponse<String> scraped = https.send(get(metrics, "prometheus", "scrape-secret"), HttpResponse.BodyHandlers.ofString());
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.body()).contains("runnel_connections");
            assertThat(https.send(get(ready, "prometheus", "scrape-secret"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(https.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(https.send(get(metrics, "prometheus", "guess"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(https.send(get(ready, "someone", "scrape-secret"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

            URI plain = URI.create("http://localhost:" + broker.metricsPort() + "/metrics");
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(get(plain, "prometheus", "scrape-secret"), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void shouldRefuseToStartWithAMetricsKeyStoreThatCannotBeRead() throws Exception {
        Path notAStore = Files.writeString(tempDir.resolve("not-a-store.p12"), "not a key store");
        Map<String, String> config = Map.of("metrics.ssl.keystore.type", "PKCS12", "metrics.ssl.keystore.location", notAStore.toString(),
                "metrics.ssl.keystore.password", "whatever");

        assertThatThrownBy(() -> EmbeddedBroker.start(tempDir.resolve("data"), config))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("cannot serve the metrics endpoint over HTTPS: Failed to load SSL keystore " + notAStore)
                .hasMessageNotContaining("\n").hasMessageNotContaining("null");
    }

    private static HttpRequest get(URI uri, String user, String password) {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri).header("Authorization", "Basic " + credentials).build();
    }

    private static SSLContext trusting(Path truststore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            store.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
