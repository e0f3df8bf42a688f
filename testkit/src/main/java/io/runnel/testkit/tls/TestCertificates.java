package io.runnel.testkit.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A throw-away certificate authority for tests, made with the JDK's {@code keytool} in a directory of
 * the test's: it issues broker and client identities ({@link #issue}) and gives the truststore that
 * trusts them, as PKCS12, JKS or PEM. Certificates are valid for 30 days, for {@code localhost} and
 * {@code 127.0.0.1}.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.create(tempDir.resolve("ca"), "Test CA");
 * TestIdentity broker = ca.issue("broker", "CN=localhost,O=Runnel");
 * brokerProps.putAll(broker.keystoreConfigs("PKCS12"));
 * clientProps.putAll(ca.truststoreConfigs("PKCS12"));
 * }</pre>
 *
 * <p>Not thread-safe: issue identities from one thread.
 */
public final class TestCertificates {

    /** The password of every store made here, and of the keys in PKCS12 keystores. */
    public static final String STORE_PASSWORD = "store-secret";
    /** The password of the key inside a JKS keystore, distinct from the store's so tests can tell them apart. */
    public static final String JKS_KEY_PASSWORD = "key-secret";
    static final String VALIDITY_DAYS = "30";
    private static final String ALIAS = "ca";

    private final Path directory;
    private final Path keystore;
    private final Path certificate;

    private TestCertificates(Path directory) {
        this.directory = directory;
        this.keystore = directory.resolve("ca.p12");
        this.certificate = directory.resolve("ca.pem");
    }

    /**
     * Makes a new CA (a self-signed key pair allowed to sign certificates) in {@code directory}.
     *
     * @param directory   created if missing; holds the CA and every store it makes
     * @param commonName  the CA's CN; two CAs with the same name still do not trust each other
     */
    public static TestCertificates create(Path directory, String commonName) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestCertificates ca = new TestCertificates(directory);
        Keytool.run("-genkeypair", "-alias", ALIAS, "-dname", "CN=" + commonName, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", VALIDITY_DAYS, "-ext", "bc:c", "-keystore", ca.keystore.toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        Keytool.run("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", ca.keystore.toString(), "-storepass", STORE_PASSWORD,
                "-file", ca.certificate.toString());
        return ca;
    }

    /**
     * Issues a key pair and a certificate signed by this CA, for {@code localhost} and {@code 127.0.0.1}.
     *
     * @param name              file name stem of its stores, unique within this CA
     * @param distinguishedName the certificate's subject, e.g. {@code CN=alice,O=Runnel}
     */
    public TestIdentity issue(String name, String distinguishedName) {
        return issue(name, distinguishedName, "dns:localhost,ip:127.0.0.1");
    }

    /**
     * Issues a key pair and a certificate signed by this CA for the given subject alternative names.
     *
     * @param subjectAlternativeNames keytool's SAN syntax, e.g. {@code dns:broker1.example,ip:10.0.0.1}
     */
    public TestIdentity issue(String name, String distinguishedName, String subjectAlternativeNames) {
        Path keystore = directory.resolve(name + ".p12");
        Path request = directory.resolve(name + ".csr");
        Path signed = directory.resolve(name + ".crt");
        Keytool.run("-genkeypair", "-alias", TestIdentity.ALIAS, "-dname", distinguishedName, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", VALIDITY_DAYS, "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        Keytool.run("-certreq", "-alias", TestIdentity.ALIAS, "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-file", request.toString());
        Keytool.run("-gencert", "-rfc", "-alias", ALIAS, "-keystore", this.keystore.toString(), "-storepass", STORE_PASSWORD,
                "-infile", request.toString(), "-outfile", signed.toString(), "-validity", VALIDITY_DAYS,
                "-ext", "SAN=" + subjectAlternativeNames);
        // The CA first, so keytool can chain the signed certificate to it when it replaces the self-signed one.
        importCertificate(keystore, "PKCS12", ALIAS, certificate);
        importCertificate(keystore, "PKCS12", TestIdentity.ALIAS, signed);
        return new TestIdentity(directory, name, distinguishedName, keystore);
    }

    /** A truststore holding this CA's certificate: {@code PKCS12} or {@code JKS} (password {@link #STORE_PASSWORD}). */
    public Path truststore(String type) {
        Path truststore = directory.resolve("truststore." + type.toLowerCase(Locale.ROOT));
        if (!Files.exists(truststore)) {
            importCertificate(truststore, type, ALIAS, certificate);
        }
        return truststore;
    }

    /** This CA's certificate as PEM text. */
    public String certificatePem() {
        try {
            return Files.readString(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The ssl.truststore.* configs that trust this CA, for a client or a broker: a store file for
     * {@code PKCS12} and {@code JKS}, the certificate inline ({@code ssl.truststore.certificates}) for {@code PEM}.
     */
    public Map<String, String> truststoreConfigs(String type) {
        if ("PEM".equals(type)) {
            return Map.of("ssl.truststore.type", "PEM", "ssl.truststore.certificates", certificatePem());
        }
        return Map.of("ssl.truststore.type", type, "ssl.truststore.location", truststore(type).toString(),
                "ssl.truststore.password", STORE_PASSWORD);
    }

    private static void importCertificate(Path store, String type, String alias, Path certificate) {
        Keytool.run("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-keystore", store.toString(),
                "-storetype", type, "-storepass", STORE_PASSWORD);
    }
}
