package io.runnel.protocol;

import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/**
 * Turns one request frame (the bytes after the 4-byte length prefix) into a {@link DecodedFrame}.
 * Stateless and thread-safe.
 */
public final class RequestDecoder {

    private static final int CORRELATION_ID_POSITION = 4;

    private final SupportedApis supportedApis;

    /** A decoder that accepts the APIs and versions of the given table. */
    public RequestDecoder(SupportedApis supportedApis) {
        this.supportedApis = supportedApis;
    }

    /**
     * Decodes a frame. The returned request's body may slice {@code frame} (produce records do).
     *
     * @throws MalformedRequestException when the frame is not a request Runnel can answer; the caller
     *     closes the connection, as Kafka does
     */
    public DecodedFrame decode(ByteBuffer frame) {
        if (frame.remaining() < 8) {
            throw new MalformedRequestException("frame of " + frame.remaining() + " bytes is too short for a request header");
        }
        short keyId = frame.getShort(frame.position());
        short version = frame.getShort(frame.position() + 2);
        if (!ApiKeys.hasId(keyId)) {
            throw new MalformedRequestException("unknown api key " + keyId);
        }
        ApiKeys apiKey = ApiKeys.forId(keyId);
        if (!supportedApis.accepts(apiKey, version)) {
            return unsupported(frame, apiKey, version);
        }
        try {
            ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
            RequestHeaderData header = new RequestHeaderData(accessor, apiKey.requestHeaderVersion(version));
            ApiMessage body = apiKey.messageType.newRequest();
            body.read(accessor, version);
            return new DecodedFrame.Request(new KafkaRequest(header, apiKey, body));
        } catch (RuntimeException e) {
            // kafka-clients' readers signal bad input with many exception types (underflow, negative
            // sizes, nulls in non-nullable fields, plain RuntimeException): all mean "not a request".
            throw new MalformedRequestException("cannot parse " + apiKey + " v" + version + ": " + e);
        }
    }

    private DecodedFrame unsupported(ByteBuffer frame, ApiKeys apiKey, short version) {
        if (apiKey != ApiKeys.API_VERSIONS) {
            throw new MalformedRequestException(apiKey + " version " + version + " is not supported");
        }
        // KIP-511: a client that speaks a newer ApiVersions gets a v0 answer it can always read, and
        // downgrades. Only the correlation id is needed, and it sits at a fixed place in every header.
        int correlationId = frame.getInt(frame.position() + CORRELATION_ID_POSITION);
        return new DecodedFrame.UnsupportedApiVersions(correlationId, version);
    }
}
