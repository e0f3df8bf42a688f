package io.runnel.transaction;

import org.apache.kafka.common.protocol.Errors;

/**
 * A check of an operation failed with a Kafka error that goes to the client as is. Thrown inside the
 * coordinator only, and turned into the answer at the operation's boundary; it carries no stack trace
 * because it is an answer, not a fault.
 */
final class TxnError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Errors error;

    TxnError(Errors error) {
        super(error.name(), null, false, false);
        this.error = error;
    }

    Errors error() {
        return error;
    }
}
