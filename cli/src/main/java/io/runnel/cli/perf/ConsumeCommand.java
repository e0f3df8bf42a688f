package io.runnel.cli.perf;

import io.runnel.cli.client.ClientOptions;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runnel perf consume}: reads a topic from the beginning until {@code --num-records} records
 * have arrived or none has for {@code --timeout} ms, and prints the throughput. With {@code --group}
 * the consumer subscribes in that group (the clock starts when partitions are assigned, as in Kafka's
 * {@code kafka-consumer-perf-test}); without, it assigns itself every partition. Exits 1 if fewer
 * records than asked for arrived.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Consume a topic from the beginning and report throughput.")
final class ConsumeCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(100);

    @Mixin
    private ClientOptions client;

    @Option(names = "--topic", required = true, description = "The topic to consume.")
    private String topic;

    @Option(names = "--num-records", defaultValue = "" + Long.MAX_VALUE,
            description = "Stop after this many records (default: when --timeout passes without one).")
    private long numRecords;

    @Option(names = "--timeout", defaultValue = "10000", paramLabel = "ms",
            description = "Stop when no record arrived for this long (default: ${DEFAULT-VALUE}).")
    private long timeoutMs;

    @Option(names = "--group", description = "Consume in this group (subscribe); default: assign all partitions, no group.")
    private String group;

    @Option(names = "--consumer-props", arity = "1..*", paramLabel = "key=value", description = "Consumer configs.")
    private Map<String, String> consumerProps = new LinkedHashMap<>();

    @Option(names = "--reporting-interval", defaultValue = "5000", paramLabel = "ms",
            description = "Milliseconds between progress lines; 0 for none (default: ${DEFAULT-VALUE}).")
    private long reportingIntervalMs;

    private long startNanos;

    @Override
    public Integer call() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        defaults.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (group != null) {
            defaults.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        long records = 0;
        long bytes = 0;
        long lastRecordNanos;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(client.consumerConfig(defaults, consumerProps))) {
            startNanos = System.nanoTime();
            if (group != null) {
                consumer.subscribe(List.of(topic), new StartClockOnAssignment());
            } else {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                startNanos = System.nanoTime();
            }
            ProgressLine progress = new ProgressLine(System.out, "consumed", reportingIntervalMs, startNanos);
            lastRecordNanos = System.nanoTime();
            while (records < numRecords && System.nanoTime() - lastRecordNanos < timeoutMs * 1_000_000L) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                    records++;
                    bytes += size;
                    lastRecordNanos = System.nanoTime();
                    progress.record(size, -1, lastRecordNanos);
                }
                progress.maybePrint(System.nanoTime());
            }
        }
        long elapsed = lastRecordNanos - startNanos;
        ResultTable table = new ResultTable("runnel perf consume: " + records + " records from " + topic)
                .row("records", records, "")
                .row("seconds", Rates.seconds(elapsed), 3, "s")
                .row("records/s", Rates.perSecond(records, elapsed), 1, "")
                .row("MB/s", Rates.megabytesPerSecond(bytes, elapsed), 2, "");
        System.out.print(table.render());
        boolean complete = numRecords == Long.MAX_VALUE ? records > 0 : records >= numRecords;
        if (!complete) {
            System.err.println("runnel perf: " + records + " records arrived before the timeout");
        }
        return complete ? 0 : 1;
    }

    /** Restarts the clock when the group hands out partitions, so the join is not counted. */
    private final class StartClockOnAssignment implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            startNanos = System.nanoTime();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }
    }
}
