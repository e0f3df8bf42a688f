package io.runnel.broker.metrics;

import java.net.PasswordAuthentication;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;

/**
 * How the metrics and health endpoint is protected: HTTPS with the key store of {@code metrics.ssl.*}
 * (read by kafka-clients' {@code DefaultSslEngineFactory}, so the stores mean what Kafka's ssl.* keys
 * mean), and HTTP basic auth with one user, whose password is compared in constant time. Immutable.
 *
 * @param tls       the TLS context, or null for plain HTTP
 * @param basicAuth the user every request must name, or null for none
 */
public record EndpointSecurity(SSLContext tls, PasswordAuthentication basicAuth) {

    /** Plain HTTP, open to anyone who reaches the port. */
    public static final EndpointSecurity NONE = new EndpointSecurity(null, null);

    /**
     * The endpoint's security from its settings.
     *
     * @throws IllegalArgumentException in one line when the key store cannot be loaded
     */
    public static EndpointSecurity of(Optional<Map<String, Object>> ssl, Optional<PasswordAuthentication> basicAuth) {
        return new EndpointSecurity(ssl.map(EndpointSecurity::context).orElse(null), basicAuth.orElse(null));
    }

    private static SSLContext context(Map<String, Object> ssl) {
        DefaultSslEngineFactory factory = new DefaultSslEngineFactory();
        try {
            factory.configure(ssl);
            return factory.sslContext();
        } catch (KafkaException e) {
            throw new IllegalArgumentException("cannot serve the metrics endpoint over HTTPS: " + reasons(e), e);
        }
    }

    /** The messages of a failure and its causes, in one line ("Failed to load SSL keystore ...: keystore password was incorrect"). */
    private static String reasons(Throwable failure) {
        StringBuilder line = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (line.indexOf(message) < 0) {
                line.append(": ").append(message);
            }
        }
        return line.toString().replace('\n', ' ');
    }

    /** Whether {@code user} and {@code password} are the endpoint's; true when it asks for none. */
    boolean accepts(String user, String password) {
        if (basicAuth == null) {
            return true;
        }
        boolean sameUser = MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), basicAuth.getUserName().getBytes(StandardCharsets.UTF_8));
        boolean samePassword = MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                new String(basicAuth.getPassword()).getBytes(StandardCharsets.UTF_8));
        return sameUser & samePassword;
    }
}
