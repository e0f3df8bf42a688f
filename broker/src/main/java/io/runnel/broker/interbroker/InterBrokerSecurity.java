package io.runnel.broker.interbroker;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.InvalidConfigException;
import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;

/**
 * The client side of the connections this broker opens to others on the inter-broker listener: no TLS
 * on a PLAINTEXT or SASL_PLAINTEXT listener; on an SSL or SASL_SSL one, the listener's own ssl.* configuration used as Kafka's brokers
 * use it as clients (their keystore as the client certificate, their truststore to check the other
 * broker, {@code ssl.endpoint.identification.algorithm} to check its host name, https by default).
 * Kafka's {@link DefaultSslEngineFactory} builds the context and the engine parameters; the blocking
 * connections use them on an {@link SSLSocket}. On a SASL listener it also carries the login that
 * follows ({@link #sasl()}), so that every user of the inter-broker connections gets both. Immutable; any thread.
 */
public final class InterBrokerSecurity {

    /** Connections in the clear, for a PLAINTEXT inter-broker listener. */
    public static final InterBrokerSecurity PLAINTEXT = new InterBrokerSecurity(null, null, BrokerSasl.NONE);

    private final DefaultSslEngineFactory engines;
    private final String endpointIdentification;
    private final BrokerSasl sasl;

    private InterBrokerSecurity(DefaultSslEngineFactory engines, String endpointIdentification, BrokerSasl sasl) {
        this.engines = engines;
        this.endpointIdentification = endpointIdentification;
        this.sasl = sasl;
    }

    /**
     * The TLS (and SASL login) of connections to other brokers on {@code inter.broker.listener.name}.
     *
     * @throws InvalidConfigException in one line when the listener's stores cannot be loaded
     */
    public static InterBrokerSecurity forInterBrokerListener(BrokerConfig config) {
        String listener = config.interBrokerListenerName();
        if (listener == null) {
            return PLAINTEXT;
        }
        BrokerSasl sasl = BrokerSasl.of(config.interBrokerSaslLogin());
        return config.sslConfigs(listener).map(ssl -> create(listener, ssl, sasl)).orElse(new InterBrokerSecurity(null, null, sasl));
    }

    private static InterBrokerSecurity create(String listener, Map<String, Object> sslConfigs, BrokerSasl sasl) {
        DefaultSslEngineFactory engines = new DefaultSslEngineFactory();
        try {
            engines.configure(sslConfigs);
        } catch (KafkaException e) {
            throw new InvalidConfigException("Invalid SSL configuration for inter-broker listener " + listener + ": " + e.getMessage());
        }
        String identification = (String) sslConfigs.get(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG);
        return new InterBrokerSecurity(engines, identification == null || identification.isEmpty() ? null : identification, sasl);
    }

    /** The login that follows ApiVersions on these connections: {@link BrokerSasl#NONE} unless the listener is SASL. */
    BrokerSasl sasl() {
        return sasl;
    }

    /**
     * The connection to use over {@code connected}: itself in the clear, else a TLS socket over it whose
     * handshake has completed (so a certificate the other broker refuses, or one this broker does not
     * trust, fails here, as an {@link IOException}).
     */
    Socket secure(Socket connected, String host, int port) throws IOException {
        if (engines == null) {
            return connected;
        }
        SSLEngine template = engines.createClientSslEngine(host, port, endpointIdentification);
        SSLSocket socket = (SSLSocket) engines.sslContext().getSocketFactory().createSocket(connected, host, port, true);
        socket.setSSLParameters(template.getSSLParameters());
        socket.setUseClientMode(true);
        socket.startHandshake();
        return socket;
    }
}
