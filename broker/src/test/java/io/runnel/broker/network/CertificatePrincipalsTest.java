package io.runnel.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.security.Principal;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

class CertificatePrincipalsTest {

    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    /** A completed TLS session whose peer presented a certificate with this subject, or none when null. */
    private static SSLSession sessionOf(String subject) {
        return (SSLSession) Proxy.newProxyInstance(SSLSession.class.getClassLoader(), new Class<?>[] {SSLSession.class}, (proxy, method, args) -> {
            if (!method.getName().equals("getPeerPrincipal")) {
                throw new UnsupportedOperationException(method.getName());
            }
            if (subject == null) {
                throw new SSLPeerUnverifiedException("peer not authenticated");
            }
            Principal principal = new X500Principal(subject);
            return principal;
        });
    }

    @Test
    void shouldNameTheUserByTheFullDistinguishedNameByDefault() {
        CertificatePrincipals principals = new CertificatePrincipals("DEFAULT", "SSL");

        assertThat(principals.principalOf(sessionOf("CN=alice, OU=Streaming, O=Runnel"), CLIENT))
                .isEqualTo(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "CN=alice,OU=Streaming,O=Runnel"));
    }

    @Test
    void shouldMapTheNameWithTheFirstMatchingRule() {
        CertificatePrincipals principals = new CertificatePrincipals("RULE:^CN=([^,]*),OU=Admins,.*$/$1-admin/U, RULE:^CN=([^,]*),.*$/$1/L, DEFAULT", "SSL");

        assertThat(principals.principalOf(sessionOf("CN=Bob,OU=Admins,O=Runnel"), CLIENT).getName()).isEqualTo("BOB-ADMIN");
        assertThat(principals.principalOf(sessionOf("CN=Alice,OU=Streaming,O=Runnel"), CLIENT).getName()).isEqualTo("alice");
        assertThat(principals.principalOf(sessionOf("O=Runnel"), CLIENT).getName()).isEqualTo("O=Runnel");
    }

    @Test
    void shouldBeAnonymousWithoutAClientCertificate() {
        assertThat(new CertificatePrincipals("DEFAULT", "SSL").principalOf(sessionOf(null), CLIENT)).isEqualTo(KafkaPrincipal.ANONYMOUS);
    }
}
