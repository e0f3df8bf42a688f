package io.runnel.broker.handler;

import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * SaslAuthenticate once it can mean nothing: on a listener that authenticates nobody, or after the
 * client has authenticated (the exchange itself is run by the connection, before any handler). As
 * Kafka: ILLEGAL_SASL_STATE with Kafka's message. Stateless.
 */
public final class SaslAuthenticateHandler implements ApiHandler {

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        return CompletableFuture.completedFuture(new SaslAuthenticateResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setErrorMessage("SaslAuthenticate request received after successful authentication"));
    }
}
