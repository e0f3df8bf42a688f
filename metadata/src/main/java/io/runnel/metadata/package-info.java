/**
 * Cluster metadata: topics, their ids, partition counts and configs, and producer-id allocation.
 *
 * <p>State changes are {@link io.runnel.metadata.MetadataRecord}s appended durably to a metadata log and
 * replayed into an immutable {@link io.runnel.metadata.MetadataImage}; restart is replay. On one node the
 * log is a local file ({@link io.runnel.metadata.LocalMetadataLog}); a Raft quorum takes its place in a
 * cluster, with the same records and the same replay.
 */
package io.runnel.metadata;
