package io.runnel.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * Encodes a response as a size-prefixed frame: header and body into one buffer, with every
 * {@link ZeroCopyRecords} field left out of the buffer and emitted as its own {@link ResponsePart},
 * in wire order. Stateless and thread-safe.
 */
public final class ResponseEncoder {

    private final ByteBufAllocator allocator;

    /** An encoder that allocates its buffers from the given allocator. */
    public ResponseEncoder(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /** Encodes {@code body} as the response to a request of {@code apiKey} at {@code version}. */
    public List<ResponsePart> encode(ApiKeys apiKey, short version, int correlationId, ApiMessage body) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        short headerVersion = apiKey.responseHeaderVersion(version);
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);

        ByteBuf buffer = allocator.buffer(Integer.BYTES + size.sizeExcludingZeroCopy());
        List<ResponsePart> parts = new ArrayList<>(2);
        PartsWritable writable = new PartsWritable(buffer, parts);
        try {
            buffer.writeInt(size.totalSize());
            header.write(writable, cache, headerVersion);
            body.write(writable, cache, version);
        } catch (RuntimeException e) {
            parts.forEach(part -> {
                if (part instanceof ResponsePart.Bytes bytes) {
                    bytes.buffer().release();
                }
            });
            buffer.release();
            throw e;
        }
        writable.finish();
        return parts;
    }
}
