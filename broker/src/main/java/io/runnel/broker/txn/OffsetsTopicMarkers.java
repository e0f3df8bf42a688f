package io.runnel.broker.txn;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Where a transaction marker for a {@code __consumer_offsets} partition goes: to the group coordinator,
 * which writes it and applies the transaction's offsets (Kafka's {@code GroupCoordinator.completeTransaction}),
 * or, until that is wired, to the log like any other partition's marker. Its answer is the partition's
 * WriteTxnMarkers error; COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS and NOT_COORDINATOR are
 * turned into NOT_LEADER_OR_FOLLOWER by {@link TxnMarkerWriter}, as Kafka's handler does. Called on
 * request handler threads; must not block.
 */
@FunctionalInterface
public interface OffsetsTopicMarkers {

    /** Writes the marker; the future may complete exceptionally with the Kafka exception of the failure. */
    CompletableFuture<Errors> write(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit,
                                    short transactionVersion);
}
