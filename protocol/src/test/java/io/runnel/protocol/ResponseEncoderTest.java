package io.runnel.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseEncoderTest {

    private final ResponseEncoder encoder = new ResponseEncoder(UnpooledByteBufAllocator.DEFAULT);

    @TempDir
    Path dir;

    @Test
    void shouldWriteSizePrefixedHeaderAndBodyThatKafkaClientsParse() {
        ApiVersionsResponseData body = new ApiVersionsResponseData().setThrottleTimeMs(3);
        body.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey((short) 0).setMinVersion((short) 0).setMaxVersion((short) 13));

        ByteBuffer wire = concat(encoder.encode(ApiKeys.API_VERSIONS, (short) 3, 11, body), null);

        assertThat(wire.getInt()).isEqualTo(wire.remaining());
        ByteBufferAccessor accessor = new ByteBufferAccessor(wire);
        assertThat(new ResponseHeaderData(accessor, ApiKeys.API_VERSIONS.responseHeaderVersion((short) 3)).correlationId()).isEqualTo(11);
        assertThat(new ApiVersionsResponseData(accessor, (short) 3)).isEqualTo(body);
    }

    @Test
    void shouldLeaveFileRecordsOutOfTheBufferAsAZeroCopyPart() throws IOException {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("k".getBytes(), "v".getBytes()));
        Path segment = dir.resolve("00000000000000000000.log");
        Files.write(segment, toArray(records.buffer()));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            FetchResponseData body = fetchResponse(new ZeroCopyRecords(channel, 0, records.sizeInBytes()));

            List<ResponsePart> parts = encoder.encode(ApiKeys.FETCH, (short) 16, 5, body);

            assertThat(parts).hasSize(3);
            assertThat(parts.get(1)).isEqualTo(new ResponsePart.FileRange(new ZeroCopyRecords(channel, 0, records.sizeInBytes())));
            ByteBuffer wire = concat(parts, records.buffer());
            assertThat(wire.getInt()).isEqualTo(wire.remaining());
            ByteBufferAccessor accessor = new ByteBufferAccessor(wire);
            new ResponseHeaderData(accessor, ApiKeys.FETCH.responseHeaderVersion((short) 16));
            FetchResponseData parsed = new FetchResponseData(accessor, (short) 16);
            MemoryRecords fetched = (MemoryRecords) parsed.responses().get(0).partitions().get(0).records();
            assertThat(fetched.buffer()).isEqualTo(records.buffer());
        }
    }

    private static FetchResponseData fetchResponse(ZeroCopyRecords records) {
        FetchResponseData body = new FetchResponseData();
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                .setTopicId(org.apache.kafka.common.Uuid.randomUuid());
        topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(0).setHighWatermark(1).setRecords(records));
        body.responses().add(topic);
        return body;
    }

    /** Joins the parts as the network would send them, reading file ranges as {@code fileBytes}. */
    private static ByteBuffer concat(List<ResponsePart> parts, ByteBuffer fileBytes) {
        ByteBuf all = Unpooled.buffer();
        for (ResponsePart part : parts) {
            if (part instanceof ResponsePart.Bytes bytes) {
                all.writeBytes(bytes.buffer());
                bytes.buffer().release();
            } else {
                all.writeBytes(fileBytes.duplicate());
            }
        }
        return all.nioBuffer();
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
