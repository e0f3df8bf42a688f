package io.runnel.broker.handler.txn;

import org.apache.kafka.common.protocol.Errors;

/** Kafka's mapping of coordinator errors down to what old request versions know. */
public final class TxnErrors {

    private TxnErrors() {
    }

    /**
     * PRODUCER_FENCED as old versions know it: INVALID_PRODUCER_EPOCH below {@code fencedSince}
     * (InitProducerId v4, AddPartitionsToTxn, AddOffsetsToTxn and EndTxn v2).
     */
    public static Errors forVersion(Errors error, short version, int fencedSince) {
        return error == Errors.PRODUCER_FENCED && version < fencedSince ? Errors.INVALID_PRODUCER_EPOCH : error;
    }
}
