package io.runnel.group.record;

import java.util.Objects;

/**
 * One record in {@code __consumer_offsets}: a key and its value, or a tombstone (no value) that
 * deletes what the key names. Immutable.
 */
public record GroupRecord(GroupRecordKey key, GroupRecordValue value) {

    public GroupRecord {
        Objects.requireNonNull(key, "key");
    }

    /** A record setting {@code key} to {@code value}. */
    public static GroupRecord of(GroupRecordKey key, GroupRecordValue value) {
        return new GroupRecord(key, Objects.requireNonNull(value, "value"));
    }

    /** A tombstone deleting what {@code key} names. */
    public static GroupRecord tombstone(GroupRecordKey key) {
        return new GroupRecord(key, null);
    }

    /** Whether this record deletes its key. */
    public boolean isTombstone() {
        return value == null;
    }

    /** The group the record belongs to; it decides the partition. */
    public String groupId() {
        return key.groupId();
    }
}
