package io.runnel.storage.segment;

import java.io.IOException;

/**
 * A write to a segment (or the indexing after it) failed and cutting the file back to its last whole batch failed too: the
 * file may end in a partial batch, so nothing more may be appended to it (nor read from it trusting
 * its size) until recovery truncates it on the next start. Immutable.
 */
public final class UndoFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    public UndoFailedException(String message, Throwable writeFailure, IOException undoFailure) {
        super(message, writeFailure);
        addSuppressed(undoFailure);
    }
}
