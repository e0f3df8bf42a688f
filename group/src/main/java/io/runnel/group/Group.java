package io.runnel.group;

import io.runnel.group.record.GroupRecord;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * A group as the parts of the coordinator that do not care about its protocol see it: listing,
 * deleting, and checking who may commit or fetch its offsets. Implemented by the classic and the
 * consumer (KIP-848) group. Confined to the coordinator thread.
 */
public interface Group {

    /** The group id. */
    String groupId();

    /** Which protocol the group speaks. */
    GroupType type();

    /** The protocol type ListGroups reports: "consumer" for consumer groups, the members' choice for classic ones. */
    String protocolType();

    /** The state name ListGroups and describe report, spelled as Kafka spells it (e.g. "Stable"). */
    String stateName();

    /** Whether the group has no members. */
    boolean isEmpty();

    /** Whether some member is subscribed to {@code topic}: its offsets then neither expire nor may be deleted. */
    boolean isSubscribedTo(String topic);

    /**
     * The time an offset's retention counts from, as Kafka's {@code offsetExpirationCondition}: its
     * commit time, or the time the group emptied (classic groups); -1 when the group's offsets
     * cannot expire in its present state (a classic group with members, unless it is a stable
     * consumer group, whose offsets of topics it no longer reads do expire).
     */
    long offsetExpiryBaseMs(long commitTimestampMs);

    /**
     * Checks the member fields of an OffsetCommit (or TxnOffsetCommit).
     *
     * @param generationIdOrMemberEpoch the classic generation or the consumer member epoch, -1 for a
     *                                  commit from outside the group
     * @param isTransactional           a TxnOffsetCommit (KIP-447): classic groups accept one naming no
     *                                  member while not Empty, and one while CompletingRebalance; consumer
     *                                  groups do not require OffsetCommit v9 of it
     * @return {@link Errors#NONE} if the commit may proceed, else Kafka's error for it
     */
    Errors validateOffsetCommit(String memberId, String groupInstanceId, int generationIdOrMemberEpoch, boolean isTransactional,
                                short apiVersion);

    /**
     * Checks the member fields of an OffsetFetch (only consumer groups use them; from v9).
     *
     * @param memberEpoch -1 when the request names no member
     */
    Errors validateOffsetFetch(String memberId, int memberEpoch, short apiVersion);

    /**
     * Tombstones that delete the group's own records (not its offsets), written when the group is
     * deleted or converted to the other protocol.
     */
    List<GroupRecord> tombstones();
}
