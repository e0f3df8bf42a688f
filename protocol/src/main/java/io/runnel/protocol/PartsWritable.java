package io.runnel.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A {@link Writable} over one Netty buffer that cuts the output into {@link ResponsePart}s: each
 * {@link ZeroCopyRecords} closes the current run of bytes and becomes a file-range part of its own.
 * Single-threaded: used for one response at a time.
 */
final class PartsWritable implements Writable {

    private final ByteBuf buffer;
    private final List<ResponsePart> parts;
    private int runStart;

    PartsWritable(ByteBuf buffer, List<ResponsePart> parts) {
        this.buffer = buffer;
        this.parts = parts;
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof ZeroCopyRecords fileRange) {
            if (fileRange.size() > 0) {
                cutRun();
                parts.add(new ResponsePart.FileRange(fileRange));
            }
        } else if (records instanceof MemoryRecords memory) {
            buffer.writeBytes(memory.buffer().duplicate());
        } else if (records != null) {
            throw new IllegalArgumentException("cannot write records of type " + records.getClass().getSimpleName());
        }
    }

    /** Ends the encoding: the last run of bytes becomes the last part, and the buffer is handed over. */
    void finish() {
        cutRun();
        buffer.release();
    }

    private void cutRun() {
        int end = buffer.writerIndex();
        if (end > runStart) {
            parts.add(new ResponsePart.Bytes(buffer.retainedSlice(runStart, end - runStart)));
            runStart = end;
        }
    }

    @Override
    public void writeByte(byte val) {
        buffer.writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        buffer.writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        buffer.writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        buffer.writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        buffer.writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        buffer.writeBytes(arr);
    }

    @Override
    public void writeUnsignedVarint(int i) {
        while ((i & 0xFFFFFF80) != 0) {
            buffer.writeByte((i & 0x7F) | 0x80);
            i >>>= 7;
        }
        buffer.writeByte(i);
    }

    @Override
    public void writeByteBuffer(ByteBuffer buf) {
        buffer.writeBytes(buf.duplicate());
    }

    @Override
    public void writeVarint(int i) {
        writeUnsignedVarint((i << 1) ^ (i >> 31));
    }

    @Override
    public void writeVarlong(long i) {
        long v = (i << 1) ^ (i >> 63);
        while ((v & 0xFFFFFFFFFFFFFF80L) != 0L) {
            buffer.writeByte(((int) v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer.writeByte((int) v);
    }
}
