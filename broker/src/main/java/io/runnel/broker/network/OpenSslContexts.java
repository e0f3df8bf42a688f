package io.runnel.broker.network;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.runnel.broker.config.InvalidConfigException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.auth.SslEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty server contexts on OpenSSL (BoringSSL, from netty-tcnative) for a listener with
 * {@code runnel.ssl.provider=openssl}: the keys and trusted CAs are the stores kafka-clients'
 * {@code SslFactory} loaded for the listener, and protocols, cipher suites and {@code ssl.client.auth}
 * mean what they mean with the JDK engine. BoringSSL encrypts a 16 KiB record about twice as fast as the
 * JDK's AES-GCM (bench's TlsRecordBenchmark). Stateless.
 */
final class OpenSslContexts {

    private static final Logger log = LoggerFactory.getLogger(OpenSslContexts.class);

    private OpenSslContexts() {
    }

    /**
     * Refuses OpenSSL on a platform where netty-tcnative's native library does not load.
     *
     * @param unavailabilityCause {@code OpenSsl.unavailabilityCause()}: null when the library loaded
     * @throws InvalidConfigException in one line naming the listener and the cause
     */
    static void requireAvailable(String listenerName, Throwable unavailabilityCause) {
        if (unavailabilityCause != null) {
            throw new InvalidConfigException("Invalid value openssl for configuration runnel.ssl.provider (listener " + listenerName
                    + "): OpenSSL cannot be loaded on this platform (" + unavailabilityCause + "); use runnel.ssl.provider=jdk");
        }
    }

    /**
     * A server context serving the keystore and truststore of {@code stores}.
     *
     * @param stores     the listener's loaded stores
     * @param sslConfigs the listener's ssl.* values the stores were loaded from
     * @throws InvalidConfigException when OpenSSL is not available or refuses a key, protocol or cipher suite
     */
    static SslContext serverContext(String listenerName, SslEngineFactory stores, Map<String, Object> sslConfigs) {
        requireAvailable(listenerName, OpenSsl.unavailabilityCause());
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(keyManagers(stores.keystore(), sslConfigs))
                    .sslProvider(SslProvider.OPENSSL)
                    .trustManager(trustManagers(stores.truststore(), sslConfigs))
                    .clientAuth(clientAuth((String) sslConfigs.get(BrokerSecurityConfigs.SSL_CLIENT_AUTH_CONFIG)));
            List<String> protocols = strings(sslConfigs.get(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG));
            if (!protocols.isEmpty()) {
                builder.protocols(protocols);
            }
            List<String> cipherSuites = strings(sslConfigs.get(SslConfigs.SSL_CIPHER_SUITES_CONFIG));
            if (!cipherSuites.isEmpty()) {
                builder.ciphers(cipherSuites);
            }
            SslContext context = builder.build();
            log.info("Listener {} serves TLS with {}", listenerName, OpenSsl.versionString());
            return context;
        } catch (GeneralSecurityException | SSLException | IllegalArgumentException e) {
            throw new InvalidConfigException("Invalid SSL configuration for listener " + listenerName + " with runnel.ssl.provider=openssl: " + e);
        }
    }

    private static KeyManagerFactory keyManagers(KeyStore keystore, Map<String, Object> sslConfigs) throws GeneralSecurityException {
        String algorithm = (String) sslConfigs.get(SslConfigs.SSL_KEYMANAGER_ALGORITHM_CONFIG);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(algorithm != null ? algorithm : KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keystore, keyPassword(sslConfigs));
        return factory;
    }

    /**
     * The password kafka-clients put the key under: {@code ssl.key.password}, else for a keystore file
     * {@code ssl.keystore.password}; a PEM key is stored under {@code ssl.key.password} alone (none without it).
     */
    private static char[] keyPassword(Map<String, Object> sslConfigs) {
        Password key = (Password) sslConfigs.get(SslConfigs.SSL_KEY_PASSWORD_CONFIG);
        if (key != null) {
            return key.value().toCharArray();
        }
        Password store = (Password) sslConfigs.get(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG);
        boolean pem = "PEM".equals(sslConfigs.get(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG));
        return pem || store == null ? null : store.value().toCharArray();
    }

    /** As kafka-clients: no truststore means the JDK's default CAs. */
    private static TrustManagerFactory trustManagers(KeyStore truststore, Map<String, Object> sslConfigs) throws GeneralSecurityException {
        String algorithm = (String) sslConfigs.get(SslConfigs.SSL_TRUSTMANAGER_ALGORITHM_CONFIG);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(algorithm != null ? algorithm : TrustManagerFactory.getDefaultAlgorithm());
        factory.init(truststore);
        return factory;
    }

    static ClientAuth clientAuth(String sslClientAuth) {
        return switch (sslClientAuth == null ? "none" : sslClientAuth) {
            case "required" -> ClientAuth.REQUIRE;
            case "requested" -> ClientAuth.OPTIONAL;
            default -> ClientAuth.NONE;
        };
    }

    private static List<String> strings(Object list) {
        return list == null ? List.of() : ((List<?>) list).stream().map(Object::toString).toList();
    }
}
