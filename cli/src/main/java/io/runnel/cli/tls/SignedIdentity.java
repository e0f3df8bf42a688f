package io.runnel.cli.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A private key and its certificate chain, leaf first.
 *
 * @param key   the private key
 * @param chain the certificate of {@code key}, then the certificates that signed it
 */
record SignedIdentity(PrivateKey key, X509Certificate[] chain) {
}
