package io.runnel.it.support;

import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** What a Kafka client needs to reach an SSL listener: its kafka-clients configs, or a JDK SSLContext for raw connections. */
public final class TlsClientConfigs {

    private TlsClientConfigs() {
    }

    /** {@code security.protocol=SSL} trusting {@code ca} through a truststore of {@code truststoreType}; no client certificate. */
    public static Map<String, Object> trusting(TestCertificates ca, String truststoreType) {
        Map<String, Object> configs = new HashMap<>(ca.truststoreConfigs(truststoreType));
        configs.put("security.protocol", "SSL");
        return configs;
    }

    /** As {@link #trusting}, also presenting {@code identity}'s certificate from a keystore of {@code keystoreType} (mutual TLS). */
    public static Map<String, Object> mutual(TestCertificates ca, String truststoreType, TestIdentity identity, String keystoreType) {
        Map<String, Object> configs = trusting(ca, truststoreType);
        configs.putAll(identity.keystoreConfigs(keystoreType));
        return configs;
    }

    /** A JDK TLS context trusting {@code ca} and, unless null, presenting {@code identity}. */
    public static SSLContext sslContext(TestCertificates ca, TestIdentity identity) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(ca.truststore("PKCS12").toString()));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity == null ? null : load(identity.keystore("PKCS12").toString()), TestCertificates.STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(String path) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
