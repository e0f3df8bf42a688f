package io.runnel.cli.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The files of a development CA and its identities, in the forms clients read: PKCS12 key stores and
 * trust stores (Java clients, Kafka's {@code ssl.keystore.type} default), PEM certificates and PKCS8 PEM
 * keys (librdkafka, KafkaJS, Kafka's {@code PEM} store type). Key files are readable by their owner only.
 */
final class DevCertificateFiles {

    /** The alias of the CA's entry in its own key store and in trust stores. */
    static final String CA_ALIAS = "ca";

    private DevCertificateFiles() {
    }

    /** Writes {@code identity} as a PKCS12 key store with one entry, protected by {@code password}. */
    static void writeKeyStore(Path file, String alias, SignedIdentity identity, char[] password) throws IOException {
        KeyStore store = emptyStore();
        try {
            store.setKeyEntry(alias, identity.key(), password, identity.chain());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot store the key of " + alias, e);
        }
        write(store, file, password);
    }

    /** Writes a PKCS12 trust store holding the CA's certificate. */
    static void writeTrustStore(Path file, X509Certificate ca, char[] password) throws IOException {
        KeyStore store = emptyStore();
        try {
            store.setCertificateEntry(CA_ALIAS, ca);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot store the CA certificate", e);
        }
        write(store, file, password);
    }

    /** Writes certificates as PEM, in order. */
    static void writeCertificates(Path file, Certificate... certificates) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            for (Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        }
        Files.writeString(file, pem.toString());
    }

    /** Writes an unencrypted PKCS8 PEM key ("BEGIN PRIVATE KEY"), readable by its owner only. */
    static void writeKey(Path file, PrivateKey key) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        writeOwnerOnly(file, pem.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The CA stored by {@link #writeKeyStore} under its alias, read with {@code password}. */
    static DevCertificateAuthority readAuthority(Path file, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return new DevCertificateAuthority((PrivateKey) store.getKey(CA_ALIAS, password), (X509Certificate) store.getCertificate(CA_ALIAS));
        } catch (GeneralSecurityException | IOException e) {
            // A wrong password is an IOException of KeyStore.load: one line names the file and the cause.
            throw new IOException("cannot read the CA in " + file + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("this JVM has no PKCS12 key stores", e);
        }
    }

    private static void write(KeyStore store, Path file, char[] password) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        restrictToOwner(file);
    }

    private static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        restrictToOwner(file);
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory's own access rules apply.
        }
    }
}
