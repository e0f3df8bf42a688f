package io.runnel.it.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.runnel.it.support.RawRequests;
import io.runnel.it.support.RawRequests.ProducerIdAndEpoch;
import io.runnel.it.support.RawTransaction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * The partition leader's side of transactions against Apache Kafka 4.3.1 (docs/transactions.md section
 * 10): transactional Produce edge cases (D-6), read_committed Fetch shapes (D-7), ListOffsets by isolation
 * level (D-8), WriteTxnMarkers from an admin (D-10), marker timestamps (D-16) and the timeout abort (D-15), as raw requests on a
 * topic of each test's own. Every expected answer is what Kafka gives: the class passes against it
 * unchanged ({@link io.runnel.it.support.TargetBroker}, a node with {@link TxnParityFixture#OVERRIDES}).
 */
class TxnPartitionParityIT extends TxnParityFixture {

    /**
     * The records' base timestamp: now, since Kafka rolls a segment whose first timestamp is older than
     * {@code segment.ms} on the next append, and a fetch reads one segment.
     */
    private final long now = System.currentTimeMillis();

    // D-6: transactional Produce.

    @Test
    void shouldRefuseATransactionalBatchSentWithoutATransactionalId() {
        String partitioned = newTopic("produce-no-id", 1);
        RawTransaction transaction = transaction("produce-no-id");
        InitProducerIdResponseData producer = transaction.init();
        transaction.add(producer, partitioned, 0);

        Errors answer = produce((short) 9, null, partitioned, batch(producer, 0, now, "x"));

        assertThat(answer).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        assertThat(endOffsets(partitioned)).isEqualTo(new EndOffsets(0, 0));
    }

    @Test
    void shouldRefuseABatchOfAPartitionNotInTheTransactionBeforeV12AndAddItImplicitlyFromV12() {
        String partitioned = newTopic("produce-not-added", 1);
        RawTransaction transaction = transaction("produce-not-added");
        InitProducerIdResponseData producer = transaction.init();

        Errors v9 = produce((short) 9, transaction.id(), partitioned, batch(producer, 0, now, "x"));
        Errors v11 = produce((short) 11, transaction.id(), partitioned, batch(producer, 0, now, "x"));
        Errors v12 = produce((short) 12, transaction.id(), partitioned, batch(producer, 0, now, "x"));

        assertThat(v9).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(v11).as("v11 clients know TRANSACTION_ABORTABLE").isEqualTo(Errors.TRANSACTION_ABORTABLE);
        assertThat(v12).isEqualTo(Errors.NONE);
        assertThat(transaction.describe().topics().find(partitioned).partitions()).containsExactly(0);
        assertThat(endOffsets(partitioned)).isEqualTo(new EndOffsets(1, 0));
    }

    @Test
    void shouldAcceptTheFirstBatchOfAProducerThePartitionDoesNotKnowAtAnySequence() {
        String partitioned = newTopic("produce-sequence", 1);
        RawTransaction transaction = transaction("produce-sequence");
        InitProducerIdResponseData producer = transaction.init();
        transaction.add(producer, partitioned, 0);

        assertThat(produce((short) 9, transaction.id(), partitioned, batch(producer, 5, now, "x"))).isEqualTo(Errors.NONE);
        assertThat(produce((short) 9, transaction.id(), partitioned, batch(producer, 7, now, "y"))).as("the next must follow it")
                .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void shouldRefuseTwoBatchesForOnePartitionInOneRequest() {
        String partitioned = newTopic("produce-two-batches", 1);
        RawTransaction transaction = transaction("produce-two-batches");
        InitProducerIdResponseData producer = transaction.init();
        transaction.add(producer, partitioned, 0);
        MemoryRecords first = batch(producer, 0, now, "a");
        MemoryRecords second = batch(producer, 1, now, "b");
        ByteBuffer both = ByteBuffer.allocate(first.sizeInBytes() + second.sizeInBytes());
        both.put(first.buffer()).put(second.buffer()).flip();

        assertThat(produce((short) 9, transaction.id(), partitioned, MemoryRecords.readableRecords(both))).isEqualTo(Errors.INVALID_RECORD);
        assertThat(endOffsets(partitioned)).isEqualTo(new EndOffsets(0, 0));
    }

    @Test
    void shouldRefuseAnIdempotentBatchOfAProducerWhoseTransactionIsOpen() {
        String partitioned = newTopic("produce-idempotent-in-txn", 1);
        RawTransaction transaction = transaction("produce-idempotent-in-txn");
        InitProducerIdResponseData producer = open(transaction, partitioned, "open");

        MemoryRecords idempotent = MemoryRecords.withIdempotentRecords(Compression.NONE, producer.producerId(), producer.producerEpoch(), 1,
                record(now, "plain"));
        Errors answer = produce((short) 9, null, partitioned, idempotent);
        end(transaction, producer, false);

        assertThat(answer).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(endOffsets(partitioned)).isEqualTo(new EndOffsets(2, 2));
    }

    @Test
    void shouldRefuseARequestWithTransactionalBatchesOfTwoProducers() {
        String partitioned = newTopic("produce-two-producers", 2);
        RawTransaction first = transaction("produce-two-producers-a");
        RawTransaction second = transaction("produce-two-producers-b");
        InitProducerIdResponseData firstProducer = first.init();
        first.add(firstProducer, partitioned, 0);
        InitProducerIdResponseData secondProducer = second.init();
        second.add(secondProducer, partitioned, 1);

        ProduceResponseData answer = raw.call(ApiKeys.PRODUCE, (short) 9, new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId(first.id()).setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(
                        new ProduceRequestData.TopicProduceData().setName(partitioned).setPartitionData(List.of(
                                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(batch(firstProducer, 0, now, "a")),
                                new ProduceRequestData.PartitionProduceData().setIndex(1).setRecords(batch(secondProducer, 0, now, "b")))))
                        .iterator())));

        assertThat(answer.responses().iterator().next().partitionResponses()).extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.INVALID_PRODUCER_ID_MAPPING, Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    // D-7: read_committed Fetch.

    @Test
    void shouldHoldReadersAtTheFirstOpenTransactionAlsoForLaterPlainRecords() {
        String partitioned = newTopic("fetch-open", 1);
        RawTransaction transaction = transaction("fetch-open");
        InitProducerIdResponseData producer = transaction.init();
        transaction.add(producer, partitioned, 0);
        assertThat(produce((short) 9, transaction.id(), partitioned, batch(producer, 0, now, "open"))).isEqualTo(Errors.NONE);
        assertThat(produce((short) 9, null, partitioned, plain(now + 1_000, "plain"))).isEqualTo(Errors.NONE);

        FetchResponseData.PartitionData committed = fetch(partitioned, 0, IsolationLevel.READ_COMMITTED);
        FetchResponseData.PartitionData uncommitted = fetch(partitioned, 0, IsolationLevel.READ_UNCOMMITTED);

        assertThat(committed.highWatermark()).isEqualTo(2);
        assertThat(committed.lastStableOffset()).isZero();
        assertThat(batchOffsets(committed)).isEmpty();
        assertThat(committed.abortedTransactions()).as("an empty list, not null").isEmpty();
        assertThat(uncommitted.lastStableOffset()).as("read_uncommitted answers carry the LSO too").isZero();
        assertThat(batchOffsets(uncommitted)).containsExactly(0L, 1L);
        assertThat(uncommitted.abortedTransactions()).isNull();
    }

    @Test
    void shouldListOnlyTheAbortedOfInterleavedTransactions() {
        String partitioned = newTopic("fetch-interleaved", 1);
        RawTransaction aborted = transaction("fetch-aborted");
        RawTransaction committed = transaction("fetch-committed");
        InitProducerIdResponseData abortedProducer = open(aborted, partitioned, "a");
        InitProducerIdResponseData committedProducer = open(committed, partitioned, "c");
        end(aborted, abortedProducer, false);
        end(committed, committedProducer, true);

        FetchResponseData.PartitionData fromStart = fetch(partitioned, 0, IsolationLevel.READ_COMMITTED);
        FetchResponseData.PartitionData insideTheAbort = fetch(partitioned, 1, IsolationLevel.READ_COMMITTED);
        FetchResponseData.PartitionData pastTheAbort = fetch(partitioned, 3, IsolationLevel.READ_COMMITTED);

        assertThat(fromStart.lastStableOffset()).isEqualTo(4);
        assertThat(batchOffsets(fromStart)).containsExactly(0L, 1L, 2L, 3L);
        assertThat(fromStart.abortedTransactions()).extracting(FetchResponseData.AbortedTransaction::producerId,
                FetchResponseData.AbortedTransaction::firstOffset).containsExactly(tuple(abortedProducer.producerId(), 0L));
        assertThat(insideTheAbort.abortedTransactions()).extracting(FetchResponseData.AbortedTransaction::firstOffset).containsExactly(0L);
        assertThat(pastTheAbort.abortedTransactions()).isEmpty();
    }

    @Test
    void shouldListTheAbortsOfTheWholeLogWhenMaxBytesCutsInsideATransaction() {
        String partitioned = newTopic("fetch-max-bytes", 1);
        RawTransaction transaction = transaction("fetch-max-bytes");
        InitProducerIdResponseData producer = transaction.init();
        transaction.add(producer, partitioned, 0);
        for (int sequence = 0; sequence < 3; sequence++) {
            assertThat(produce((short) 9, transaction.id(), partitioned, batch(producer, sequence, now, "x".repeat(200)))).isEqualTo(Errors.NONE);
        }
        end(transaction, producer, false);

        FetchResponseData.PartitionData cut = RawRequests.fetch(raw, partitioned, 0, 1, IsolationLevel.READ_COMMITTED, 10);

        assertThat(batchOffsets(cut)).containsExactly(1L);
        assertThat(cut.abortedTransactions()).extracting(FetchResponseData.AbortedTransaction::firstOffset).containsExactly(0L);
    }

    @Test
    void shouldListAnAbortWhoseMarkerStartsTheNextSegment() {
        // Kafka rolls before a batch whose timestamp is segment.ms past the segment's first one: the marker (stamped now) opens a segment.
        long weekAndADayAgo = now - Duration.ofDays(8).toMillis();
        String partitioned = newTopic("fetch-abort-across-segments", 1);
        RawTransaction transaction = transaction("fetch-abort-across-segments");
        InitProducerIdResponseData producer = transaction.init();
        transaction.add(producer, partitioned, 0);
        for (int sequence = 0; sequence < 2; sequence++) {
            assertThat(produce((short) 9, transaction.id(), partitioned, batch(producer, sequence, weekAndADayAgo, "old"))).isEqualTo(Errors.NONE);
        }
        end(transaction, producer, false);

        FetchResponseData.PartitionData data = fetch(partitioned, 0, IsolationLevel.READ_COMMITTED);
        FetchResponseData.PartitionData marker = fetch(partitioned, 2, IsolationLevel.READ_COMMITTED);

        assertThat(data.lastStableOffset()).isEqualTo(3);
        assertThat(batchOffsets(data)).as("one segment per fetch").containsExactly(0L, 1L);
        assertThat(data.abortedTransactions()).extracting(FetchResponseData.AbortedTransaction::firstOffset).containsExactly(0L);
        assertThat(batchOffsets(marker)).containsExactly(2L);
        assertThat(marker.abortedTransactions()).extracting(FetchResponseData.AbortedTransaction::firstOffset).containsExactly(0L);
    }

    // D-8: ListOffsets with an open transaction.

    @Test
    void shouldListOffsetsBelowTheOpenTransactionForReadCommitted() {
        String partitioned = newTopic("list-offsets", 1);
        RawTransaction transaction = transaction("list-offsets");
        InitProducerIdResponseData producer = transaction.init();
        assertThat(produce((short) 9, null, partitioned, plain(now, "before"))).isEqualTo(Errors.NONE);
        transaction.add(producer, partitioned, 0);
        assertThat(produce((short) 9, transaction.id(), partitioned, batch(producer, 0, now + 2_000, "open"))).isEqualTo(Errors.NONE);
        assertThat(produce((short) 9, null, partitioned, plain(now + 1_000, "after"))).isEqualTo(Errors.NONE);

        List<Long> committed = listOffsets(partitioned, IsolationLevel.READ_COMMITTED);
        List<Long> uncommitted = listOffsets(partitioned, IsolationLevel.READ_UNCOMMITTED);

        // LATEST, EARLIEST, MAX_TIMESTAMP, first at or after now + 500
        assertThat(committed).containsExactly(1L, 0L, -1L, -1L);
        assertThat(uncommitted).containsExactly(3L, 0L, 1L, 1L);
    }

    // D-10: WriteTxnMarkers as an admin sends them.

    @Test
    void shouldFenceAMarkerOfAnOlderCoordinatorEpochAndOfAnOlderProducerEpoch() {
        String partitioned = newTopic("markers", 1);
        ProducerIdAndEpoch unknown = new ProducerIdAndEpoch(987_654_400L, (short) 1);

        Errors first = marker(unknown, 5, (byte) 0, partitioned);
        Errors olderCoordinator = marker(unknown, 4, (byte) 0, partitioned);
        Errors olderProducer = marker(new ProducerIdAndEpoch(unknown.producerId(), (short) 0), 5, (byte) 0, partitioned);

        assertThat(first).isEqualTo(Errors.NONE);
        assertThat(olderCoordinator).isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
        assertThat(olderProducer).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(endOffsets(partitioned)).isEqualTo(new EndOffsets(1, 1));
    }

    @Test
    void shouldRefuseASecondProtocolMarkerAtTheEpochOfTheOpenTransaction() {
        String partitioned = newTopic("markers-tv2", 1);
        RawTransaction transaction = transaction("markers-tv2");
        InitProducerIdResponseData producer = open(transaction, partitioned, "open");

        Errors sameEpoch = marker(new ProducerIdAndEpoch(producer.producerId(), producer.producerEpoch()), 0, (byte) 2, partitioned);
        end(transaction, producer, false);

        assertThat(sameEpoch).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(endOffsets(partitioned)).isEqualTo(new EndOffsets(2, 2));
    }

    // D-16: markers on a topic stamped at append.

    @Test
    void shouldStampAMarkerWithTheAppendTimeOnALogAppendTimeTopic() {
        String partitioned = newTopic("marker-append-time", Map.of("message.timestamp.type", "LogAppendTime"));
        RawTransaction transaction = transaction("marker-append-time");
        InitProducerIdResponseData producer = open(transaction, partitioned, "data");
        end(transaction, producer, true);

        List<RecordBatch> batches = batches(fetch(partitioned, 0, IsolationLevel.READ_COMMITTED));

        assertThat(batches).extracting(RecordBatch::isControlBatch, RecordBatch::timestampType)
                .containsExactly(tuple(false, TimestampType.LOG_APPEND_TIME), tuple(true, TimestampType.LOG_APPEND_TIME));
        assertThat(batches.get(1).maxTimestamp()).isGreaterThanOrEqualTo(batches.get(0).maxTimestamp());
    }

    // D-15: a transaction that outlives its timeout.

    @Test
    void shouldAbortATimedOutTransactionAndFenceItsProducer() {
        String partitioned = newTopic("timeout", 1);
        RawTransaction transaction = transaction("timeout");
        InitProducerIdResponseData producer = transaction.init((short) 4, 2_000, -1L, (short) -1);
        transaction.add(producer, partitioned, 0);
        assertThat(produce((short) 9, transaction.id(), partitioned, batch(producer, 0, now, "late"))).isEqualTo(Errors.NONE);

        short epochAfter = transaction.awaitState("CompleteAbort").producerEpoch();
        Errors nextSend = produce((short) 9, transaction.id(), partitioned, batch(producer, 1, now, "later"));
        Errors secondProtocolCommit = Errors.forCode(transaction.endTxn((short) 5, producer.producerId(), producer.producerEpoch(), true)
                .errorCode());
        Errors firstProtocolCommit = Errors.forCode(transaction.endTxn((short) 4, producer.producerId(), producer.producerEpoch(), true)
                .errorCode());

        assertThat(epochAfter).isEqualTo((short) (producer.producerEpoch() + 1));
        assertThat(nextSend).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(secondProtocolCommit).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(firstProtocolCommit).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(endOffsets(partitioned)).isEqualTo(new EndOffsets(2, 2));
    }

    /** Initializes the id, adds partition 0 of {@code partitioned} and writes one batch: an open transaction. */
    private InitProducerIdResponseData open(RawTransaction transaction, String partitioned, String value) {
        InitProducerIdResponseData producer = transaction.init();
        transaction.add(producer, partitioned, 0);
        assertThat(produce((short) 9, transaction.id(), partitioned, batch(producer, 0, now, value))).isEqualTo(Errors.NONE);
        return producer;
    }

    /** EndTxn v5, then waits for the markers. */
    private static void end(RawTransaction transaction, InitProducerIdResponseData producer, boolean commit) {
        EndTxnResponseData ended = transaction.endTxn((short) 5, producer.producerId(), producer.producerEpoch(), commit);
        assertThat(Errors.forCode(ended.errorCode())).isEqualTo(Errors.NONE);
        transaction.awaitState(commit ? "CompleteCommit" : "CompleteAbort");
    }

    private Errors produce(short version, String transactionalId, String partitioned, MemoryRecords records) {
        return Errors.forCode(RawRequests.produce(raw, version, transactionalId, partitioned, 0, records).errorCode());
    }

    private FetchResponseData.PartitionData fetch(String partitioned, long offset, IsolationLevel isolation) {
        return RawRequests.fetch(raw, partitioned, 0, offset, isolation, 1 << 20);
    }

    private Errors marker(ProducerIdAndEpoch producer, int coordinatorEpoch, byte transactionVersion, String partitioned) {
        WriteTxnMarkersResponseData response = raw.call(ApiKeys.WRITE_TXN_MARKERS, (short) 2, new WriteTxnMarkersRequestData()
                .setMarkers(List.of(new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(producer.producerId())
                        .setProducerEpoch(producer.epoch()).setCoordinatorEpoch(coordinatorEpoch).setTransactionResult(false)
                        .setTransactionVersion(transactionVersion)
                        .setTopics(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(partitioned)
                                .setPartitionIndexes(List.of(0)))))));
        return Errors.forCode(response.markers().get(0).topics().get(0).partitions().get(0).errorCode());
    }

    /** LATEST, EARLIEST, MAX_TIMESTAMP and the first offset at or after now + 500 of partition 0, at {@code isolation}. */
    private List<Long> listOffsets(String partitioned, IsolationLevel isolation) {
        List<Long> offsets = new ArrayList<>();
        for (long timestamp : new long[] {-1L, -2L, -3L, now + 500}) {
            ListOffsetsResponseData response = raw.call(ApiKeys.LIST_OFFSETS, (short) 7, new ListOffsetsRequestData().setReplicaId(-1)
                    .setIsolationLevel(isolation.id()).setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName(partitioned)
                            .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(timestamp))))));
            ListOffsetsPartitionResponse partition = response.topics().get(0).partitions().get(0);
            assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
            offsets.add(partition.offset());
        }
        return offsets;
    }

    /** The log end offset and the last stable offset of partition 0. */
    private record EndOffsets(long logEnd, long lastStable) {
    }

    private EndOffsets endOffsets(String partitioned) {
        FetchResponseData.PartitionData answer = fetch(partitioned, 0, IsolationLevel.READ_UNCOMMITTED);
        return new EndOffsets(answer.highWatermark(), answer.lastStableOffset());
    }

    private static List<Long> batchOffsets(FetchResponseData.PartitionData partition) {
        return batches(partition).stream().map(RecordBatch::baseOffset).toList();
    }

    private static List<RecordBatch> batches(FetchResponseData.PartitionData partition) {
        List<RecordBatch> batches = new ArrayList<>();
        ((MemoryRecords) partition.records()).batches().forEach(batches::add);
        return batches;
    }

    private static MemoryRecords batch(InitProducerIdResponseData producer, int sequence, long timestamp, String value) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producer.producerId(), producer.producerEpoch(), sequence,
                record(timestamp, value));
    }

    private static MemoryRecords plain(long timestamp, String value) {
        return MemoryRecords.withRecords(Compression.NONE, record(timestamp, value));
    }

    private static SimpleRecord record(long timestamp, String value) {
        return new SimpleRecord(timestamp, null, value.getBytes(StandardCharsets.UTF_8));
    }
}
