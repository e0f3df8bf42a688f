package io.runnel.broker.network;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.InvalidConfigException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.UnrecoverableKeyException;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.security.auth.SslEngineFactory;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.ssl.SslFactory;

/**
 * The TLS side of one SSL or SASL_SSL listener: server engines made by kafka-clients' {@link SslFactory} from the
 * listener's ssl.* values (so keystores, truststores, protocols, cipher suites and
 * {@code ssl.client.auth} mean what they mean in Kafka), wrapped in Netty's {@link SslHandler}, and the
 * principal of each connection once its handshake completes. With {@code runnel.ssl.provider=openssl} the engines
 * are OpenSSL's ({@link OpenSslContexts}), made from the stores the SslFactory loaded. Engines may be made on any
 * thread; the stores can be replaced at run time ({@link #reconfigure}, for dynamic configs), as Kafka's listeners allow.
 */
public final class ListenerTls implements AutoCloseable {

    private final String listenerName;
    private final SslFactory engines;
    private final CertificatePrincipals principals;
    private final boolean openSsl;
    /** OpenSSL's context for the stores {@link #engines} last loaded; null with the JDK's engine. Guarded by this. */
    private SslContext openSslContext;
    /** The stores {@link #openSslContext} was made from. Guarded by this. */
    private SslEngineFactory openSslStores;

    private ListenerTls(String listenerName, SslFactory engines, CertificatePrincipals principals, boolean openSsl) {
        this.listenerName = listenerName;
        this.engines = engines;
        this.principals = principals;
        this.openSsl = openSsl;
    }

    /**
     * Loads the listener's keystore and truststore and checks that TLS can be served with them.
     *
     * @param listenerName the listener, for messages and principals
     * @param sslConfigs   the listener's parsed ssl.* values (see {@code BrokerConfig.sslConfigs})
     * @throws InvalidConfigException in one line naming the listener when a store cannot be read, a
     *         password is wrong, there is no keystore, or {@code ssl.client.auth=required} has no truststore
     */
    public static ListenerTls create(String listenerName, Map<String, Object> sslConfigs) {
        requireTruststoreWhenClientsMustAuthenticate(listenerName, sslConfigs);
        SslFactory engines = new SslFactory(ConnectionMode.SERVER);
        try {
            engines.configure(sslConfigs);
        } catch (KafkaException e) {
            throw new InvalidConfigException("Invalid SSL configuration for listener " + listenerName + ": " + oneLine(e));
        }
        if (engines.sslEngineFactory().keystore() == null) {
            engines.close();
            throw new InvalidConfigException("Missing required configuration " + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG + " for listener "
                    + listenerName + ": a TLS listener needs a keystore (or, with ssl.keystore.type=PEM, ssl.keystore.certificate.chain and ssl.keystore.key)");
        }
        String rules = (String) sslConfigs.get(BrokerSecurityConfigs.SSL_PRINCIPAL_MAPPING_RULES_CONFIG);
        boolean openSsl = "openssl".equals(sslConfigs.get(BrokerConfig.SSL_PROVIDER));
        ListenerTls tls = new ListenerTls(listenerName, engines, new CertificatePrincipals(rules, listenerName), openSsl);
        try {
            tls.followStores(sslConfigs);
        } catch (InvalidConfigException e) {
            engines.close();
            throw e;
        }
        return tls;
    }

    /** With OpenSSL, makes its context again when the SslFactory loaded other stores (at start, or after a reconfigure). */
    private synchronized void followStores(Map<String, Object> sslConfigs) {
        SslEngineFactory stores = engines.sslEngineFactory();
        if (openSsl && stores != openSslStores) {
            openSslContext = OpenSslContexts.serverContext(listenerName, stores, sslConfigs);
            openSslStores = stores;
        }
    }

    /**
     * Kafka would fall back to the JDK's public CAs here, so any certificate those CAs sign would be let
     * in; Runnel refuses that configuration instead.
     */
    private static void requireTruststoreWhenClientsMustAuthenticate(String listenerName, Map<String, Object> sslConfigs) {
        boolean required = "required".equals(sslConfigs.get(BrokerSecurityConfigs.SSL_CLIENT_AUTH_CONFIG));
        boolean truststore = sslConfigs.get(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG) != null
                || sslConfigs.get(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG) != null;
        if (required && !truststore) {
            throw new InvalidConfigException("Missing required configuration " + SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG + " for listener "
                    + listenerName + ": ssl.client.auth=required needs a truststore holding the CA that signs client certificates");
        }
    }

    /**
     * Kafka wraps the reason (a wrong password, a missing file) in causes: the line is the outer message
     * and the first cause that adds to it, or the cause's type when its message is already said.
     */
    private static String oneLine(Throwable error) {
        String line = error.getMessage();
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnrecoverableKeyException) {
                return line + ": the key cannot be read with ssl.key.password (ssl.keystore.password when that is not set)";
            }
            String message = cause.getMessage();
            if (message == null || line.contains(message)) {
                if (!line.contains(cause.getClass().getSimpleName())) {
                    line = line + ": " + cause.getClass().getSimpleName();
                }
            } else {
                return (line + ": " + message).replace('\n', ' ');
            }
        }
        return line.replace('\n', ' ');
    }

    /**
     * A TLS handler in server mode for a new connection from {@code peer}. Netty's 10 s handshake timeout
     * is off: Kafka has none (only {@code connections.max.idle.ms}, {@link IdleConnectionCloser}, for any idle
     * connection), and the active controller keeps an idle connection open to every broker listener to
     * notice a broker process dying (ListenerWatch), which a timeout would cut every 10 s.
     */
    SslHandler newHandler(InetSocketAddress peer, ByteBufAllocator allocator) {
        SslHandler handler = new SslHandler(newEngine(peer, allocator));
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }

    /** Under the lock that {@link #reconfigure} takes, so a new connection sees the stores last loaded. */
    private synchronized SSLEngine newEngine(InetSocketAddress peer, ByteBufAllocator allocator) {
        if (openSslContext != null) {
            return openSslContext.newEngine(allocator, peer.getHostString(), peer.getPort());
        }
        return engines.createSslEngine(peer.getHostString(), peer.getPort());
    }

    /**
     * Checks that the listener could serve with new store settings, as Kafka's {@code SslFactory} checks a
     * dynamic update: the stores load, and the new keystore's certificate keeps the subject name and
     * alternative names of the current one unless {@code ssl.allow.dn.changes} / {@code ssl.allow.san.changes}.
     *
     * @param sslConfigs the listener's ssl.* values with the change applied
     * @throws InvalidConfigException in one line naming the listener and what is wrong
     */
    public void validateReconfiguration(Map<String, Object> sslConfigs) {
        try {
            engines.validateReconfiguration(sslConfigs);
        } catch (KafkaException e) {
            throw new InvalidConfigException("Invalid SSL configuration for listener " + listenerName + ": " + oneLine(e));
        }
    }

    /**
     * Serves new connections with the stores {@code sslConfigs} names, loaded again when they are the same
     * files changed on disk (kafka-clients compares their modification times); connections already open keep
     * their session. Nothing changes when the settings and files are as they were.
     *
     * @throws InvalidConfigException as {@link #validateReconfiguration}; the current stores then stay (with
     *         OpenSSL, when its context cannot be made from the new stores, the context of the old ones stays)
     */
    public synchronized void reconfigure(Map<String, Object> sslConfigs) {
        try {
            engines.reconfigure(sslConfigs);
        } catch (KafkaException e) {
            throw new InvalidConfigException("Invalid SSL configuration for listener " + listenerName + ": " + oneLine(e));
        }
        followStores(sslConfigs);
    }

    /** The TLS implementation new connections are served with: {@code JDK} or, with {@code runnel.ssl.provider=openssl}, {@code OPENSSL}. */
    public synchronized SslProvider provider() {
        return openSslContext != null ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** The connection's principal once its handshake completed; see {@link CertificatePrincipals}. */
    KafkaPrincipal principalOf(SSLSession session, InetAddress client) {
        return principals.principalOf(session, client);
    }

    @Override
    public void close() {
        engines.close();
    }
}
