package io.runnel.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TargetBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consume-transform-produce with {@code sendOffsetsToTransaction(groupMetadata)}: the group's offsets
 * commit with the output records, are invisible to read_committed consumers until the commit, and
 * vanish with an abort. Also passes against Apache Kafka 4.3.1 ({@link TargetBroker}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumeTransformProduceIT {

    private static final int RECORDS = 200;

    @TempDir
    static Path dataDir;

    private TargetBroker broker;

    @BeforeAll
    void startBroker() {
        broker = TargetBroker.start(dataDir, Map.of("runnel.transactions.enable", "true",
                "transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3"));
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldCommitTheGroupsOffsetsWithTheOutputExactlyOnce() throws Exception {
        String input = topic("ctp-input");
        String output = topic("ctp-output");
        String group = TargetBroker.unique("ctp-group");
        fill(input);

        try (KafkaConsumer<String, String> consumer = groupConsumer(group, input);
             KafkaProducer<String, String> producer = transactional("ctp")) {
            producer.initTransactions();
            int processed = 0;
            while (processed < RECORDS) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                for (ConsumerRecord<String, String> record : batch) {
                    producer.send(new ProducerRecord<>(output, record.key(), record.value().toUpperCase()));
                }
                producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
                producer.commitTransaction();
                processed += batch.count();
            }
        }

        assertThat(readCommitted(output)).hasSize(RECORDS).allMatch(value -> value.startsWith("VALUE-"))
                .doesNotHaveDuplicates();
        assertThat(committedOffset(group, input)).isEqualTo(RECORDS);
    }

    @Test
    void shouldHideTransactionalOffsetsUntilTheCommitAndDropThemWithAnAbort() throws Exception {
        String input = topic("ctp-pending");
        String group = TargetBroker.unique("ctp-pending-group");
        TopicPartition partition = new TopicPartition(input, 0);
        try (KafkaProducer<String, String> producer = transactional("ctp-pending");
             KafkaConsumer<String, String> member = groupConsumer(group, input)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(5)), member.groupMetadata());

            // Admin asks without require_stable: the pending offset is not there.
            assertThat(listedOffset(group, partition)).isNull();
            // A consumer asks with require_stable and keeps retrying UNSTABLE_OFFSET_COMMIT.
            assertThatThrownBy(() -> committedOffset(group, input)).isInstanceOf(TimeoutException.class);

            producer.abortTransaction();
            assertThat(committedOffset(group, input)).isNull();

            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(7)), member.groupMetadata());
            producer.commitTransaction();
            await().atMost(Duration.ofSeconds(15)).until(() -> Long.valueOf(7).equals(committedOffset(group, input)));
        }
    }

    private String topic(String name) {
        String topic = TargetBroker.unique(name);
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);
        return topic;
    }

    private void fill(String topic) throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
    }

    private KafkaProducer<String, String> transactional(String transactionalId) {
        Map<String, Object> config = new HashMap<>();
        config.put("transactional.id", TargetBroker.unique(transactionalId));
        config.put("max.block.ms", "30000");
        return KafkaClients.producer(broker.bootstrapServers(), config);
    }

    private KafkaConsumer<String, String> groupConsumer(String group, String topic) {
        KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(),
                Map.of("group.id", group, "isolation.level", "read_committed", "max.poll.records", "37"));
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, String> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : batch.partitions()) {
            List<ConsumerRecord<String, String>> records = batch.records(partition);
            offsets.put(partition, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /** The group's committed offset of partition 0 as a consumer reads it (require_stable), or null. */
    private Long committedOffset(String group, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("group.id", group))) {
            OffsetAndMetadata committed = consumer.committed(Set.of(partition), Duration.ofSeconds(3)).get(partition);
            return committed == null ? null : committed.offset();
        }
    }

    /** The group's committed offset of {@code partition} as Admin lists it (without require_stable), or null. */
    private Long listedOffset(String group, TopicPartition partition) throws Exception {
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            OffsetAndMetadata listed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(partition);
            return listed == null ? null : listed.offset();
        }
    }

    private List<String> readCommitted(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("isolation.level", "read_committed"))) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(record.value()));
                return consumer.position(partition) >= end;
            });
        }
        return values;
    }
}
