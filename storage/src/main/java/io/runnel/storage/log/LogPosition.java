package io.runnel.storage.log;

/**
 * An offset of the log together with where it lies on disk: the base offset of its segment and
 * the byte position in that segment's file. Lets readers bound a fetch without searching.
 */
record LogPosition(long offset, long segmentBaseOffset, int position) {
}
