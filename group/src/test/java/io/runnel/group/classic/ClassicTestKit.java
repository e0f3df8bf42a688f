package io.runnel.group.classic;

import io.runnel.group.GroupConfig;
import io.runnel.group.GroupRegistry;
import io.runnel.group.GroupRequestContext;
import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordValue;
import io.runnel.group.runtime.ManualScheduler;
import io.runnel.group.runtime.RecordingWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/** A classic group manager on a manual clock and a recording writer, with request shortcuts for tests. */
final class ClassicTestKit {

    static final String GROUP = "group-1";
    static final int SESSION_MS = 10_000;
    static final int REBALANCE_MS = 60_000;
    static final int INITIAL_DELAY_MS = 3_000;
    static final short LATEST_JOIN = 9;
    static final short LATEST_SYNC = 5;
    static final short LATEST_HEARTBEAT = 4;
    static final short LATEST_LEAVE = 5;

    final GroupRegistry groups = new GroupRegistry();
    final ManualScheduler scheduler = new ManualScheduler(1_000_000L);
    final RecordingWriter writer = new RecordingWriter();
    final ClassicGroupManager manager;

    ClassicTestKit() {
        this(Integer.MAX_VALUE, INITIAL_DELAY_MS);
    }

    ClassicTestKit(int maxSize, int initialDelayMs) {
        manager = new ClassicGroupManager(groups, scheduler, writer, config(maxSize, initialDelayMs));
    }

    static GroupConfig config(int maxSize, int initialDelayMs) {
        return new GroupConfig(50, 7L * 24 * 60 * 60 * 1000, 600_000, 4096, 6_000, 300_000, initialDelayMs, maxSize,
                45_000, 45_000, 60_000, 5_000, Integer.MAX_VALUE, List.of("uniform", "range"));
    }

    static GroupRequestContext ctx(short version) {
        return new GroupRequestContext("client", "/127.0.0.1", version);
    }

    static byte[] subscription(String... topics) {
        return ConsumerProtocol.serializeSubscription(new Subscription(List.of(topics))).array();
    }

    static byte[] assignmentOf(String memberId) {
        return ("assignment-" + memberId).getBytes(StandardCharsets.UTF_8);
    }

    /** Protocols with these names, in this order of preference, each subscribing to "topic-a". */
    static JoinGroupRequestProtocolCollection protocols(String... names) {
        JoinGroupRequestProtocolCollection collection = new JoinGroupRequestProtocolCollection();
        for (String name : names) {
            collection.add(new JoinGroupRequestProtocol().setName(name).setMetadata(subscription("topic-a")));
        }
        return collection;
    }

    static JoinGroupRequestData joinRequest(String memberId) {
        return new JoinGroupRequestData()
                .setGroupId(GROUP)
                .setMemberId(memberId)
                .setProtocolType("consumer")
                .setProtocols(protocols("range"))
                .setSessionTimeoutMs(SESSION_MS)
                .setRebalanceTimeoutMs(REBALANCE_MS);
    }

    static JoinGroupRequestData staticJoinRequest(String memberId, String instanceId) {
        return joinRequest(memberId).setGroupInstanceId(instanceId);
    }

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request) {
        return join(request, LATEST_JOIN);
    }

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request, short version) {
        CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
        manager.joinGroup(ctx(version), request, response);
        return response;
    }

    /** A dynamic member's v9 join: MEMBER_ID_REQUIRED, then the rejoin with the given id (parked or answered). */
    CompletableFuture<JoinGroupResponseData> joinDynamic() {
        JoinGroupResponseData first = join(joinRequest("")).join();
        if (first.errorCode() != Errors.MEMBER_ID_REQUIRED.code()) {
            throw new AssertionError("expected MEMBER_ID_REQUIRED, got " + Errors.forCode(first.errorCode()));
        }
        return join(joinRequest(first.memberId()));
    }

    /** Joins {@code count} dynamic members into a new group and lets the initial delay end. */
    List<JoinGroupResponseData> joinMembers(int count) {
        List<CompletableFuture<JoinGroupResponseData>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(joinDynamic());
        }
        return awaitAll(futures);
    }

    /** Advances by the initial delay until every future is done (at most up to the rebalance timeout). */
    List<JoinGroupResponseData> awaitAll(List<CompletableFuture<JoinGroupResponseData>> futures) {
        for (int waited = 0; waited <= REBALANCE_MS && !futures.stream().allMatch(CompletableFuture::isDone);
             waited += INITIAL_DELAY_MS) {
            scheduler.advance(INITIAL_DELAY_MS);
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /** A Stable group of {@code count} dynamic members; the leader assigned {@link #assignmentOf} to each. */
    List<JoinGroupResponseData> stableGroup(int count) {
        List<JoinGroupResponseData> joined = joinMembers(count);
        syncAll(joined);
        return joined;
    }

    /** Every member syncs, followers first; the leader assigns {@link #assignmentOf} to each member. */
    List<SyncGroupResponseData> syncAll(List<JoinGroupResponseData> joined) {
        JoinGroupResponseData leader = leaderOf(joined);
        List<CompletableFuture<SyncGroupResponseData>> syncs = new ArrayList<>();
        for (JoinGroupResponseData member : joined) {
            if (member != leader) {
                syncs.add(sync(member.memberId(), member.generationId(), Map.of()));
            }
        }
        Map<String, byte[]> assignments = new LinkedHashMap<>();
        joined.forEach(member -> assignments.put(member.memberId(), assignmentOf(member.memberId())));
        syncs.add(sync(leader.memberId(), leader.generationId(), assignments));
        return syncs.stream().map(CompletableFuture::join).toList();
    }

    static JoinGroupResponseData leaderOf(List<JoinGroupResponseData> joined) {
        return joined.stream().filter(r -> r.leader().equals(r.memberId())).findFirst().orElseThrow();
    }

    static List<JoinGroupResponseData> followersOf(List<JoinGroupResponseData> joined) {
        return joined.stream().filter(r -> !r.leader().equals(r.memberId())).toList();
    }

    CompletableFuture<SyncGroupResponseData> sync(String memberId, int generation, Map<String, byte[]> assignments) {
        return sync(syncRequest(memberId, generation, assignments));
    }

    static SyncGroupRequestData syncRequest(String memberId, int generation, Map<String, byte[]> assignments) {
        List<SyncGroupRequestAssignment> list = new ArrayList<>();
        assignments.forEach((id, bytes) -> list.add(new SyncGroupRequestAssignment().setMemberId(id).setAssignment(bytes)));
        return new SyncGroupRequestData().setGroupId(GROUP).setMemberId(memberId).setGenerationId(generation)
                .setProtocolType("consumer").setProtocolName("range").setAssignments(list);
    }

    CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData request) {
        CompletableFuture<SyncGroupResponseData> response = new CompletableFuture<>();
        manager.syncGroup(ctx(LATEST_SYNC), request, response);
        return response;
    }

    HeartbeatResponseData heartbeat(String memberId, int generation) {
        return heartbeat(memberId, null, generation);
    }

    HeartbeatResponseData heartbeat(String memberId, String instanceId, int generation) {
        return manager.heartbeat(ctx(LATEST_HEARTBEAT), new HeartbeatRequestData().setGroupId(GROUP)
                .setMemberId(memberId).setGroupInstanceId(instanceId).setGenerationId(generation));
    }

    LeaveGroupResponseData leave(MemberIdentity... members) {
        return manager.leaveGroup(ctx(LATEST_LEAVE), new LeaveGroupRequestData().setGroupId(GROUP)
                .setMembers(List.of(members)));
    }

    static MemberIdentity member(String memberId) {
        return new MemberIdentity().setMemberId(memberId);
    }

    ClassicGroup group() {
        return manager.group(GROUP);
    }

    /** The value of the last record written. */
    GroupRecordValue.ClassicGroup lastRecord() {
        List<GroupRecord> written = writer.written();
        return (GroupRecordValue.ClassicGroup) written.get(written.size() - 1).value();
    }

    static Errors error(short code) {
        return Errors.forCode(code);
    }
}
