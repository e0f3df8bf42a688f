package io.runnel.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.runnel.protocol.ResponseEncoder;
import io.runnel.protocol.ResponsePart;
import io.runnel.protocol.ZeroCopyRecords;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Response encoding ({@link ResponseEncoder}): sizing, then header and body into a pooled Netty buffer,
 * with each partition's records left out as a zero-copy file range. Fetch: six partitions of 1 MiB
 * each (seven buffer parts and six file parts). Produce: the acknowledgement of one partition. The
 * parts are released after each encode, as the network layer does once they are written.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponseEncodeBenchmark {

    private static final short FETCH_VERSION = 16;
    private static final short PRODUCE_VERSION = 11;

    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private ResponseEncoder encoder;
    private Path file;
    private FileChannel channel;
    private FetchResponseData fetch;
    private ProduceResponseData produce;

    @Setup(Level.Trial)
    public void responses() throws IOException {
        encoder = new ResponseEncoder(allocator);
        file = Files.createTempFile("runnel-bench-encode", ".log");
        channel = FileChannel.open(file, StandardOpenOption.READ);
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse().setTopicId(Uuid.randomUuid());
        for (int p = 0; p < 6; p++) {
            topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(p).setHighWatermark(1_000_000)
                    .setLastStableOffset(1_000_000).setLogStartOffset(0)
                    .setRecords(new ZeroCopyRecords(channel, (long) p << 20, 1 << 20)));
        }
        fetch = new FetchResponseData().setResponses(List.of(topic));
        ProduceResponseData.TopicProduceResponseCollection topics = new ProduceResponseData.TopicProduceResponseCollection();
        topics.add(new ProduceResponseData.TopicProduceResponse().setName("bench").setPartitionResponses(List.of(
                new ProduceResponseData.PartitionProduceResponse().setIndex(0).setBaseOffset(123_456).setLogStartOffset(0))));
        produce = new ProduceResponseData().setResponses(topics);
    }

    @Benchmark
    public int encodeFetch() {
        return release(encoder.encode(ApiKeys.FETCH, FETCH_VERSION, 42, fetch));
    }

    @Benchmark
    public int encodeProduce() {
        return release(encoder.encode(ApiKeys.PRODUCE, PRODUCE_VERSION, 42, produce));
    }

    private static int release(List<ResponsePart> parts) {
        for (ResponsePart part : parts) {
            if (part instanceof ResponsePart.Bytes bytes) {
                bytes.buffer().release();
            }
        }
        return parts.size();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }
}
