package io.runnel.storage.cleaner;

/** A cleaning stopped before its end (the cleaner shuts down, or the log changed under it); nothing of it was kept. */
final class CleaningAbortedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CleaningAbortedException(String message) {
        super(message, null, false, false);
    }
}
