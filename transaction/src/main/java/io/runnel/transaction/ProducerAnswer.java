package io.runnel.transaction;

import org.apache.kafka.common.protocol.Errors;

/**
 * The answer to InitProducerId or EndTxn: an error, or the producer id and epoch the client uses next
 * (EndTxn v5 carries them; older versions ignore them).
 */
public record ProducerAnswer(Errors error, long producerId, short producerEpoch) {

    public static ProducerAnswer of(Errors error) {
        return new ProducerAnswer(error, TransactionMetadata.NO_PRODUCER_ID, TransactionMetadata.NO_PRODUCER_EPOCH);
    }

    public static ProducerAnswer ok(long producerId, short producerEpoch) {
        return new ProducerAnswer(Errors.NONE, producerId, producerEpoch);
    }
}
