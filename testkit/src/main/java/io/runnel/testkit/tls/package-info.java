/**
 * TLS material for tests: {@link io.runnel.testkit.tls.TestCertificates} makes a throw-away certificate
 * authority with the JDK's {@code keytool} and issues {@link io.runnel.testkit.tls.TestIdentity}
 * key pairs (brokers, clients) as PKCS12, JKS and PEM, with the ssl.* configs that point at them.
 */
package io.runnel.testkit.tls;
