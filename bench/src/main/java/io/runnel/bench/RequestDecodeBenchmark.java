package io.runnel.bench;

import io.runnel.protocol.ApiVersionRange;
import io.runnel.protocol.DecodedFrame;
import io.runnel.protocol.RequestDecoder;
import io.runnel.protocol.SupportedApis;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request decoding ({@link RequestDecoder}): header and body of a frame into kafka-clients' message
 * objects. Produce: one partition, one batch of 16 × 1 KiB records (the records stay a slice of the
 * frame, not copied). Fetch: six partitions by topic id, as a consumer of a 6-partition topic sends.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestDecodeBenchmark {

    private RequestDecoder decoder;
    private ByteBuffer produce;
    private ByteBuffer fetch;

    @Setup
    public void frames() {
        decoder = new RequestDecoder(SupportedApis.of(Map.of(
                ApiKeys.PRODUCE, new ApiVersionRange((short) 0, (short) 3, (short) 13),
                ApiKeys.FETCH, ApiVersionRange.of(4, 18))));
        produce = RequestFrames.produce(16, 1024);
        fetch = RequestFrames.fetch(Uuid.randomUuid(), 6);
    }

    @Benchmark
    public DecodedFrame decodeProduce() {
        return decoder.decode(produce.duplicate());
    }

    @Benchmark
    public DecodedFrame decodeFetch() {
        return decoder.decode(fetch.duplicate());
    }
}
