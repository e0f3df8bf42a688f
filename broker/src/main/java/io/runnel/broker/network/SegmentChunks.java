package io.runnel.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A byte range of a log segment sent as buffers, for listeners whose bytes must pass through TLS
 * (a file region goes to the socket untouched, so it cannot). Netty's {@code ChunkedWriteHandler} pulls
 * one pooled chunk at a time, as the socket drains, so a large fetch never sits whole in memory, and
 * flushes after each chunk.
 * Unlike Netty's {@code ChunkedNioFile} it never closes the segment's channel: the log owns it.
 * Used on the connection's event loop only.
 */
final class SegmentChunks implements ChunkedInput<ByteBuf> {

    /** The TLS record payload limit (16 KiB, RFC 8446 5.1): a chunk fills whole records. */
    static final int TLS_RECORD_BYTES = 16 * 1024;

    /**
     * Four TLS records. {@code ChunkedWriteHandler} flushes every chunk, and {@code SslHandler} wraps a
     * chunk into 16 KiB records and writes them to the socket in that one flush: a chunk of one record
     * cost a file read, a flush, a write listener and a socket write per 16 KiB of a fetch.
     */
    static final int CHUNK_BYTES = 4 * TLS_RECORD_BYTES;

    private final FileChannel segment;
    private final long start;
    private final long end;
    private long position;

    SegmentChunks(FileChannel segment, long start, long count) {
        this.segment = segment;
        this.start = start;
        this.end = start + count;
        this.position = start;
    }

    @Override
    public boolean isEndOfInput() {
        return position >= end;
    }

    @Override
    public void close() {
        // The segment file stays open: PartitionLog owns its lifecycle.
    }

    @Override
    @Deprecated
    public ByteBuf readChunk(ChannelHandlerContext context) throws IOException {
        return readChunk(context.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (isEndOfInput()) {
            return null;
        }
        int size = (int) Math.min(CHUNK_BYTES, end - position);
        ByteBuf chunk = allocator.ioBuffer(size);
        try {
            while (chunk.writerIndex() < size) {
                int read = chunk.writeBytes(segment, position + chunk.writerIndex(), size - chunk.writerIndex());
                if (read < 0) {
                    throw new IOException("segment ended at " + (position + chunk.writerIndex()) + ", before the " + (end - start)
                            + " bytes to send from " + start);
                }
            }
        } catch (IOException | RuntimeException e) {
            chunk.release();
            throw e;
        }
        position += size;
        return chunk;
    }

    @Override
    public long length() {
        return end - start;
    }

    @Override
    public long progress() {
        return position - start;
    }
}
