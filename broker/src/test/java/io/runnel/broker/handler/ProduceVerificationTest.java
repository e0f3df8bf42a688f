package io.runnel.broker.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.ImageFixture;
import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.broker.partition.LocalPartitions;
import io.runnel.broker.txn.TxnPartitionVerifier;
import io.runnel.metadata.MetadataImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceVerificationTest {

    private static final long PRODUCER_ID = 7;
    private static final short EPOCH = 3;

    @TempDir
    Path dir;

    private LocalPartitions local;
    private ProduceVerification verification;

    @BeforeEach
    void setUp() throws Exception {
        MetadataImage image = new ImageFixture().brokers(1, 2).topic("followed", ImageFixture.partition(0, 2, 1)).image();
        local = LocalPartitions.of(dir, image);
        verification = new ProduceVerification(local.registry(), new TxnPartitionVerifier(1, ImageFixture.LISTENER, InterBrokerSecurity.PLAINTEXT, () -> image));
    }

    @AfterEach
    void tearDown() {
        local.close();
    }

    @Test
    void shouldRefuseATransactionalBatchForAPartitionNotLedHereInsteadOfLettingItSkipVerification() throws Exception {
        ProduceVerification.Outcome outcome = verification.verify(request("followed", "created-a-moment-ago"), (short) 12,
                topic -> Optional.of(topic.name())).get();

        // Appended later without a guard it would open a transaction the coordinator never heard of.
        assertThat(outcome.guards()).isEmpty();
        assertThat(outcome.refused().get(new TopicPartition("followed", 0)).error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(outcome.refused().get(new TopicPartition("created-a-moment-ago", 0)).error())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void shouldRefuseARequestWhoseTransactionalBatchesComeFromTwoProducers() {
        ProduceRequestData request = request("followed");
        request.topicData().add(new TopicProduceData().setName("other").setPartitionData(List.of(new PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.withTransactionalRecords(Compression.NONE, PRODUCER_ID + 1, EPOCH, 0, new SimpleRecord("v".getBytes()))))));

        assertThat(verification.verify(request, (short) 12, topic -> Optional.of(topic.name())))
                .failsWithin(java.time.Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(InvalidPidMappingException.class);
    }

    @Test
    void shouldAskNothingOfAnIdempotentProduce() throws Exception {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTopicData(new TopicProduceDataCollection(List.of(
                new TopicProduceData().setName("followed").setPartitionData(List.of(new PartitionProduceData().setIndex(0).setRecords(
                        MemoryRecords.withIdempotentRecords(Compression.NONE, PRODUCER_ID, EPOCH, 0, new SimpleRecord("v".getBytes())))))).iterator()));

        assertThat(verification.verify(request, (short) 12, topic -> Optional.of(topic.name())).get())
                .isSameAs(ProduceVerification.Outcome.NOTHING_TO_VERIFY);
    }

    private static ProduceRequestData request(String... topics) {
        TopicProduceDataCollection data = new TopicProduceDataCollection();
        for (String topic : topics) {
            data.add(new TopicProduceData().setName(topic).setPartitionData(List.of(new PartitionProduceData().setIndex(0)
                    .setRecords(MemoryRecords.withTransactionalRecords(Compression.NONE, PRODUCER_ID, EPOCH, 0,
                            new SimpleRecord("v".getBytes()))))));
        }
        return new ProduceRequestData().setTransactionalId("txn").setAcks((short) -1).setTopicData(data);
    }
}
