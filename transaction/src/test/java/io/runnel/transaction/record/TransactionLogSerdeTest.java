package io.runnel.transaction.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogKey;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue;
import org.junit.jupiter.api.Test;

/** Our record bytes against Kafka 4.3.1's own generated record classes, byte for byte, both directions. */
class TransactionLogSerdeTest {

    private static final List<TopicPartition> PARTITIONS = List.of(
            new TopicPartition("orders", 0), new TopicPartition("orders", 2), new TopicPartition("audit", 1));

    @Test
    void shouldWriteTheKeyKafkaWrites() {
        byte[] ours = TransactionLogSerde.serializeKey(new io.runnel.transaction.record.TransactionLogKey("txn-1"));

        byte[] kafka = MessageUtil.toCoordinatorTypePrefixedBytes(new TransactionLogKey().setTransactionalId("txn-1"));
        assertThat(ours).isEqualTo(kafka);
    }

    @Test
    void shouldWriteVersionZeroValuesKafkaWrites() {
        assertSameBytes(ours((short) 0, ongoing(-1, -1, (short) 0)), kafka((short) 0, kafkaOngoing()));
    }

    @Test
    void shouldWriteVersionOneValuesWithoutTaggedFieldsAsKafka() {
        assertSameBytes(ours((short) 1, ongoing(-1, -1, (short) 0)), kafka((short) 1, kafkaOngoing()));
    }

    @Test
    void shouldWriteVersionOneValuesWithEveryTaggedFieldAsKafka() {
        TransactionLogValue kafka = kafkaOngoing().setPreviousProducerId(3).setNextProducerId(9).setClientTransactionVersion((short) 2);

        assertSameBytes(ours((short) 1, ongoing(3, 9, (short) 2)), kafka((short) 1, kafka));
    }

    @Test
    void shouldWriteAnEmptyStateWithNullPartitionsAsKafka() {
        var empty = new io.runnel.transaction.record.TransactionLogValue(7, -1, -1, (short) 0, (short) -1, 60000, (byte) 0,
                null, 1000, -1, (short) 0);
        TransactionLogValue kafka = new TransactionLogValue().setProducerId(7).setProducerEpoch((short) 0).setTransactionTimeoutMs(60000)
                .setTransactionStatus((byte) 0).setTransactionPartitions(null).setTransactionLastUpdateTimestampMs(1000)
                .setTransactionStartTimestampMs(-1);

        for (short version = 0; version <= 1; version++) {
            assertSameBytes(ours(version, empty), kafka(version, kafka));
        }
    }

    @Test
    void shouldReadWhatKafkaWritesInBothVersions() {
        TransactionLogValue kafka = kafkaOngoing().setPreviousProducerId(3).setNextProducerId(9).setClientTransactionVersion((short) 2);
        var key = ByteBuffer.wrap(MessageUtil.toCoordinatorTypePrefixedBytes(new TransactionLogKey().setTransactionalId("txn-1")));

        TransactionRecord v1 = TransactionLogSerde.deserialize(key, ByteBuffer.wrap(kafka((short) 1, kafka)));
        TransactionRecord v0 = TransactionLogSerde.deserialize(key, ByteBuffer.wrap(kafka((short) 0, kafkaOngoing())));

        assertThat(v1.key().transactionalId()).isEqualTo("txn-1");
        assertThat(v1.value()).isEqualTo(ongoing(3, 9, (short) 2));
        assertThat(v1.valueVersion()).isEqualTo((short) 1);
        // Version 0 has no tagged fields (Kafka refuses to write one there): they read as their defaults.
        assertThat(v0.value()).isEqualTo(ongoing(-1, -1, (short) 0));
    }

    @Test
    void shouldDropTheTaggedFieldsInVersionZero() {
        // Kafka sets the producer ids only for version 1 and refuses non-default tagged fields in version 0.
        assertSameBytes(ours((short) 0, ongoing(3, 9, (short) 0)), kafka((short) 0, kafkaOngoing()));
    }

    @Test
    void shouldReadAndKeepTheNextProducerEpochKafkaMayWrite() {
        TransactionLogValue kafka = kafkaOngoing().setNextProducerEpoch((short) 4);
        var key = ByteBuffer.wrap(MessageUtil.toCoordinatorTypePrefixedBytes(new TransactionLogKey().setTransactionalId("t")));

        TransactionRecord read = TransactionLogSerde.deserialize(key, ByteBuffer.wrap(kafka((short) 1, kafka)));

        assertThat(read.value().nextProducerEpoch()).isEqualTo((short) 4);
        assertSameBytes(TransactionLogSerde.serializeValue(read), kafka((short) 1, kafka));
    }

    @Test
    void shouldReadATombstone() {
        var key = ByteBuffer.wrap(TransactionLogSerde.serializeKey(new io.runnel.transaction.record.TransactionLogKey("gone")));

        TransactionRecord read = TransactionLogSerde.deserialize(key, null);

        assertThat(read.isTombstone()).isTrue();
        assertThat(read.key().transactionalId()).isEqualTo("gone");
        assertThat(TransactionLogSerde.serializeValue(TransactionRecord.tombstone("gone"))).isNull();
    }

    @Test
    void shouldSkipRecordsOfAnotherType() {
        ByteBuffer key = ByteBuffer.allocate(5).putShort((short) 1).putShort((short) 1).put((byte) 'x').flip();

        assertThat(TransactionLogSerde.deserialize(key, null)).isNull();
    }

    @Test
    void shouldRejectAnUnknownValueVersion() {
        var key = ByteBuffer.wrap(TransactionLogSerde.serializeKey(new io.runnel.transaction.record.TransactionLogKey("t")));

        assertThatThrownBy(() -> TransactionLogSerde.deserialize(key, ByteBuffer.allocate(2).putShort((short) 2).flip()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldBeReadableByKafkasGeneratedClass() {
        ByteBuffer bytes = ByteBuffer.wrap(ours((short) 1, ongoing(3, 9, (short) 2)));
        short version = bytes.getShort();

        TransactionLogValue read = new TransactionLogValue(new ByteBufferAccessor(bytes), version);

        assertThat(read).isEqualTo(kafkaOngoing().setPreviousProducerId(3).setNextProducerId(9).setClientTransactionVersion((short) 2));
    }

    private static io.runnel.transaction.record.TransactionLogValue ongoing(long previousProducerId, long nextProducerId, short clientVersion) {
        return new io.runnel.transaction.record.TransactionLogValue(7, previousProducerId, nextProducerId, (short) 5, (short) -1, 60000,
                (byte) 1, PARTITIONS, 2000, 1500, clientVersion);
    }

    private static TransactionLogValue kafkaOngoing() {
        return new TransactionLogValue().setProducerId(7).setProducerEpoch((short) 5).setTransactionTimeoutMs(60000)
                .setTransactionStatus((byte) 1)
                .setTransactionPartitions(List.of(
                        new TransactionLogValue.PartitionsSchema().setTopic("orders").setPartitionIds(List.of(0, 2)),
                        new TransactionLogValue.PartitionsSchema().setTopic("audit").setPartitionIds(List.of(1))))
                .setTransactionLastUpdateTimestampMs(2000).setTransactionStartTimestampMs(1500);
    }

    private static byte[] ours(short version, io.runnel.transaction.record.TransactionLogValue value) {
        return TransactionLogSerde.serializeValue(new TransactionRecord(
                new io.runnel.transaction.record.TransactionLogKey("txn-1"), value, version));
    }

    private static byte[] kafka(short version, TransactionLogValue value) {
        return MessageUtil.toVersionPrefixedBytes(version, value);
    }

    private static void assertSameBytes(byte[] ours, byte[] kafka) {
        assertThat(ours).isEqualTo(kafka);
    }
}
