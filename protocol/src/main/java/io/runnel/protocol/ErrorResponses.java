package io.runnel.protocol;

import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * The one place a failure that escaped a handler becomes a response: kafka-clients' own
 * {@code getErrorResponse}, which sets Kafka's error code for the exception on every topic and
 * partition of the request, as Kafka answers. Not a hot path. Stateless.
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    /** The response Kafka gives to {@code request} when handling it failed with {@code error}. */
    public static ApiMessage forFailure(KafkaRequest request, Throwable error) {
        ByteBufferAccessor body = MessageUtil.toByteBufferAccessor(request.body(), request.apiVersion());
        AbstractRequest parsed = AbstractRequest.parseRequest(request.apiKey(), request.apiVersion(), body).request;
        return parsed.getErrorResponse(0, error).data();
    }
}
