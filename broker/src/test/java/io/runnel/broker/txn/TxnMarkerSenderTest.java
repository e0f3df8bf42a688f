package io.runnel.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.transaction.TransactionVersion;
import io.runnel.transaction.TxnMarkers;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TxnMarkerSenderTest {

    private static final int LOCAL = 1;
    private static final int COORDINATOR_PARTITION = 7;
    private static final int COORDINATOR_EPOCH = 3;
    private static final TopicPartition LED_HERE = new TopicPartition("orders", 0);
    private static final TopicPartition DELETED = new TopicPartition("gone", 0);

    private final Queue<TopicPartition> written = new ConcurrentLinkedQueue<>();
    private final Queue<String> localWrites = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile Errors failure = Errors.NOT_ENOUGH_REPLICAS;
    private final TxnMarkerSender sender = new TxnMarkerSender(LOCAL, "PLAINTEXT", InterBrokerSecurity.PLAINTEXT, TxnMarkerSenderTest::image,
            (partition, producerId, producerEpoch, coordinatorEpoch, commit, version) -> {
                localWrites.add(partition + " pid " + producerId + " epoch " + producerEpoch + " coordinator " + coordinatorEpoch
                        + (commit ? " COMMIT" : " ABORT") + " tv " + version);
                return CompletableFuture.completedFuture(failuresLeft.getAndDecrement() > 0 ? failure : Errors.NONE);
            },
            (transaction, partition) -> written.add(partition), id -> COORDINATOR_PARTITION);

    @AfterEach
    void stop() {
        sender.close();
    }

    @Test
    void shouldWriteTheMarkerOfALocallyLedPartitionWithTheTransactionsIdentity() {
        sender.coordinates(COORDINATOR_PARTITION, COORDINATOR_EPOCH);
        sender.send(transaction(LED_HERE));

        assertThat(written).containsExactly(LED_HERE);
        assertThat(localWrites).containsExactly("orders-0 pid 42 epoch 5 coordinator 3 COMMIT tv 2");
    }

    @Test
    void shouldAcknowledgeAPartitionThatNoLongerExistsWithoutWritingIt() {
        sender.coordinates(COORDINATOR_PARTITION, COORDINATOR_EPOCH);
        sender.send(transaction(DELETED));

        assertThat(written).containsExactly(DELETED);
        assertThat(localWrites).isEmpty();
    }

    @Test
    void shouldRetryAMarkerWhoseWriteMayYetSucceed() {
        failuresLeft.set(3);
        sender.coordinates(COORDINATOR_PARTITION, COORDINATOR_EPOCH);
        sender.send(transaction(LED_HERE));

        await().atMost(Duration.ofSeconds(10)).until(() -> written.contains(LED_HERE));
        assertThat(localWrites).hasSize(4);
    }

    @Test
    void shouldGiveUpAMarkerRefusedForAnEpochThatMovedOn() {
        failure = Errors.TRANSACTION_COORDINATOR_FENCED;
        failuresLeft.set(1);
        sender.coordinates(COORDINATOR_PARTITION, COORDINATOR_EPOCH);
        sender.send(transaction(LED_HERE));

        assertThat(localWrites).hasSize(1);
        assertThat(written).isEmpty();
    }

    @Test
    void shouldDropMarkersOfATransactionThisBrokerNoLongerCoordinates() {
        failuresLeft.set(1);
        sender.coordinates(COORDINATOR_PARTITION, COORDINATOR_EPOCH);
        sender.send(transaction(LED_HERE));
        sender.resigns(COORDINATOR_PARTITION);
        // A later load at a newer epoch does not revive the old epoch's markers.
        sender.coordinates(COORDINATOR_PARTITION, COORDINATOR_EPOCH + 1);

        await().pollDelay(Duration.ofMillis(3 * TxnMarkerSender.RETRY_BACKOFF_MS)).atMost(Duration.ofSeconds(5))
                .until(() -> localWrites.size() == 1);
        assertThat(written).isEmpty();
    }

    @Test
    void shouldPutEachTransactionInOneRequestEntryWithItsPartitionsByTopic() {
        TxnMarkers first = new TxnMarkers("a", COORDINATOR_EPOCH, true, 42L, (short) 5,
                Set.of(new TopicPartition("t", 0), new TopicPartition("t", 1)), TransactionVersion.TV_2);
        TxnMarkers second = new TxnMarkers("b", COORDINATOR_EPOCH, false, 43L, (short) 0, Set.of(new TopicPartition("u", 2)),
                TransactionVersion.TV_0);
        WriteTxnMarkersRequestData request = MarkerExchange.request(List.of(new PendingMarker(first, new TopicPartition("t", 0)),
                new PendingMarker(second, new TopicPartition("u", 2)), new PendingMarker(first, new TopicPartition("t", 1))));

        assertThat(request.markers()).hasSize(2);
        WriteTxnMarkersRequestData.WritableTxnMarker commit = request.markers().get(0);
        assertThat(commit.producerId()).isEqualTo(42L);
        assertThat(commit.producerEpoch()).isEqualTo((short) 5);
        assertThat(commit.transactionResult()).isTrue();
        assertThat(commit.coordinatorEpoch()).isEqualTo(COORDINATOR_EPOCH);
        assertThat(commit.transactionVersion()).isEqualTo((byte) 2);
        assertThat(commit.topics()).singleElement().satisfies(topic -> assertThat(topic.partitionIndexes()).containsExactly(0, 1));
        assertThat(request.markers().get(1).transactionResult()).isFalse();
        assertThat(request.markers().get(1).transactionVersion()).isEqualTo((byte) 0);
    }

    private static TxnMarkers transaction(TopicPartition partition) {
        return new TxnMarkers("txn", COORDINATOR_EPOCH, true, 42L, (short) 5, Set.of(partition), TransactionVersion.TV_2);
    }

    private static MetadataImage image() {
        Uuid topicId = Uuid.fromString("x8sGUVQtQ5yuG1uCHf6Csw");
        return MetadataImage.EMPTY.apply(List.of(new MetadataRecord.TopicRecord("orders", topicId),
                new MetadataRecord.PartitionRecord(topicId, 0, PartitionRegistration.initial(List.of(LOCAL), LOCAL))), 1L);
    }
}
