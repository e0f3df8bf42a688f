/**
 * Committed offsets: commit, fetch, delete and expiry, kept as offset records in {@code __consumer_offsets};
 * and the offsets of open transactions (TxnOffsetCommit), pending per producer id until the transaction's marker.
 */
package io.runnel.group.offset;
