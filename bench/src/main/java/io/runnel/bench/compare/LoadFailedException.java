package io.runnel.bench.compare;

/** A load that did not complete: it failed, timed out, or printed no figures. The message says which. */
final class LoadFailedException extends Exception {

    LoadFailedException(String message) {
        super(message);
    }
}
