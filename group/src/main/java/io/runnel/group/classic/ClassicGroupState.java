package io.runnel.group.classic;

/**
 * The states of a classic group, named as Kafka names them, with the transitions Kafka allows.
 * <pre>
 *   Empty --join--> PreparingRebalance --join phase done--> CompletingRebalance --leader sync--> Stable
 *     ^                 |    ^                                   |                                  |
 *     +--all left-------+    +------ member joins, leaves, fails or changes metadata ----------------+
 *   any state --unload or delete--> Dead
 * </pre>
 */
public enum ClassicGroupState {

    /** No members; offsets may still be committed by generation -1 (simple) clients. */
    EMPTY("Empty"),
    /** Waiting for every member to (re)join before the next generation starts. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** A new generation started; waiting for the leader's assignment in SyncGroup. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has its assignment for the current generation. */
    STABLE("Stable"),
    /** Removed from this coordinator; a final state. */
    DEAD("Dead");

    private final String wireName;

    ClassicGroupState(String wireName) {
        this.wireName = wireName;
    }

    /** The name Kafka reports in DescribeGroups and ListGroups, e.g. "PreparingRebalance". */
    public String wireName() {
        return wireName;
    }

    /** Whether Kafka allows moving from {@code previous} to this state. */
    public boolean canFollow(ClassicGroupState previous) {
        return switch (this) {
            case EMPTY -> previous == PREPARING_REBALANCE;
            case PREPARING_REBALANCE -> previous == STABLE || previous == COMPLETING_REBALANCE || previous == EMPTY;
            case COMPLETING_REBALANCE -> previous == PREPARING_REBALANCE;
            case STABLE -> previous == COMPLETING_REBALANCE;
            case DEAD -> true;
        };
    }

    @Override
    public String toString() {
        return wireName;
    }
}
