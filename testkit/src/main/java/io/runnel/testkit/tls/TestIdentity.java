package io.runnel.testkit.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Locale;
import java.util.Map;

/**
 * A key pair with a certificate issued by a {@link TestCertificates} CA, for a broker or a client, as
 * a PKCS12 or JKS keystore or PEM text, and the ssl.keystore.* configs that use it. Not thread-safe.
 */
public final class TestIdentity {

    static final String ALIAS = "identity";

    private final Path directory;
    private final String name;
    private final String distinguishedName;
    private final Path pkcs12;

    TestIdentity(Path directory, String name, String distinguishedName, Path pkcs12) {
        this.directory = directory;
        this.name = name;
        this.distinguishedName = distinguishedName;
        this.pkcs12 = pkcs12;
    }

    /** The certificate's subject as issued, e.g. {@code CN=alice,O=Runnel}. */
    public String distinguishedName() {
        return distinguishedName;
    }

    /**
     * The keystore of this identity (key and chain to the CA): {@code PKCS12} (key password
     * {@link TestCertificates#STORE_PASSWORD}) or {@code JKS} (key password {@link TestCertificates#JKS_KEY_PASSWORD}).
     */
    public Path keystore(String type) {
        if ("PKCS12".equals(type)) {
            return pkcs12;
        }
        Path converted = directory.resolve(name + "." + type.toLowerCase(Locale.ROOT));
        if (!Files.exists(converted)) {
            Keytool.run("-importkeystore", "-noprompt", "-srckeystore", pkcs12.toString(), "-srcstoretype", "PKCS12",
                    "-srcstorepass", TestCertificates.STORE_PASSWORD, "-srcalias", ALIAS, "-srckeypass", TestCertificates.STORE_PASSWORD,
                    "-destkeystore", converted.toString(), "-deststoretype", type, "-deststorepass", TestCertificates.STORE_PASSWORD,
                    "-destalias", ALIAS, "-destkeypass", TestCertificates.JKS_KEY_PASSWORD);
        }
        return converted;
    }

    /** The certificate chain (this identity's certificate, then the CA's) as PEM text. */
    public String certificateChainPem() {
        StringBuilder pem = new StringBuilder();
        try {
            for (Certificate certificate : load().getCertificateChain(ALIAS)) {
                pem.append(Pem.of(certificate));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return pem.toString();
    }

    /** The private key, unencrypted PKCS#8 PEM text ({@code -----BEGIN PRIVATE KEY-----}). */
    public String privateKeyPem() {
        try {
            Key key = load().getKey(ALIAS, TestCertificates.STORE_PASSWORD.toCharArray());
            return Pem.of("PRIVATE KEY", key.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The ssl.keystore.* (and ssl.key.password) configs that present this identity: a store file for
     * {@code PKCS12} and {@code JKS}, the chain and key inline for {@code PEM}.
     */
    public Map<String, String> keystoreConfigs(String type) {
        return switch (type) {
            case "PEM" -> Map.of("ssl.keystore.type", "PEM", "ssl.keystore.certificate.chain", certificateChainPem(),
                    "ssl.keystore.key", privateKeyPem());
            case "JKS" -> Map.of("ssl.keystore.type", "JKS", "ssl.keystore.location", keystore("JKS").toString(),
                    "ssl.keystore.password", TestCertificates.STORE_PASSWORD, "ssl.key.password", TestCertificates.JKS_KEY_PASSWORD);
            default -> Map.of("ssl.keystore.type", type, "ssl.keystore.location", keystore(type).toString(),
                    "ssl.keystore.password", TestCertificates.STORE_PASSWORD);
        };
    }

    private KeyStore load() {
        try (InputStream in = Files.newInputStream(pkcs12)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
