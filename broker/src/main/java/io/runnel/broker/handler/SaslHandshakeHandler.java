package io.runnel.broker.handler;

import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * SaslHandshake once it can mean nothing: on a listener that authenticates nobody, or after the client
 * has authenticated (the exchange itself is run by the connection, before any handler). As Kafka:
 * ILLEGAL_SASL_STATE. Stateless.
 */
public final class SaslHandshakeHandler implements ApiHandler {

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        return CompletableFuture.completedFuture(new SaslHandshakeResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code()));
    }
}
