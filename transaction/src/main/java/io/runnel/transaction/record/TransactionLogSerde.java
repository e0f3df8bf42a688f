package io.runnel.transaction.record;

import static io.runnel.transaction.record.TransactionLogSchemas.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.Struct;

/**
 * Turns {@link TransactionRecord}s into the key and value bytes of {@code __transaction_state}
 * records and back, in Kafka's layouts ({@link TransactionLogSchemas}). Stateless and thread-safe.
 */
public final class TransactionLogSerde {

    private static final long NO_PRODUCER_ID = -1L;
    private static final short NO_PRODUCER_EPOCH = -1;

    private TransactionLogSerde() {
    }

    /** The record's key bytes. */
    public static byte[] serializeKey(TransactionLogKey key) {
        return write(RECORD_TYPE, new Struct(KEY).set("transactional_id", key.transactionalId()));
    }

    /**
     * The record's value bytes in {@code record.valueVersion()}, or null for a tombstone. Version 0 has
     * no tagged fields, so the previous and next producer ids and the client transaction version are
     * not written there (Kafka sets them only for version 1).
     */
    public static byte[] serializeValue(TransactionRecord record) {
        TransactionLogValue value = record.value();
        if (value == null) {
            return null;
        }
        boolean flexible = record.valueVersion() >= 1;
        Struct struct = new Struct(flexible ? VALUE_V1 : VALUE_V0)
                .set("producer_id", value.producerId())
                .set("producer_epoch", value.producerEpoch())
                .set("transaction_timeout_ms", value.transactionTimeoutMs())
                .set("transaction_status", value.status())
                .set("transaction_partitions", partitions(value.partitions(), flexible ? PARTITIONS_V1 : PARTITIONS_V0, flexible))
                .set("transaction_last_update_timestamp_ms", value.lastUpdateTimestampMs())
                .set("transaction_start_timestamp_ms", value.startTimestampMs());
        if (flexible) {
            struct.set("_tagged_fields", taggedFields(value));
        }
        return write(record.valueVersion(), struct);
    }

    /**
     * Reads a record from its key and value ({@code value} null for a tombstone).
     *
     * @return the record, or null for a record type other than a transaction's, which the loader skips
     * @throws IllegalArgumentException if the bytes are not a valid transaction record
     */
    public static TransactionRecord deserialize(ByteBuffer key, ByteBuffer value) {
        try {
            ByteBuffer keyBytes = key.duplicate();
            if (keyBytes.getShort() != RECORD_TYPE) {
                return null;
            }
            TransactionLogKey recordKey = new TransactionLogKey(KEY.read(keyBytes).getString("transactional_id"));
            if (value == null) {
                return new TransactionRecord(recordKey, null, (short) 0);
            }
            ByteBuffer valueBytes = value.duplicate();
            short version = valueBytes.getShort();
            return new TransactionRecord(recordKey, readValue(version, valueBytes), version);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable __transaction_state record: " + e.getMessage(), e);
        }
    }

    private static TransactionLogValue readValue(short version, ByteBuffer bytes) {
        if (version != 0 && version != 1) {
            throw new IllegalArgumentException("unknown value version " + version);
        }
        Struct s = (version == 0 ? VALUE_V0 : VALUE_V1).read(bytes);
        Map<?, ?> tags = version == 0 ? Map.of() : (Map<?, ?>) s.get("_tagged_fields");
        return new TransactionLogValue(
                s.getLong("producer_id"),
                tagOr(tags, PREVIOUS_PRODUCER_ID_TAG, NO_PRODUCER_ID),
                tagOr(tags, NEXT_PRODUCER_ID_TAG, NO_PRODUCER_ID),
                s.getShort("producer_epoch"),
                tagOr(tags, NEXT_PRODUCER_EPOCH_TAG, NO_PRODUCER_EPOCH),
                s.getInt("transaction_timeout_ms"),
                (Byte) s.get("transaction_status"),
                readPartitions(s.getArray("transaction_partitions")),
                s.getLong("transaction_last_update_timestamp_ms"),
                s.getLong("transaction_start_timestamp_ms"),
                tagOr(tags, CLIENT_TRANSACTION_VERSION_TAG, (short) 0));
    }

    /** Kafka writes a tagged field only when it differs from its default, in tag order. */
    private static NavigableMap<Integer, Object> taggedFields(TransactionLogValue value) {
        NavigableMap<Integer, Object> tags = new TreeMap<>();
        if (value.previousProducerId() != NO_PRODUCER_ID) {
            tags.put(PREVIOUS_PRODUCER_ID_TAG, value.previousProducerId());
        }
        if (value.nextProducerId() != NO_PRODUCER_ID) {
            tags.put(NEXT_PRODUCER_ID_TAG, value.nextProducerId());
        }
        if (value.clientTransactionVersion() != 0) {
            tags.put(CLIENT_TRANSACTION_VERSION_TAG, value.clientTransactionVersion());
        }
        if (value.nextProducerEpoch() != NO_PRODUCER_EPOCH) {
            tags.put(NEXT_PRODUCER_EPOCH_TAG, value.nextProducerEpoch());
        }
        return tags;
    }

    @SuppressWarnings("unchecked")
    private static <T> T tagOr(Map<?, ?> tags, int tag, T defaultValue) {
        Object raw = tags.get(tag);
        return raw == null ? defaultValue : (T) raw;
    }

    /** Groups the partitions by topic, topics in their first appearance order; null stays null. */
    private static Object[] partitions(List<TopicPartition> partitions, Schema schema, boolean flexible) {
        if (partitions == null) {
            return null;
        }
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), topic -> new ArrayList<>()).add(tp.partition());
        }
        return byTopic.entrySet().stream().map(e -> {
            Struct topic = new Struct(schema).set("topic", e.getKey()).set("partition_ids", e.getValue().toArray());
            return flexible ? topic.set("_tagged_fields", new TreeMap<Integer, Object>()) : topic;
        }).toArray();
    }

    private static List<TopicPartition> readPartitions(Object[] topics) {
        if (topics == null) {
            return null;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (Object element : topics) {
            Struct topic = (Struct) element;
            for (Object partition : topic.getArray("partition_ids")) {
                partitions.add(new TopicPartition(topic.getString("topic"), (Integer) partition));
            }
        }
        return partitions;
    }

    private static byte[] write(short version, Struct struct) {
        ByteBuffer buffer = ByteBuffer.allocate(2 + struct.sizeOf());
        buffer.putShort(version);
        struct.writeTo(buffer);
        return buffer.array();
    }
}
