package io.runnel.protocol;

import io.netty.buffer.ByteBuf;

/** One piece of an encoded response, sent in order: encoded bytes, or a file range sent with zero copy. */
public sealed interface ResponsePart {

    /** Encoded bytes; the receiver owns (and must release) the buffer. */
    record Bytes(ByteBuf buffer) implements ResponsePart { }

    /** A file range, sent as it lies on disk. */
    record FileRange(ZeroCopyRecords records) implements ResponsePart { }
}
