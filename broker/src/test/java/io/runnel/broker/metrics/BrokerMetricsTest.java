package io.runnel.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerMetricsTest {

    @Test
    void shouldAnswerHealthWhileClientsHoldConnectionsWithUnfinishedRequests() throws Exception {
        try (BrokerMetrics metrics = BrokerMetrics.start("localhost", 0)) {
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket socket = new Socket("localhost", metrics.port());
                    OutputStream out = socket.getOutputStream();
                    out.write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    stalled.add(socket);
                }
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + metrics.port() + "/health"))
                                .timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(health.statusCode()).isEqualTo(200);
            } finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
            }
        }
    }
}
