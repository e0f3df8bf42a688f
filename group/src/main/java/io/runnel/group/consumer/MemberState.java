package io.runnel.group.consumer;

/**
 * Where a member is in reconciling its current assignment towards its target, with the byte stored
 * in the CurrentAssignment record (Kafka's {@code MemberState}).
 */
public enum MemberState {
    /** The member owns its target assignment, or is about to receive free partitions of it. */
    STABLE((byte) 0),
    /** The member must first give up partitions before it may move to the next epoch. */
    UNREVOKED_PARTITIONS((byte) 1),
    /** The member waits for partitions that other members still own. */
    UNRELEASED_PARTITIONS((byte) 2),
    /** A state this coordinator does not know; the member is fenced and rejoins. */
    UNKNOWN((byte) 3);

    private final byte value;

    MemberState(byte value) {
        this.value = value;
    }

    /** The value persisted in the CurrentAssignment record. */
    public byte value() {
        return value;
    }

    /** The state for a persisted value; unknown values map to {@link #UNKNOWN}. */
    public static MemberState fromValue(byte value) {
        for (MemberState state : values()) {
            if (state.value == value) {
                return state;
            }
        }
        return UNKNOWN;
    }
}
