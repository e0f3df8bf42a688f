package io.runnel.broker.network;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/**
 * A byte range of a log segment sent with {@code sendfile}. Netty's {@link DefaultFileRegion} is kept
 * (the epoll transport sends only that type natively), but releasing the region must not close the
 * segment's channel: the log owns it and closes it when the segment is deleted, after a delay that
 * outlives any send in flight.
 */
final class SegmentFileRegion extends DefaultFileRegion {

    SegmentFileRegion(FileChannel segment, long position, long count) {
        super(segment, position, count);
    }

    @Override
    protected void deallocate() {
        // The segment file stays open: PartitionLog owns its lifecycle.
    }
}
