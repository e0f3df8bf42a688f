package io.runnel.broker.txn;

import io.runnel.transaction.TxnMarkers;
import org.apache.kafka.common.TopicPartition;

/** One marker on its way: a partition of a prepared transaction. */
record PendingMarker(TxnMarkers transaction, TopicPartition partition) {
}
