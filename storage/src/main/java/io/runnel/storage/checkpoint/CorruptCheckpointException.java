package io.runnel.storage.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint or metadata file exists but cannot be parsed. */
public final class CorruptCheckpointException extends IOException {
    public CorruptCheckpointException(Path file, String reason) {
        super("Malformed file " + file + ": " + reason);
    }
}
