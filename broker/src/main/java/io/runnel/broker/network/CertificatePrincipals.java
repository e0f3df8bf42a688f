package io.runnel.broker.network;

import java.net.InetAddress;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SslAuthenticationContext;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;

/**
 * Who is on the other end of a TLS connection, as Kafka's default principal builder says: a client
 * certificate gives {@code User:<its distinguished name mapped by ssl.principal.mapping.rules>} (with
 * the default rule, the full RFC 2253 name, e.g. {@code User:CN=alice,O=Example}); no certificate gives
 * {@code User:ANONYMOUS}. Immutable; any thread.
 */
final class CertificatePrincipals {

    private final DefaultKafkaPrincipalBuilder builder;
    private final String listenerName;

    /**
     * @param mappingRules {@code ssl.principal.mapping.rules}, already checked
     * @param listenerName the listener the connections arrive on
     */
    CertificatePrincipals(String mappingRules, String listenerName) {
        this.builder = new DefaultKafkaPrincipalBuilder(null, SslPrincipalMapper.fromRules(mappingRules));
        this.listenerName = listenerName;
    }

    /** The principal of a connection whose handshake has completed with {@code session}. */
    KafkaPrincipal principalOf(SSLSession session, InetAddress client) {
        return builder.build(new SslAuthenticationContext(session, client, listenerName));
    }
}
