package io.runnel.bench.compare;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * End-to-end latency at a fixed rate: one idempotent producer ({@code acks=all}, {@code linger.ms=0})
 * sends record {@code i} at {@code start + i / rate} whatever the latency (a late send is not waited
 * for, so the rate holds), writing its index and {@link System#nanoTime()} into the first 16 bytes of
 * the value; one consumer in the same JVM, assigned every partition from the end before the first send
 * (client defaults: {@code fetch.min.bytes=1}, {@code fetch.max.wait.ms=500}), takes now minus that
 * time when {@code poll()} returns the record. So the figure is producer to broker, replication to the
 * high watermark, the wake-up of a waiting fetch and the consumer's poll. The first {@code warmUp}
 * records are not counted. Runs on the caller's thread plus one consumer thread.
 */
final class LatencyLoad {

    private static final int HEADER_BYTES = 2 * Long.BYTES;

    /**
     * @param micros the counted end-to-end latencies, in microseconds
     * @param ackMicros the counted latencies from {@code send()} to the producer's acknowledgement, in microseconds
     * @param sent records sent
     * @param received distinct records received
     * @param failed sends that failed
     * @param firstError the first failure, or null
     * @param sendSeconds how long the sending took (records / this is the rate achieved)
     */
    record Result(Percentiles micros, Percentiles ackMicros, long sent, long received, long failed, String firstError, double sendSeconds) {
    }

    private LatencyLoad() {
    }

    static Result run(String bootstrap, String topic, int expectedPartitions, double rate, long warmUp, long records,
                      int recordSize, Duration drainTimeout) throws InterruptedException, IOException {
        byte[] padding = new byte[Math.max(0, recordSize - HEADER_BYTES)];
        new Random(42).nextBytes(padding);
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        Percentiles ackMicros = new Percentiles(); // added to by the producer's I/O thread alone
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(bootstrap, "compare-e2e-consumer");
             KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, "compare-e2e-producer",
                     Map.of(ProducerConfig.LINGER_MS_CONFIG, "0"))) {
            List<TopicPartition> partitions = partitions(consumer, topic, expectedPartitions);
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
            producer.partitionsFor(topic); // metadata before the clock starts

            Receiver receiver = new Receiver(consumer, records, warmUp, drainTimeout.toNanos());
            Thread receiving = new Thread(receiver, "compare-e2e-consumer");
            receiving.start();

            long start = System.nanoTime();
            double intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
            long sent = 0;
            for (long i = 0; i < records && receiving.isAlive(); i++) {
                long due = start + (long) (i * intervalNanos);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                byte[] value = new byte[HEADER_BYTES + padding.length];
                long sentNanos = System.nanoTime();
                ByteBuffer.wrap(value).putLong(i).putLong(sentNanos).put(padding);
                boolean counted = i >= warmUp;
                producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                    if (error == null && counted) {
                        ackMicros.add((System.nanoTime() - sentNanos) / 1000);
                    } else if (error != null) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, error.toString());
                    }
                });
                sent++;
            }
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            producer.flush();
            receiver.sendingDone(System.nanoTime());
            receiving.join();
            return new Result(receiver.latencies, ackMicros, sent, receiver.received, failed.get(), firstError.get(), sendSeconds);
        }
    }

    /**
     * The topic's partitions as the consumer's metadata has them, asked again until there are {@code
     * expected} of them: a broker that has not yet applied the topic's creation answers with none.
     */
    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic, int expected)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos != null && infos.size() == expected) {
                return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the consumer's metadata has " + (infos == null ? 0 : infos.size()) + " partitions of "
                        + topic + ", not " + expected);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Polls until every record arrived, or none did for the drain timeout once sending is done. */
    private static final class Receiver implements Runnable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final long expected;
        private final long warmUp;
        private final long drainTimeoutNanos;
        private final Percentiles latencies = new Percentiles();
        private final java.util.BitSet seen = new java.util.BitSet();
        private volatile long sendingDoneNanos;
        private volatile long received;

        Receiver(KafkaConsumer<byte[], byte[]> consumer, long expected, long warmUp, long drainTimeoutNanos) {
            this.consumer = consumer;
            this.expected = expected;
            this.warmUp = warmUp;
            this.drainTimeoutNanos = drainTimeoutNanos;
        }

        void sendingDone(long nanos) {
            sendingDoneNanos = nanos;
        }

        @Override
        public void run() {
            long lastArrival = System.nanoTime();
            long count = 0;
            while (count < expected) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    ByteBuffer value = ByteBuffer.wrap(record.value());
                    long index = value.getLong();
                    long sentNanos = value.getLong();
                    if (index < 0 || index >= expected || seen.get((int) index)) {
                        continue; // not ours, or a duplicate
                    }
                    seen.set((int) index);
                    count++;
                    if (index >= warmUp) {
                        latencies.add((now - sentNanos) / 1000);
                    }
                    lastArrival = now;
                }
                received = count;
                long done = sendingDoneNanos;
                if (done != 0 && now - Math.max(done, lastArrival) > drainTimeoutNanos) {
                    break;
                }
            }
        }
    }
}
