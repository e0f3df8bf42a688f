package io.runnel.bench.compare;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Watches every partition of a topic for acknowledgements: one idempotent producer ({@link
 * Clients#producer}: client defaults, {@code acks=all}) sends one record to each partition every
 * {@code interval}, naming the partition. {@link #markKill} notes the moment a broker is killed; from
 * then on the first acknowledgement, per partition, of a record sent at or after that moment is kept.
 * For a partition whose leader was killed, that time minus the kill is its failover time: the client
 * had to notice, learn the new leader and have a record accepted by it and replicated to
 * {@code min.insync.replicas}. Records sent before the kill are left out because one may have been
 * answered by the old leader just before it died. Closing it stops the sender and the producer.
 */
final class FailoverProbe implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;
    private final long intervalNanos;
    private final byte[] payload;
    private final Thread sender;
    private final AtomicLongArray firstAck;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile long killNanos = Long.MAX_VALUE;
    private volatile boolean stopping;

    FailoverProbe(String bootstrap, String topic, int partitions, Duration interval, int recordSize) {
        this.producer = Clients.producer(bootstrap, "compare-failover-probe", Map.of());
        this.topic = topic;
        this.partitions = partitions;
        this.intervalNanos = interval.toNanos();
        this.payload = new byte[recordSize];
        new Random(42).nextBytes(payload);
        this.firstAck = new AtomicLongArray(partitions);
        this.sender = new Thread(this::send, "compare-failover-probe");
    }

    void start() {
        producer.partitionsFor(topic);
        sender.start();
    }

    private void send() {
        long next = System.nanoTime();
        try {
            while (!stopping) {
                for (int p = 0; p < partitions; p++) {
                    int partition = p;
                    long sent = System.nanoTime();
                    producer.send(new ProducerRecord<>(topic, partition, null, payload), (metadata, error) -> {
                        long now = System.nanoTime();
                        if (error != null) {
                            failed.incrementAndGet();
                            firstError.compareAndSet(null, "partition " + partition + ": " + error);
                            return;
                        }
                        acknowledged.incrementAndGet();
                        if (sent >= killNanos) {
                            firstAck.compareAndSet(partition, 0, now);
                        }
                    });
                }
                next += intervalNanos;
                for (long wait = next - System.nanoTime(); wait > 0 && !stopping; wait = next - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
            }
        } catch (RuntimeException e) { // the producer failed fatally or was closed
            firstError.compareAndSet(null, e.toString());
        }
    }

    /** Forgets the acknowledgements of any earlier kill and notes that a broker is killed now; returns now. */
    long markKill() {
        killNanos = Long.MAX_VALUE; // no acknowledgement counts while the slots are cleared
        for (int p = 0; p < partitions; p++) {
            firstAck.set(p, 0);
        }
        long now = System.nanoTime();
        killNanos = now;
        return now;
    }

    /** The first acknowledgement of {@code partition} for a record sent since {@link #markKill}, or 0 if none yet. */
    long firstAckSinceKill(int partition) {
        return firstAck.get(partition);
    }

    /**
     * Waits until every one of {@code watched} has been acknowledged since the kill, or until the
     * timeout; returns whether all were.
     */
    boolean awaitAcknowledged(Iterable<Integer> watched, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int p : watched) {
                all &= firstAck.get(p) != 0;
            }
            if (all) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return false;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long failed() {
        return failed.get();
    }

    String firstError() {
        return firstError.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        sender.join(60_000);
        producer.close(Duration.ofSeconds(30));
    }
}
