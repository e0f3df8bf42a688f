package io.runnel.transaction.record;

import org.apache.kafka.common.protocol.types.ArrayOf;
import org.apache.kafka.common.protocol.types.CompactArrayOf;
import org.apache.kafka.common.protocol.types.Field;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.Type;

/**
 * The byte layouts of {@code __transaction_state} records, the same as Kafka's.
 *
 * <pre>
 * key:   int16 record type (0) | string transactional_id
 * value: int16 version | int64 producer_id | int16 producer_epoch | int32 transaction_timeout_ms
 *        | int8 transaction_status | nullable [ {topic, [int32] partition_ids} ] transaction_partitions
 *        | int64 transaction_last_update_timestamp_ms | int64 transaction_start_timestamp_ms
 *        [v1: | tagged fields 0 previous_producer_id, 1 next_producer_id,
 *                2 client_transaction_version, 3 next_producer_epoch]
 * </pre>
 * Version 1 is flexible: compact strings and arrays, and a tagged-field section after each struct.
 */
final class TransactionLogSchemas {

    /** The coordinator record type of a transaction record; it used to be the key version. */
    static final short RECORD_TYPE = 0;

    static final int PREVIOUS_PRODUCER_ID_TAG = 0;
    static final int NEXT_PRODUCER_ID_TAG = 1;
    static final int CLIENT_TRANSACTION_VERSION_TAG = 2;
    static final int NEXT_PRODUCER_EPOCH_TAG = 3;

    static final Schema KEY = new Schema(new Field("transactional_id", Type.STRING));

    static final Schema PARTITIONS_V0 = new Schema(
            new Field("topic", Type.STRING), new Field("partition_ids", new ArrayOf(Type.INT32)));
    static final Schema VALUE_V0 = new Schema(
            new Field("producer_id", Type.INT64), new Field("producer_epoch", Type.INT16),
            new Field("transaction_timeout_ms", Type.INT32), new Field("transaction_status", Type.INT8),
            new Field("transaction_partitions", ArrayOf.nullable(PARTITIONS_V0)),
            new Field("transaction_last_update_timestamp_ms", Type.INT64),
            new Field("transaction_start_timestamp_ms", Type.INT64));

    static final Schema PARTITIONS_V1 = new Schema(
            new Field("topic", Type.COMPACT_STRING), new Field("partition_ids", new CompactArrayOf(Type.INT32)),
            Field.TaggedFieldsSection.of());
    static final Schema VALUE_V1 = new Schema(
            new Field("producer_id", Type.INT64), new Field("producer_epoch", Type.INT16),
            new Field("transaction_timeout_ms", Type.INT32), new Field("transaction_status", Type.INT8),
            new Field("transaction_partitions", CompactArrayOf.nullable(PARTITIONS_V1)),
            new Field("transaction_last_update_timestamp_ms", Type.INT64),
            new Field("transaction_start_timestamp_ms", Type.INT64),
            Field.TaggedFieldsSection.of(
                    PREVIOUS_PRODUCER_ID_TAG, new Field("previous_producer_id", Type.INT64),
                    NEXT_PRODUCER_ID_TAG, new Field("next_producer_id", Type.INT64),
                    CLIENT_TRANSACTION_VERSION_TAG, new Field("client_transaction_version", Type.INT16),
                    NEXT_PRODUCER_EPOCH_TAG, new Field("next_producer_epoch", Type.INT16)));

    private TransactionLogSchemas() {
    }
}
