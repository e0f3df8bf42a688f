package io.runnel.cli.consume;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.CommandFailure;
import io.runnel.cli.client.Terminal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runnel consume --topic T}: prints a topic's records, one line each, until stopped (Ctrl-C or
 * SIGTERM), {@code --max-messages} have been printed, or none arrived for {@code --timeout-ms}; then
 * prints the count to standard error and exits 0. Without {@code --group} the consumer assigns itself
 * the partitions and commits nothing; with it, it joins the group and commits the offsets of the
 * records it printed, after each batch and when it stops.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Print a topic's records: from the end (default), the beginning, an offset or a time.")
public final class ConsumeCommand extends ClientCommand {

    private static final Duration MAX_POLL = Duration.ofMillis(500);

    @Option(names = {"-t", "--topic"}, required = true, description = "The topic to read.")
    private String topic;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private StartPosition start = new StartPosition();

    @Option(names = {"-g", "--group"}, description = "Read as a member of this consumer group, committing what was printed.")
    private String group;

    @Option(names = {"-p", "--partition"}, description = "Read only this partition (not with --group).")
    private Integer partition;

    @Option(names = {"-n", "--max-messages"}, paramLabel = "N", description = "Stop after N records.")
    private long maxMessages = Long.MAX_VALUE;

    @Option(names = "--timeout-ms", paramLabel = "ms", description = "Stop when no record arrived for this long.")
    private Long timeoutMs;

    @Option(names = {"-f", "--format"}, defaultValue = "plain",
            description = "plain (the value), kv (key, separator, value) or json (one object per line) (default: ${DEFAULT-VALUE}).")
    private RecordFormat format;

    @Option(names = {"-k", "--key-separator"}, defaultValue = "=", paramLabel = "sep",
            description = "Between key and value in the kv format (default: ${DEFAULT-VALUE}).")
    private String keySeparator;

    @Override
    protected int execute() {
        checkOptions();
        Stop stop = new Stop();
        long printed;
        try (Terminal.Registration interrupts = terminal().interrupts().onInterrupt(stop::request);
             KafkaConsumer<byte[], byte[]> consumer = client.newConsumer(settings())) {
            stop.watch(consumer);
            printed = start(consumer) ? printRecords(consumer, stop) : 0;
        }
        err().println("Processed a total of " + printed + " messages");
        return 0;
    }

    /** Subscribes or assigns and seeks; false when a stop request came first. */
    private boolean start(KafkaConsumer<byte[], byte[]> consumer) {
        try {
            List<TopicPartition> partitions = partitions(consumer);
            if (group != null) {
                consumer.subscribe(List.of(topic));
            } else {
                consumer.assign(partitions);
                seek(consumer, partitions);
            }
            return true;
        } catch (WakeupException e) {
            return false;
        }
    }

    private void checkOptions() {
        if (group != null && (partition != null || start.offset != null || start.timestamp != null)) {
            throw usageError("--partition, --offset and --timestamp work without --group; "
                    + "to move a group's offsets use 'runnel group reset-offsets'");
        }
        if (start.offset != null && start.offset < 0) {
            throw usageError("--offset must not be negative");
        }
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, start.fromBeginning ? "earliest" : "latest");
        if (group != null) {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return settings;
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos.isEmpty()) {
            throw CommandFailure.noSuchTopic(topic);
        }
        if (partition != null && infos.stream().noneMatch(info -> info.partition() == partition)) {
            throw new CommandFailure("Topic '" + topic + "' has " + infos.size() + " partitions; there is no partition " + partition + ".");
        }
        return infos.stream().filter(info -> partition == null || info.partition() == partition)
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /** Positions an assigned consumer, and fixes the position now, so "the end" means the end at start. */
    private void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        if (start.fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else if (start.offset != null) {
            Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            partitions.forEach(p -> consumer.seek(p, Math.max(first.get(p), Math.min(end.get(p), start.offset))));
        } else if (start.timestamp != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, start.timestamp));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            partitions.forEach(p -> {
                if (found.get(p) == null) {
                    consumer.seekToEnd(List.of(p));
                } else {
                    consumer.seek(p, found.get(p).offset());
                }
            });
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(consumer::position);
    }

    private long printRecords(KafkaConsumer<byte[], byte[]> consumer, Stop stop) {
        long printed = 0;
        long lastRecordNanos = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
        while (!stop.requested() && printed < maxMessages && !idleTooLong(lastRecordNanos)) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(pollTimeout(lastRecordNanos));
            } catch (WakeupException e) {
                break;
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (printed == maxMessages) {
                    break;
                }
                out().println(format.format(record, keySeparator));
                printed++;
                uncommitted.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            }
            out().flush();
            if (!records.isEmpty()) {
                lastRecordNanos = System.nanoTime();
                commit(consumer, uncommitted);
            }
        }
        commit(consumer, uncommitted);
        return printed;
    }

    /** Commits what was printed (with a group); a stop request during the commit is retried once, at the end. */
    private void commit(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> uncommitted) {
        if (group == null || uncommitted.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(uncommitted);
            uncommitted.clear();
        } catch (WakeupException e) {
            // Asked to stop mid-commit: the loop ends and commits again.
        }
    }

    private boolean idleTooLong(long lastRecordNanos) {
        return timeoutMs != null && System.nanoTime() - lastRecordNanos >= timeoutMs * 1_000_000L;
    }

    private Duration pollTimeout(long lastRecordNanos) {
        if (timeoutMs == null) {
            return MAX_POLL;
        }
        long leftMs = timeoutMs - (System.nanoTime() - lastRecordNanos) / 1_000_000L;
        return Duration.ofMillis(Math.max(1, Math.min(MAX_POLL.toMillis(), leftMs)));
    }

    /** A stop request, from the thread that delivers a signal to the command's thread. */
    private static final class Stop {
        private volatile boolean requested;
        private volatile KafkaConsumer<byte[], byte[]> consumer;

        void watch(KafkaConsumer<byte[], byte[]> watched) {
            consumer = watched;
            if (requested) {
                watched.wakeup();
            }
        }

        void request() {
            requested = true;
            KafkaConsumer<byte[], byte[]> watched = consumer;
            if (watched != null) {
                watched.wakeup();
            }
        }

        boolean requested() {
            return requested;
        }
    }
}
