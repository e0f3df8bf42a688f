package io.runnel.protocol;

import java.nio.channels.FileChannel;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * Records that live in a file: a byte range of a log segment that a fetch response carries. The
 * {@link ResponseEncoder} leaves these bytes out of the encoded buffer and emits the range as its own
 * part, which the network layer sends with zero copy ({@code sendfile}). Immutable.
 *
 * @param channel the segment file; stays open while the range may be sent (segment deletion is delayed)
 * @param position where the range starts in the file
 * @param size how many bytes to send
 */
public record ZeroCopyRecords(FileChannel channel, long position, int size) implements BaseRecords {

    /** No records. */
    public static final ZeroCopyRecords EMPTY = new ZeroCopyRecords(null, 0, 0);

    @Override
    public int sizeInBytes() {
        return size;
    }

    /** Not used: Runnel writes responses through {@link ResponseEncoder}, never through kafka-clients' sends. */
    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("zero-copy records are written by ResponseEncoder");
    }
}
