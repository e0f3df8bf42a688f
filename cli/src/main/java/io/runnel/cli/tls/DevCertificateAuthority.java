package io.runnel.cli.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for development: an EC P-256 key and a self-signed certificate that signs
 * the certificates of brokers (with their host names and addresses as subject alternative names, so
 * clients' host name verification passes) and of clients (their common name becomes their principal,
 * {@code User:CN=<name>}, under Kafka's default {@code ssl.principal.mapping.rules}). Immutable.
 */
final class DevCertificateAuthority {

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey key;
    private final X509Certificate certificate;

    DevCertificateAuthority(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A new authority named {@code CN=<name>}, valid from now for {@code validity}. */
    static DevCertificateAuthority create(String name, Duration validity, Clock clock) {
        KeyPair pair = newKeyPair();
        X500Name subject = commonName(name);
        Instant now = clock.instant();
        try {
            X509v3CertificateBuilder builder = builder(subject, subject, pair.getPublic(), now, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new DevCertificateAuthority(pair.getPrivate(), sign(builder, pair.getPrivate()));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    /**
     * A key and a certificate for {@code CN=<commonName>} signed by this authority, good for both ends
     * of a TLS connection; {@code hosts} (names or IP addresses) become its subject alternative names.
     *
     * @return the key and the chain: the new certificate, then this authority's
     */
    SignedIdentity issue(String commonName, List<String> hosts, Duration validity, Clock clock) {
        KeyPair pair = newKeyPair();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(new JcaX509CertificateHolder(certificate).getSubject(), commonName(commonName),
                    pair.getPublic(), clock.instant(), validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
            if (!hosts.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(hosts));
            }
            return new SignedIdentity(pair.getPrivate(), new X509Certificate[] {sign(builder, key), certificate});
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    PrivateKey key() {
        return key;
    }

    X509Certificate certificate() {
        return certificate;
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey publicKey, Instant now, Duration validity)
            throws CertIOException {
        // An hour of slack before now, for clocks of other machines that are a little behind.
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, RANDOM).abs(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, publicKey);
        try {
            return builder.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(publicKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute a key identifier", e);
        }
    }

    private static GeneralNames alternativeNames(List<String> hosts) {
        GeneralName[] names = hosts.stream()
                .map(host -> isAddress(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host))
                .toArray(GeneralName[]::new);
        return new GeneralNames(names);
    }

    /** An IPv4 or IPv6 literal (never looked up: a name stays a name). */
    private static boolean isAddress(String host) {
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static X500Name commonName(String name) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot sign a certificate", e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }
}
