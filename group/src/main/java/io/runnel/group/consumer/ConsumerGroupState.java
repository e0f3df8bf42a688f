package io.runnel.group.consumer;

/** The state of a consumer group, named as Kafka's {@code ConsumerGroup.ConsumerGroupState}. */
public enum ConsumerGroupState {
    /** No members. */
    EMPTY("Empty"),
    /** The group epoch is ahead of the target assignment: a new assignment must be computed. */
    ASSIGNING("Assigning"),
    /** Some member has not yet reached the target assignment. */
    RECONCILING("Reconciling"),
    /** Every member owns exactly its target assignment. */
    STABLE("Stable"),
    /** The group was deleted or converted. */
    DEAD("Dead");

    private final String displayName;

    ConsumerGroupState(String displayName) {
        this.displayName = displayName;
    }

    /** The name ListGroups and ConsumerGroupDescribe report, e.g. "Stable". */
    @Override
    public String toString() {
        return displayName;
    }
}
