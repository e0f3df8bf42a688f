package io.runnel.group;

/** The protocol a group speaks, with the name ListGroups reports (KIP-848). */
public enum GroupType {
    /** JoinGroup/SyncGroup/Heartbeat with client-side assignment. */
    CLASSIC("classic"),
    /** ConsumerGroupHeartbeat with server-side assignment (KIP-848). */
    CONSUMER("consumer");

    private final String wireName;

    GroupType(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire, as in ListGroups' types filter. */
    public String wireName() {
        return wireName;
    }
}
