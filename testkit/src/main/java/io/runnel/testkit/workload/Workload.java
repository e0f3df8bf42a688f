package io.runnel.testkit.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The client side of a Jepsen-style Kafka test: idempotent producers (acks=all) that send unique values
 * ({@code p<producer>-<seq>}) under keys spread over every partition, and consumers in one group that poll,
 * all recording into a {@link History}. Real kafka-clients, each on a thread of its own.
 *
 * <pre>{@code
 * History history = new History();
 * try (Workload workload = Workload.start(WorkloadConfig.defaults(bootstrap, "events", 6), history)) {
 *     ... inject faults, heal ...
 *     workload.stopProducers(Duration.ofSeconds(60));
 *     FinalRead read = FinalReader.read(bootstrap, "events", 6, Duration.ofSeconds(60));
 *     history.finalRead(read);
 *     workload.awaitConsumed(values of read, Duration.ofSeconds(30));
 * }
 * CheckResult result = HistoryChecker.check(history);
 * }</pre>
 *
 * <p>Every send gets an outcome in the history: acknowledged, failed for certain (the client refused it
 * before it left), or indeterminate (timed out, or cut short by {@link #stopProducers}). Start, stop and
 * close it from one thread; its counters may be read from any.
 */
public final class Workload implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private final WorkloadConfig config;
    private final History history;
    private final List<Thread> producerThreads = new ArrayList<>();
    private final List<Thread> consumerThreads = new ArrayList<>();
    private final List<KafkaProducer<String, String>> producers = new ArrayList<>();
    private final Set<String> consumed = ConcurrentHashMap.newKeySet();
    private final Object consumedChanged = new Object();
    private final AtomicLong acknowledged = new AtomicLong();
    private final Map<Integer, AtomicLong> acknowledgedByPartition = new ConcurrentHashMap<>();
    private final AtomicLong consumerErrors = new AtomicLong();
    private volatile boolean producing = true;
    private volatile boolean consuming = true;

    private Workload(WorkloadConfig config, History history) {
        this.config = config;
        this.history = history;
    }

    /** Starts the producers and consumers; they run until stopped. */
    public static Workload start(WorkloadConfig config, History history) {
        Workload workload = new Workload(config, history);
        for (int i = 0; i < config.consumers(); i++) {
            String name = "c" + i;
            Thread thread = new Thread(() -> workload.consume(name), "workload-consumer-" + name);
            thread.setDaemon(true);
            workload.consumerThreads.add(thread);
            thread.start();
        }
        for (int i = 0; i < config.producers(); i++) {
            String name = "p" + i;
            Thread thread = new Thread(() -> workload.produce(name), "workload-producer-" + name);
            thread.setDaemon(true);
            workload.producerThreads.add(thread);
            thread.start();
        }
        return workload;
    }

    /** Sends acknowledged so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Sends acknowledged so far on one partition. */
    public long acknowledged(int partition) {
        AtomicLong count = acknowledgedByPartition.get(partition);
        return count == null ? 0 : count.get();
    }

    /** Distinct values the consumers have polled so far. */
    public int consumedCount() {
        return consumed.size();
    }

    /** Exceptions the consumers' polls threw (they go on polling). */
    public long consumerErrors() {
        return consumerErrors.get();
    }

    /**
     * Stops sending and waits, at most {@code timeout} in all, for the answers to sends in flight; sends
     * still unanswered then are recorded as indeterminate.
     */
    public void stopProducers(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        producing = false;
        join(producerThreads, timeout);
        List<KafkaProducer<String, String>> all;
        synchronized (producers) {
            all = List.copyOf(producers);
        }
        List<Thread> closing = new ArrayList<>();
        for (KafkaProducer<String, String> producer : all) {
            Thread thread = new Thread(() -> producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))), "workload-producer-close");
            thread.setDaemon(true);
            thread.start();
            closing.add(thread);
        }
        join(closing, timeout.plus(CLOSE_TIMEOUT));
    }

    /** Waits until the consumers have polled every one of {@code values}, at most {@code timeout}; true if they did. */
    public boolean awaitConsumed(Collection<String> values, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (consumedChanged) {
            while (!consumed.containsAll(values)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || config.consumers() == 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(consumedChanged, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Stops the consumers (they leave the group) and waits for them. */
    public void stopConsumers() {
        consuming = false;
        join(consumerThreads, CLOSE_TIMEOUT.multipliedBy(2));
    }

    /** Stops everything still running. */
    @Override
    public void close() {
        if (producing) {
            stopProducers(Duration.ZERO);
        }
        if (consuming) {
            stopConsumers();
        }
    }

    private void produce(String name) {
        long interval = TimeUnit.SECONDS.toNanos(1) / config.sendsPerSecond();
        Semaphore inFlight = new Semaphore(config.maxInFlight());
        KafkaProducer<String, String> producer = newProducer();
        long seq = 0;
        long next = System.nanoTime();
        while (producing) {
            next += interval;
            long now = System.nanoTime();
            if (next - now > 0) {
                LockSupport.parkNanos(next - now);
            } else if (now - next > TimeUnit.SECONDS.toNanos(1)) {
                next = now;   // fell behind (a stall): no burst to catch up
            }
            if (!acquire(inFlight)) {
                continue;
            }
            int key = ThreadLocalRandom.current().nextInt(config.keys());
            int partition = key % config.partitions();
            String value = name + "-" + seq++;
            history.sendInvoked(name, partition, "k" + key, value);
            try {
                producer.send(new ProducerRecord<>(config.topic(), partition, "k" + key, value), (metadata, error) -> {
                    inFlight.release();
                    complete(name, value, partition, metadata, error);
                });
            } catch (KafkaException | IllegalStateException e) {
                // Refused before it left the client: certainly not written. A producer in a fatal state is replaced.
                inFlight.release();
                history.sendFailed(name, value, partition, describe(e), true);
                producer.close(Duration.ZERO);
                producer = newProducer();
            }
        }
    }

    private boolean acquire(Semaphore inFlight) {
        try {
            return inFlight.tryAcquire(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            producing = false;
            return false;
        }
    }

    private void complete(String producer, String value, int partition, RecordMetadata metadata, Exception error) {
        if (error == null) {
            history.sendAcknowledged(producer, value, metadata.partition(), metadata.offset());
            acknowledged.incrementAndGet();
            acknowledgedByPartition.computeIfAbsent(metadata.partition(), p -> new AtomicLong()).incrementAndGet();
        } else {
            history.sendFailed(producer, value, partition, describe(error), isDefinite(error));
        }
    }

    /** Errors that mean the broker refused the record outright; anything else may have been written. */
    private static boolean isDefinite(Exception error) {
        return error instanceof RecordTooLargeException || error instanceof InvalidTopicException || error instanceof TopicAuthorizationException;
    }

    private static String describe(Throwable error) {
        return error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    private KafkaProducer<String, String> newProducer() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", config.bootstrapServers());
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        props.put("acks", "all");
        props.put("enable.idempotence", true);
        props.put("linger.ms", 5);
        props.put("request.timeout.ms", 10_000);
        props.put("delivery.timeout.ms", 60_000);
        props.put("max.block.ms", 10_000);
        props.put("retry.backoff.ms", 100);
        props.put("retry.backoff.max.ms", 500);
        props.put("reconnect.backoff.max.ms", 500);
        props.put("metadata.max.age.ms", 5_000);
        props.putAll(config.producerOverrides());
        KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        synchronized (producers) {
            producers.add(producer);
        }
        return producer;
    }

    private void consume(String name) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", config.bootstrapServers());
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        props.put("group.id", config.topic() + "-workload");
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", true);
        props.put("auto.commit.interval.ms", 500);
        props.put("session.timeout.ms", 6_000);
        props.put("heartbeat.interval.ms", 1_000);
        props.put("request.timeout.ms", 10_000);
        props.put("default.api.timeout.ms", 10_000);
        props.put("retry.backoff.ms", 100);
        props.put("retry.backoff.max.ms", 500);
        props.put("reconnect.backoff.max.ms", 500);
        props.put("metadata.max.age.ms", 5_000);
        props.putAll(config.consumerOverrides());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(config.topic()), new Rebalances(name));
            while (consuming) {
                try {
                    List<Read> reads = new ArrayList<>();
                    for (ConsumerRecord<String, String> record : consumer.poll(POLL_TIMEOUT)) {
                        reads.add(new Read(record.partition(), record.offset(), record.value()));
                    }
                    history.polled(name, reads);
                    if (!reads.isEmpty()) {
                        reads.forEach(read -> consumed.add(read.value()));
                        synchronized (consumedChanged) {
                            consumedChanged.notifyAll();
                        }
                    }
                } catch (KafkaException e) {
                    consumerErrors.incrementAndGet();
                }
            }
            try {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            } catch (KafkaException e) {
                consumerErrors.incrementAndGet();
            }
        }
    }

    private static void join(List<Thread> threads, Duration timeout) {
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Records each change of a consumer's assignment, on the consumer's own thread (inside poll). */
    private final class Rebalances implements ConsumerRebalanceListener {

        private final String consumer;

        Rebalances(String consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                history.assigned(consumer, numbers(partitions));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                history.revoked(consumer, numbers(partitions), false);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                history.revoked(consumer, numbers(partitions), true);
            }
        }

        private Set<Integer> numbers(Collection<TopicPartition> partitions) {
            return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        }
    }
}
