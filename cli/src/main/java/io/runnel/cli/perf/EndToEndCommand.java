package io.runnel.cli.perf;

import io.runnel.cli.client.ClientOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runnel perf e2e}: end-to-end latency at a fixed rate. A producer sends {@code --num-records}
 * records at {@code --throughput} per second, each carrying its send time ({@link System#nanoTime()})
 * in a header; a consumer in the same process (assigned every partition, from the end) takes the
 * difference when {@code poll()} hands it the record. Unlike Kafka's {@code EndToEndLatency}, which
 * sends one record and waits for it, the rate stays fixed whatever the latency, so the tail is that of
 * a broker under steady moderate load. Exits 1 if a send failed or a record did not arrive.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "Produce at a fixed rate and report produce-to-consume latency.")
final class EndToEndCommand implements Callable<Integer> {

    static final String SENT_HEADER = "runnel-perf-sent-nanos";

    @Mixin
    private ClientOptions client;

    @Option(names = "--topic", required = true, description = "The topic to use.")
    private String topic;

    @Option(names = "--num-records", defaultValue = "10000", description = "Records to send (default: ${DEFAULT-VALUE}).")
    private long numRecords;

    @Option(names = "--throughput", defaultValue = "1000", description = "Records per second (default: ${DEFAULT-VALUE}).")
    private double throughput;

    @Option(names = "--record-size", defaultValue = "1024", description = "Bytes per record value (default: ${DEFAULT-VALUE}).")
    private int recordSize;

    @Option(names = "--acks", defaultValue = "1", description = "The producer's acks (default: ${DEFAULT-VALUE}).")
    private String acks;

    @Option(names = "--warmup-records", defaultValue = "0",
            description = "Leave the first N records out of the latency figures (default: ${DEFAULT-VALUE}).")
    private long warmupRecords;

    @Option(names = "--timeout", defaultValue = "10000", paramLabel = "ms",
            description = "Give up when no record arrived for this long (default: ${DEFAULT-VALUE}).")
    private long timeoutMs;

    @Option(names = "--producer-props", arity = "1..*", paramLabel = "key=value",
            description = "Producer configs (linger.ms is 0 unless set here).")
    private Map<String, String> producerProps = new LinkedHashMap<>();

    @Option(names = "--consumer-props", arity = "1..*", paramLabel = "key=value", description = "Consumer configs.")
    private Map<String, String> consumerProps = new LinkedHashMap<>();

    @Option(names = "--reporting-interval", defaultValue = "5000", paramLabel = "ms",
            description = "Milliseconds between progress lines; 0 for none (default: ${DEFAULT-VALUE}).")
    private long reportingIntervalMs;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> producerDefaults = new LinkedHashMap<>();
        producerDefaults.put(ProducerConfig.ACKS_CONFIG, acks);
        producerDefaults.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        Map<String, String> consumerDefaults = Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        byte[] payload = new byte[recordSize];
        new Random(42).nextBytes(payload);
        AtomicLong errors = new AtomicLong();

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(client.consumerConfig(consumerDefaults, consumerProps));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client.producerConfig(producerDefaults, producerProps))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            LatencyReceiver receiver = new LatencyReceiver(consumer, numRecords, warmupRecords, timeoutMs,
                    new ProgressLine(System.out, "received", reportingIntervalMs, System.nanoTime()));
            Thread receiving = new Thread(receiver, "runnel-perf-e2e-consumer");
            receiving.start();

            long start = System.nanoTime();
            Pacer pacer = new Pacer(throughput, start);
            for (long i = 0; i < numRecords && receiving.isAlive(); i++) {
                PacedWait.until(pacer, i);
                RecordHeaders headers = new RecordHeaders();
                headers.add(SENT_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(System.nanoTime()).array());
                producer.send(new ProducerRecord<>(topic, null, null, null, payload, headers), (metadata, error) -> {
                    if (error != null && errors.getAndIncrement() == 0) {
                        System.err.println("runnel perf: send failed: " + error);
                    }
                });
            }
            long sendNanos = System.nanoTime() - start;
            producer.flush();
            receiving.join();

            ResultTable table = new ResultTable("runnel perf e2e: " + numRecords + " records at "
                    + throughput + "/s through " + topic)
                    .row("records", numRecords, "")
                    .row("received", receiver.received(), "")
                    .row("errors", errors.get(), "")
                    .row("send rate", Rates.perSecond(numRecords, sendNanos), 1, "records/s")
                    .latencyRows("latency", receiver.latencies());
            System.out.print(table.render());
            return errors.get() == 0 && receiver.received() == numRecords ? 0 : 1;
        }
    }

    /** Polls until every record arrived (or none did for the timeout), timing each from its header. */
    private static final class LatencyReceiver implements Runnable {
        private static final Duration POLL = Duration.ofMillis(100);

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final long expected;
        private final long warmup;
        private final long timeoutNanos;
        private final ProgressLine progress;
        private final LatencyHistogram latencies = new LatencyHistogram();
        private volatile long received;

        LatencyReceiver(KafkaConsumer<byte[], byte[]> consumer, long expected, long warmup, long timeoutMs,
                        ProgressLine progress) {
            this.consumer = consumer;
            this.expected = expected;
            this.warmup = warmup;
            this.timeoutNanos = timeoutMs * 1_000_000L;
            this.progress = progress;
        }

        @Override
        public void run() {
            long lastArrival = System.nanoTime();
            long count = 0;
            while (count < expected && System.nanoTime() - lastArrival < timeoutNanos) {
                var records = consumer.poll(POLL);
                long now = System.nanoTime();
                for (var record : records) {
                    var header = record.headers().lastHeader(SENT_HEADER);
                    if (header == null) {
                        continue;
                    }
                    long micros = (now - ByteBuffer.wrap(header.value()).getLong()) / 1000;
                    if (count++ >= warmup) {
                        latencies.record(micros);
                    }
                    progress.record(record.serializedValueSize(), micros, now);
                    lastArrival = now;
                }
                progress.maybePrint(now);
                received = count;
            }
        }

        long received() {
            return received;
        }

        /** Read only after the receiving thread has ended. */
        LatencyHistogram latencies() {
            return latencies;
        }
    }
}
