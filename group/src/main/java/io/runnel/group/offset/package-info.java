/** Committed offsets: commit, fetch, delete and expiry, kept as offset records in {@code __consumer_offsets}. */
package io.runnel.group.offset;
