package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawRequests;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.BrokerProcess;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CreatePartitions, DeleteRecords, DescribeLogDirs, DescribeProducers, ElectLeaders and partition
 * reassignments through Admin, with Kafka's errors for bad requests and a broker that keeps serving.
 */
class PartitionAdminIT {

    private static final String TOPIC = "admin";
    private static final TopicPartition PARTITION_0 = new TopicPartition(TOPIC, 0);
    private static final int RECORDS = 10;

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("auto.create.topics.enable", "false"));
        admin = KafkaClients.admin(broker.bootstrapServers());
        admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i)).get();
            }
        }
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldAddPartitionsThatProducersAndConsumersUse() throws Exception {
        admin.createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(4, List.of(List.of(1), List.of(1))))).all().get();

        assertThat(admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions()).hasSize(4);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            RecordMetadata written = producer.send(new ProducerRecord<>(TOPIC, 3, "k", "in the new partition")).get();
            assertThat(written.partition()).isEqualTo(3);
        }
        broker.restart();
        assertThat(TopicReader.readAll(broker.bootstrapServers(), TOPIC)).extracting(ConsumerRecord::value).contains("in the new partition");
    }

    @Test
    void shouldOpenTheOtherNewPartitionsWhenOneLogCannotBeCreated() throws Exception {
        // a file where partition 2's directory goes: its log cannot be created, even for root
        Files.writeString(broker.dataDir().resolve(TOPIC + "-2"), "in the way");

        admin.createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(4))).all().get();

        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            assertThat(producer.send(new ProducerRecord<>(TOPIC, 3, "k", "beside the broken one")).get().partition()).isEqualTo(3);
        }
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            assertThat(RawRequests.produce(connection, TOPIC, 2, RawRequests.batchOf("lost")).errorCode())
                    .isEqualTo(Errors.KAFKA_STORAGE_ERROR.code());
            assertThat(RawRequests.fetch(connection, TOPIC, 2, 0).errorCode()).isEqualTo(Errors.KAFKA_STORAGE_ERROR.code());
        }
    }

    @Test
    void shouldRefuseBadPartitionCountsAndAssignments() throws Exception {
        admin.createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(3)), new CreatePartitionsOptions().validateOnly(true)).all().get();
        assertThat(admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions()).hasSize(2);

        assertCreatePartitionsFails(NewPartitions.increaseTo(2), InvalidPartitionsException.class);
        assertCreatePartitionsFails(NewPartitions.increaseTo(1), InvalidPartitionsException.class);
        assertCreatePartitionsFails(NewPartitions.increaseTo(3, List.of(List.of(2))), InvalidReplicaAssignmentException.class);
        assertCreatePartitionsFails(NewPartitions.increaseTo(4, List.of(List.of(1))), InvalidReplicaAssignmentException.class);
        assertThatThrownBy(() -> admin.createPartitions(Map.of("never-created", NewPartitions.increaseTo(3))).all().get())
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);

        assertStillServes();
    }

    @Test
    void shouldDeleteRecordsDurably() throws Exception {
        long lowWatermark = admin.deleteRecords(Map.of(PARTITION_0, RecordsToDelete.beforeOffset(4))).lowWatermarks().get(PARTITION_0).get().lowWatermark();

        assertThat(lowWatermark).isEqualTo(4);
        assertThat(earliestOffset()).isEqualTo(4);
        assertThat(TopicReader.readAll(broker.bootstrapServers(), TOPIC)).extracting(ConsumerRecord::value).containsExactly(
                "v4", "v5", "v6", "v7", "v8", "v9");

        long all = admin.deleteRecords(Map.of(PARTITION_0, RecordsToDelete.beforeOffset(-1))).lowWatermarks().get(PARTITION_0).get().lowWatermark();
        assertThat(all).isEqualTo(RECORDS);
        assertThat(earliestOffset()).isEqualTo(RECORDS);
    }

    @Test
    void shouldKeepDeletedRecordsDeletedAfterACrash() throws Exception {
        Path dataDir = tempDir.resolve("crashed");
        try (BrokerProcess crashing = BrokerProcess.start(dataDir, Map.of()); Admin crashingAdmin = KafkaClients.admin(crashing.bootstrapServers())) {
            crashingAdmin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            try (KafkaProducer<String, String> producer = KafkaClients.producer(crashing.bootstrapServers())) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i)).get();
                }
            }
            crashingAdmin.deleteRecords(Map.of(PARTITION_0, RecordsToDelete.beforeOffset(7))).all().get();
            crashing.kill();
        }
        try (BrokerProcess recovered = BrokerProcess.start(dataDir, Map.of())) {
            assertThat(TopicReader.readAll(recovered.bootstrapServers(), TOPIC)).extracting(ConsumerRecord::value).containsExactly("v7", "v8", "v9");
        }
    }

    @Test
    void shouldAnswerStorageErrorUntilTheNewStartIsCheckpointed() throws Exception {
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            assertThat(deleteRecords(connection, 4).lowWatermark()).isEqualTo(4);
            // a directory where the checkpoint's temp file goes: the checkpoint fails, even for root
            Path blocker = broker.dataDir().resolve("log-start-offset-checkpoint.tmp");
            Files.createDirectories(blocker.resolve("occupied"));

            // moving nothing still must not answer before the start is on disk
            assertThat(deleteRecords(connection, 4).errorCode()).isEqualTo(Errors.KAFKA_STORAGE_ERROR.code());
            assertThat(deleteRecords(connection, 6).errorCode()).isEqualTo(Errors.KAFKA_STORAGE_ERROR.code());

            Files.delete(blocker.resolve("occupied"));
            Files.delete(blocker);
            DeleteRecordsPartitionResult retried = deleteRecords(connection, 6);
            assertThat(retried.errorCode()).isZero();
            assertThat(retried.lowWatermark()).isEqualTo(6);
        }
    }

    @Test
    void shouldRefuseToDeleteRecordsBeyondTheHighWatermarkOrOfACompactedTopic() throws Exception {
        assertThatThrownBy(() -> admin.deleteRecords(Map.of(PARTITION_0, RecordsToDelete.beforeOffset(RECORDS + 1))).all().get())
                .hasCauseInstanceOf(OffsetOutOfRangeException.class);
        admin.createTopics(List.of(new NewTopic("compacted", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
        assertThatThrownBy(() -> admin.deleteRecords(Map.of(new TopicPartition("compacted", 0), RecordsToDelete.beforeOffset(0))).all().get())
                .hasCauseInstanceOf(PolicyViolationException.class);

        assertThat(earliestOffset()).isZero();
        assertStillServes();
    }

    @Test
    void shouldDescribeLogDirsWithPartitionSizes() throws Exception {
        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1);

        assertThat(dirs).hasSize(1);
        LogDirDescription dir = dirs.values().iterator().next();
        assertThat(dirs.keySet().iterator().next()).isEqualTo(tempDir.resolve("data").toAbsolutePath().toString());
        assertThat(dir.error()).isNull();
        assertThat(dir.replicaInfos().get(PARTITION_0).size()).isPositive();
        assertThat(dir.replicaInfos().get(new TopicPartition(TOPIC, 1)).size()).isZero();
        assertThat(dir.totalBytes().orElseThrow()).isPositive();
        assertThat(dir.usableBytes().orElseThrow()).isPositive();
    }

    @Test
    void shouldDescribeTheActiveIdempotentProducer() throws Exception {
        List<ProducerState> producers = admin.describeProducers(List.of(PARTITION_0)).partitionResult(PARTITION_0).get().activeProducers();

        assertThat(producers).singleElement().satisfies(producer -> {
            assertThat(producer.producerId()).isNotNegative();
            assertThat(producer.lastSequence()).isEqualTo(RECORDS - 1);
            assertThat(producer.lastTimestamp()).isPositive();
            assertThat(producer.currentTransactionStartOffset()).isEmpty();
        });
        assertThat(admin.describeProducers(List.of(new TopicPartition(TOPIC, 1))).partitionResult(new TopicPartition(TOPIC, 1)).get()
                .activeProducers()).isEmpty();
    }

    @Test
    void shouldAnswerLeaderElectionsAsAClusterOfOne() throws Exception {
        TopicPartition unknown = new TopicPartition(TOPIC, 9);
        Map<TopicPartition, Optional<Throwable>> preferred = admin.electLeaders(ElectionType.PREFERRED, Set.of(PARTITION_0, unknown)).partitions().get();
        assertThat(preferred.get(PARTITION_0)).containsInstanceOf(ElectionNotNeededException.class);
        assertThat(preferred.get(unknown)).containsInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(admin.electLeaders(ElectionType.UNCLEAN, Set.of(PARTITION_0)).partitions().get().get(PARTITION_0))
                .containsInstanceOf(ElectionNotNeededException.class);
        assertThat(admin.electLeaders(ElectionType.PREFERRED, null).partitions().get()).isEmpty();
        assertStillServes();
    }

    @Test
    void shouldAnswerReassignmentsAsAClusterOfOne() throws Exception {
        admin.alterPartitionReassignments(Map.of(PARTITION_0, Optional.of(new NewPartitionReassignment(List.of(1))))).all().get();
        assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(PARTITION_0, Optional.of(new NewPartitionReassignment(List.of(2)))))
                .all().get()).hasCauseInstanceOf(InvalidReplicaAssignmentException.class);
        assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(PARTITION_0, Optional.of(new NewPartitionReassignment(List.of(1, 2)))))
                .all().get()).hasCauseInstanceOf(InvalidReplicaAssignmentException.class);
        assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(PARTITION_0, Optional.empty())).all().get())
                .hasCauseInstanceOf(NoReassignmentInProgressException.class);
        assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(new TopicPartition(TOPIC, 9),
                Optional.of(new NewPartitionReassignment(List.of(1))))).all().get()).hasCauseInstanceOf(UnknownTopicOrPartitionException.class);

        assertThat(admin.listPartitionReassignments().reassignments().get()).isEmpty();
        assertThat(admin.listPartitionReassignments(Set.of(PARTITION_0)).reassignments().get()).isEmpty();
        assertStillServes();
    }

    private void assertCreatePartitionsFails(NewPartitions request, Class<? extends Exception> error) {
        assertThatThrownBy(() -> admin.createPartitions(Map.of(TOPIC, request)).all().get()).hasCauseInstanceOf(error);
    }

    private static DeleteRecordsPartitionResult deleteRecords(RawKafkaConnection connection, long beforeOffset) {
        DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(5_000).setTopics(List.of(new DeleteRecordsTopic()
                .setName(TOPIC).setPartitions(List.of(new DeleteRecordsPartition().setPartitionIndex(0).setOffset(beforeOffset)))));
        DeleteRecordsResponseData response = connection.call(ApiKeys.DELETE_RECORDS, (short) 2, request);
        return response.topics().iterator().next().partitions().iterator().next();
    }

    private long earliestOffset() throws Exception {
        return admin.listOffsets(Map.of(PARTITION_0, OffsetSpec.earliest())).partitionResult(PARTITION_0).get().offset();
    }

    private void assertStillServes() throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(TOPIC, 1, "after", "errors")).get();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(TopicReader.readAll(broker.bootstrapServers(), TOPIC)).extracting(ConsumerRecord::value).contains("errors"));
    }
}
