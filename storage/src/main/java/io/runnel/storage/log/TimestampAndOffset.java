package io.runnel.storage.log;

import java.util.Optional;

/** A record's timestamp and offset, and the leader epoch of its batch if known (ListOffsets answer). */
public record TimestampAndOffset(long timestamp, long offset, Optional<Integer> leaderEpoch) {
}
