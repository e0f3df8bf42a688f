package io.runnel.storage.segment;

import java.nio.file.Path;

/**
 * Kafka's file naming inside a partition directory: {@code <20-digit zero-padded base offset><suffix>},
 * e.g. {@code 00000000000000001234.log}. Stateless.
 */
public enum SegmentFiles {
    LOG(".log"),
    OFFSET_INDEX(".index"),
    TIME_INDEX(".timeindex");

    /** Appended to files removed by retention until their delayed deletion runs. */
    public static final String DELETED_SUFFIX = ".deleted";

    private final String suffix;

    SegmentFiles(String suffix) {
        this.suffix = suffix;
    }

    public Path path(Path dir, long baseOffset) {
        return dir.resolve(String.format("%020d", baseOffset) + suffix);
    }

    /** The base offset named by {@code file} if it has this suffix and a numeric name, else -1. */
    public long baseOffsetOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix) || name.length() == suffix.length()) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, name.length() - suffix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
