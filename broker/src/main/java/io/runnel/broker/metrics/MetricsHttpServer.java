package io.runnel.broker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint: {@code GET /metrics} (Prometheus text format, or OpenMetrics when the scraper
 * asks for it), {@code GET /health} (liveness: 200 while the process serves HTTP at all) and
 * {@code GET /health/ready} (readiness: 200 or 503 with the reason). Any other path is 404, any
 * other method 405. Built on the JDK's own HTTP server, whose exchanges run on the given executor,
 * never on the broker's network threads. Over HTTPS and behind basic auth when {@link EndpointSecurity}
 * says so (every path then asks for the user, the health checks too). Started and stopped by one thread.
 */
final class MetricsHttpServer implements AutoCloseable {

    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_FORMAT = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String PLAIN = "text/plain; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(MetricsHttpServer.class);

    private final HttpServer server;
    private final Function<String, String> scrape;
    private final Readiness readiness;

    private MetricsHttpServer(HttpServer server, Function<String, String> scrape, Readiness readiness) {
        this.server = server;
        this.scrape = scrape;
        this.readiness = readiness;
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @param scrape the exposition in the given content type (one of {@link #TEXT_FORMAT}, {@link #OPENMETRICS_FORMAT})
     * @throws IOException naming the address when it cannot be bound (e.g. the port is taken)
     */
    static MetricsHttpServer start(InetSocketAddress address, Executor executor, Function<String, String> scrape, Readiness readiness,
                                   EndpointSecurity security) throws IOException {
        HttpServer server;
        try {
            server = security.tls() == null ? HttpServer.create(address, 0) : httpsServer(address, security.tls());
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + address.getHostString() + ":" + address.getPort() + ": " + e.getMessage(), e);
        }
        MetricsHttpServer metrics = new MetricsHttpServer(server, scrape, readiness);
        HttpContext context = server.createContext("/", metrics::handle);
        if (security.basicAuth() != null) {
            context.setAuthenticator(new BasicAuthenticator("runnel") {
                @Override
                public boolean checkCredentials(String user, String password) {
                    return security.accepts(user, password);
                }
            });
        }
        server.setExecutor(executor);
        server.start();
        return metrics;
    }

    private static HttpsServer httpsServer(InetSocketAddress address, SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(address, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return server;
    }

    /** The bound address (with the port picked for port 0). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) {
        try {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            try {
                route(exchange);
            } catch (RuntimeException e) {
                log.warn("Metrics request {} failed", exchange.getRequestURI(), e);
                send(exchange, 500, PLAIN, "internal error\n");
            }
        } catch (IOException e) {
            log.debug("Metrics request from {} failed: {}", exchange.getRemoteAddress(), e.toString());
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.equals("/metrics") && !path.equals("/health") && !path.equals("/health/ready")) {
            send(exchange, 404, PLAIN, "not found; try /metrics, /health or /health/ready\n");
        } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, 405, PLAIN, "method not allowed\n");
        } else if (path.equals("/metrics")) {
            String format = wantsOpenMetrics(exchange) ? OPENMETRICS_FORMAT : TEXT_FORMAT;
            send(exchange, 200, format, scrape.apply(format));
        } else if (path.equals("/health")) {
            send(exchange, 200, PLAIN, "ok\n");
        } else {
            String notReady = readiness.notReadyReason();
            send(exchange, notReady == null ? 200 : 503, PLAIN, notReady == null ? "ready\n" : "not ready: " + notReady + "\n");
        }
    }

    private static boolean wantsOpenMetrics(HttpExchange exchange) {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains("application/openmetrics-text");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops serving; exchanges in progress are cut off. */
    @Override
    public void close() {
        server.stop(0);
    }
}
