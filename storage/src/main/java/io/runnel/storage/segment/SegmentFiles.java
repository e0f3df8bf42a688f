package io.runnel.storage.segment;

import java.nio.file.Path;

/**
 * Kafka's file naming inside a partition directory: {@code <20-digit zero-padded base offset><suffix>},
 * e.g. {@code 00000000000000001234.log}. Stateless.
 */
public enum SegmentFiles {
    LOG(".log"),
    OFFSET_INDEX(".index"),
    TIME_INDEX(".timeindex"),
    /** Aborted transactions whose marker is in the segment; present only once there is one. */
    TXN_INDEX(".txnindex");

    /** Appended to files removed by retention or replaced by cleaning until their delayed deletion runs. */
    public static final String DELETED_SUFFIX = ".deleted";
    /** Appended to the files of a segment the log cleaner is writing; such files are never part of the log. */
    public static final String CLEANED_SUFFIX = ".cleaned";
    /** Appended to a cleaned segment's files once complete: from then on it replaces the segments it covers. */
    public static final String SWAP_SUFFIX = ".swap";

    private final String suffix;

    SegmentFiles(String suffix) {
        this.suffix = suffix;
    }

    public Path path(Path dir, long baseOffset) {
        return path(dir, baseOffset, "");
    }

    /** The file's path with {@code extra} (such as {@link #SWAP_SUFFIX}) appended, or none for "". */
    public Path path(Path dir, long baseOffset, String extra) {
        return dir.resolve(String.format("%020d", baseOffset) + suffix + extra);
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
