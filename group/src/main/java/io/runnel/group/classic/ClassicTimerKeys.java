package io.runnel.group.classic;

/** Scheduler keys of the classic protocol's timers, unique per group (and member). */
final class ClassicTimerKeys {

    private ClassicTimerKeys() {
    }

    /** The session timeout of one member (or pending member). */
    static String heartbeat(String groupId, String memberId) {
        return "classic-heartbeat/" + groupId + "/" + memberId;
    }

    /** The end of the group's join phase (initial delay or rebalance timeout). */
    static String join(String groupId) {
        return "classic-join/" + groupId;
    }

    /** The end of the group's sync phase: members that have not synced by then are removed. */
    static String sync(String groupId) {
        return "classic-sync/" + groupId;
    }
}
