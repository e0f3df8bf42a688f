package io.runnel.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentChunksTest {

    @TempDir
    Path dir;

    @Test
    void shouldSendExactlyTheRangeInChunksAndLeaveTheSegmentOpen() throws Exception {
        byte[] content = new byte[300_000];
        Arrays.setAll(new int[content.length], i -> content[i] = (byte) (i * 31));
        Path segment = Files.write(dir.resolve("00000000000000000000.log"), content);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            SegmentChunks chunks = new SegmentChunks(channel, 1_000, 150_000);
            ByteBuf sent = Unpooled.buffer();
            int chunkCount = 0;
            while (!chunks.isEndOfInput()) {
                ByteBuf chunk = chunks.readChunk(ByteBufAllocator.DEFAULT);
                sent.writeBytes(chunk);
                chunk.release();
                chunkCount++;
            }
            chunks.close();

            assertThat(chunkCount).isEqualTo(3);
            assertThat(chunks.progress()).isEqualTo(chunks.length()).isEqualTo(150_000);
            assertThat(chunks.readChunk(ByteBufAllocator.DEFAULT)).isNull();
            byte[] bytes = new byte[sent.readableBytes()];
            sent.readBytes(bytes);
            assertThat(bytes).isEqualTo(Arrays.copyOfRange(content, 1_000, 151_000));
            assertThat(channel.isOpen()).isTrue();
        }
    }

    @Test
    void shouldReadSeveralWholeTlsRecordsPerChunk() throws Exception {
        Path segment = Files.write(dir.resolve("00000000000000000000.log"), new byte[200_000]);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            SegmentChunks chunks = new SegmentChunks(channel, 0, 200_000);

            ByteBuf first = chunks.readChunk(ByteBufAllocator.DEFAULT);
            try {
                assertThat(first.readableBytes()).isGreaterThan(SegmentChunks.TLS_RECORD_BYTES)
                        .isEqualTo(SegmentChunks.CHUNK_BYTES);
                assertThat(first.readableBytes() % SegmentChunks.TLS_RECORD_BYTES).isZero();
            } finally {
                first.release();
            }
        }
    }
}
