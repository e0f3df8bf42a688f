package io.runnel.group.runtime;

import io.runnel.coordinator.runtime.CoordinatorWriteException;
import io.runnel.group.record.GroupRecord;
import java.util.ArrayList;
import java.util.List;

/** A record writer for tests: keeps what was written, and can be told to fail the next writes. */
public final class RecordingWriter implements GroupRecordWriter {

    private final List<GroupRecord> written = new ArrayList<>();
    private boolean failing;

    @Override
    public void write(String groupId, List<GroupRecord> records) {
        if (failing) {
            throw new CoordinatorWriteException("injected write failure", new java.io.IOException("disk full"));
        }
        for (GroupRecord record : records) {
            if (!record.groupId().equals(groupId)) {
                throw new AssertionError("record for " + record.groupId() + " written under " + groupId);
            }
        }
        written.addAll(records);
    }

    /** Every record written so far, in order. */
    public List<GroupRecord> written() {
        return List.copyOf(written);
    }

    /** Forgets what was written. */
    public void clear() {
        written.clear();
    }

    /** Makes later writes fail (true) or succeed again (false). */
    public void failWrites(boolean failing) {
        this.failing = failing;
    }
}
