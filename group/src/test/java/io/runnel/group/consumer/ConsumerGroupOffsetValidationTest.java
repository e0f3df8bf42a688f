package io.runnel.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ConsumerGroupOffsetValidationTest {

    private final ConsumerGroupFixture fixture = new ConsumerGroupFixture();

    private ConsumerGroup joinedGroup() {
        fixture.topics.create("orders", 2);
        fixture.consumer("a", "orders").join();
        return fixture.group();
    }

    @Test
    void shouldAcceptACommitWithTheMembersCurrentEpoch() {
        assertThat(joinedGroup().validateOffsetCommit("a", null, 1, false, (short) 9)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldRejectACommitWithAStaleEpoch() {
        assertThat(joinedGroup().validateOffsetCommit("a", null, 0, false, (short) 9)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
    }

    @Test
    void shouldAcceptATransactionalCommitOfAConsumerProtocolMemberAtAnyVersion() {
        assertThat(joinedGroup().validateOffsetCommit("a", null, 1, false, (short) 8)).isEqualTo(Errors.UNSUPPORTED_VERSION);
        assertThat(fixture.group().validateOffsetCommit("a", null, 1, true, (short) 3)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldRejectACommitFromAnUnknownMember() {
        assertThat(joinedGroup().validateOffsetCommit("b", null, 1, false, (short) 9)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectACommitFromOutsideWhileTheGroupHasMembers() {
        assertThat(joinedGroup().validateOffsetCommit("", null, -1, false, (short) 9)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldAcceptACommitFromOutsideWhenTheGroupIsEmpty() {
        ConsumerGroup group = joinedGroup();
        TestConsumer a = new TestConsumer(fixture, "a", null, java.util.List.of("orders"));
        a.epoch = 1;
        a.leave(-1);

        assertThat(group.validateOffsetCommit("", null, -1, false, (short) 9)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldValidateTheMemberOfAVersionNineFetch() {
        ConsumerGroup group = joinedGroup();

        assertThat(group.validateOffsetFetch("a", 1, (short) 9)).isEqualTo(Errors.NONE);
        assertThat(group.validateOffsetFetch("a", 2, (short) 9)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(group.validateOffsetFetch("b", 1, (short) 9)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.validateOffsetFetch(null, -1, (short) 9)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldReportSubscribedTopicsIncludingRegexMatches() {
        ConsumerGroup group = joinedGroup();
        fixture.send(new org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData()
                .setGroupId(ConsumerGroupFixture.GROUP).setMemberId("r").setMemberEpoch(0).setRebalanceTimeoutMs(1000)
                .setSubscribedTopicRegex("pay.*").setTopicPartitions(java.util.List.of()));

        assertThat(group.isSubscribedTo("orders")).isTrue();
        assertThat(group.isSubscribedTo("payments")).isTrue();
        assertThat(group.isSubscribedTo("other")).isFalse();
    }
}
