package io.runnel.protocol;

import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * One decoded request: its header and its body, parsed at the version the client sent.
 *
 * <p>The body may reference the bytes of the frame it was decoded from (produce records do), so the
 * frame must stay alive until the request has been handled. Immutable once built; safe to hand to
 * another thread.
 *
 * @param header the request header (api key, version, correlation id, client id)
 * @param apiKey the API this request is for
 * @param body the request body
 * @param clientHost the client's address as Kafka prints it ("/127.0.0.1"), or empty when unknown
 * @param listenerName the name of the listener the request arrived on (e.g. PLAINTEXT), or empty when unknown
 * @param principal who sent it: the authenticated principal of the connection, {@code User:ANONYMOUS}
 *     on a listener that authenticates nobody (Kafka's PLAINTEXT) or before authentication
 */
public record KafkaRequest(RequestHeaderData header, ApiKeys apiKey, ApiMessage body, String clientHost, String listenerName,
        KafkaPrincipal principal) {

    /** A request whose client address, listener and principal are not known (yet). */
    public KafkaRequest(RequestHeaderData header, ApiKeys apiKey, ApiMessage body) {
        this(header, apiKey, body, "", "", KafkaPrincipal.ANONYMOUS);
    }

    /** A request from {@code clientHost} whose listener is not known. */
    public KafkaRequest(RequestHeaderData header, ApiKeys apiKey, ApiMessage body, String clientHost) {
        this(header, apiKey, body, clientHost, "", KafkaPrincipal.ANONYMOUS);
    }

    /** This request, sent by {@code principal} from {@code host} to the listener named {@code listener}. */
    public KafkaRequest from(String host, String listener, KafkaPrincipal principal) {
        return new KafkaRequest(header, apiKey, body, host, listener, principal);
    }

    /** The version of the request body, as sent by the client. */
    public short apiVersion() {
        return header.requestApiVersion();
    }

    /** The correlation id the response must echo. */
    public int correlationId() {
        return header.correlationId();
    }

    /** The client id the client announced, or an empty string. */
    public String clientId() {
        return header.clientId() == null ? "" : header.clientId();
    }
}
