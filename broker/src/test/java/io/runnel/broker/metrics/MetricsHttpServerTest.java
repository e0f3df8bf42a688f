package io.runnel.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsHttpServerTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final Readiness readiness = new Readiness();
    private int offlinePartitions;
    private MetricsHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = MetricsHttpServer.start(new InetSocketAddress("localhost", 0), executor, format -> "# format " + format + "\n", readiness,
                EndpointSecurity.NONE);
    }

    @AfterEach
    void stop() {
        server.close();
        executor.shutdownNow();
    }

    @Test
    void shouldServeTheScrapeInPrometheusTextFormat() throws Exception {
        HttpResponse<String> response = send("GET", "/metrics", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsHttpServer.TEXT_FORMAT);
        assertThat(response.body()).isEqualTo("# format " + MetricsHttpServer.TEXT_FORMAT + "\n");
    }

    @Test
    void shouldServeOpenMetricsWhenTheScraperAsksForIt() throws Exception {
        HttpResponse<String> response = send("GET", "/metrics", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5");

        assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsHttpServer.OPENMETRICS_FORMAT);
        assertThat(response.body()).contains(MetricsHttpServer.OPENMETRICS_FORMAT);
    }

    @Test
    void shouldBeLiveAlwaysButReadyOnlyWhileServingWithNoOfflinePartition() throws Exception {
        assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/health/ready", null)).satisfies(r -> assertThat(r.statusCode()).isEqualTo(503))
                .satisfies(r -> assertThat(r.body()).isEqualTo("not ready: starting\n"));

        readiness.serving(() -> offlinePartitions);
        assertThat(send("GET", "/health/ready", null).statusCode()).isEqualTo(200);

        offlinePartitions = 2;
        assertThat(send("GET", "/health/ready", null).body()).isEqualTo("not ready: 2 partition(s) offline\n");

        offlinePartitions = 0;
        readiness.stopping();
        assertThat(send("GET", "/health/ready", null)).satisfies(r -> assertThat(r.statusCode()).isEqualTo(503))
                .satisfies(r -> assertThat(r.body()).isEqualTo("not ready: shutting down\n"));
        assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerUnknownPathsWith404AndOtherMethodsWith405() throws Exception {
        assertThat(send("GET", "/", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/metrics/extra", null).statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/metrics", null);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(send("DELETE", "/health", null).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerHeadWithoutABody() throws Exception {
        HttpResponse<String> response = send("HEAD", "/metrics", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void shouldNameTheAddressWhenThePortIsTaken() {
        InetSocketAddress taken = server.address();

        assertThatThrownBy(() -> MetricsHttpServer.start(new InetSocketAddress("localhost", taken.getPort()), executor, f -> "", readiness, EndpointSecurity.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot serve metrics on localhost:" + taken.getPort() + ": ");
    }

    private HttpResponse<String> send(String method, String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.address().getPort() + path))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("ignored") : HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
