package io.runnel.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

/**
 * A classic-protocol group member driven by hand over a {@link RawKafkaConnection}: it joins (answering
 * MEMBER_ID_REQUIRED as a client does), syncs as the leader of a group of one, and remembers its member
 * id and generation so a test can send the next request, right or deliberately wrong.
 */
public final class RawGroupMember {

    /** The protocol type and name every member here declares. */
    public static final String PROTOCOL_TYPE = "consumer";
    public static final String PROTOCOL_NAME = "range";

    private final RawKafkaConnection connection;
    private final String groupId;
    private final String instanceId;
    private String memberId = "";
    private int generation = -1;

    private RawGroupMember(RawKafkaConnection connection, String groupId, String instanceId) {
        this.connection = connection;
        this.groupId = groupId;
        this.instanceId = instanceId;
    }

    /** A member of {@code groupId} that has not joined yet; {@code instanceId} may be null (dynamic member). */
    public static RawGroupMember of(RawKafkaConnection connection, String groupId, String instanceId) {
        return new RawGroupMember(connection, groupId, instanceId);
    }

    /** The consumer protocol's subscription bytes for {@code topic}. */
    public static byte[] subscription(String topic) {
        return Utils.toArray(ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(List.of(topic))));
    }

    /** The consumer protocol's assignment bytes for {@code partitions}. */
    public static byte[] assignment(List<TopicPartition> partitions) {
        return Utils.toArray(ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(partitions)));
    }

    /** The JoinGroup request this member sends at {@code version}. */
    public JoinGroupRequestData joinRequest(String topic, int sessionTimeoutMs) {
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(groupId).setMemberId(memberId)
                .setGroupInstanceId(instanceId).setSessionTimeoutMs(sessionTimeoutMs).setRebalanceTimeoutMs(sessionTimeoutMs)
                .setProtocolType(PROTOCOL_TYPE);
        request.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName(PROTOCOL_NAME).setMetadata(subscription(topic)));
        return request;
    }

    /**
     * Joins at {@code version}, retrying once with the member id the coordinator hands out (v4+), and
     * returns the final answer; the member id and generation are kept when it succeeds.
     */
    public JoinGroupResponseData join(short version, String topic, int sessionTimeoutMs) {
        JoinGroupResponseData response = connection.call(ApiKeys.JOIN_GROUP, version, joinRequest(topic, sessionTimeoutMs));
        if (response.errorCode() == Errors.MEMBER_ID_REQUIRED.code()) {
            memberId = response.memberId();
            response = connection.call(ApiKeys.JOIN_GROUP, version, joinRequest(topic, sessionTimeoutMs));
        }
        if (response.errorCode() == Errors.NONE.code()) {
            memberId = response.memberId();
            generation = response.generationId();
        }
        return response;
    }

    /** The SyncGroup request a leader of a group of one sends, giving itself {@code partitions}. */
    public SyncGroupRequestData syncRequest(List<TopicPartition> partitions) {
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId(groupId).setMemberId(memberId).setGenerationId(generation)
                .setGroupInstanceId(instanceId).setProtocolType(PROTOCOL_TYPE).setProtocolName(PROTOCOL_NAME);
        request.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(memberId)
                .setAssignment(assignment(partitions)));
        return request;
    }

    /** Syncs at {@code version} as the leader of a group of one. */
    public SyncGroupResponseData sync(short version, List<TopicPartition> partitions) {
        return connection.call(ApiKeys.SYNC_GROUP, version, syncRequest(partitions));
    }

    /** Joins and syncs with the newest versions, asserting both succeed: the group is then Stable with this member. */
    public RawGroupMember joinAndSync(String topic, int sessionTimeoutMs, List<TopicPartition> partitions) {
        JoinGroupResponseData joined = join((short) 9, topic, sessionTimeoutMs);
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        SyncGroupResponseData synced = sync((short) 5, partitions);
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        assertThat(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(synced.assignment())).partitions())
                .containsExactlyInAnyOrderElementsOf(partitions);
        return this;
    }

    public String groupId() {
        return groupId;
    }

    public String memberId() {
        return memberId;
    }

    public int generation() {
        return generation;
    }

    public String instanceId() {
        return instanceId;
    }
}
