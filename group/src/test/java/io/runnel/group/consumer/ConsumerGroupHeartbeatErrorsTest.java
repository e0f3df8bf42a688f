package io.runnel.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.group.GroupConfig;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConsumerGroupHeartbeatErrorsTest {

    private final ConsumerGroupFixture fixture = new ConsumerGroupFixture();

    private static ConsumerGroupHeartbeatRequestData validJoin() {
        return new ConsumerGroupHeartbeatRequestData()
                .setGroupId(ConsumerGroupFixture.GROUP)
                .setMemberId("m")
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(List.of("orders"))
                .setTopicPartitions(List.of());
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of((UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setMemberId(""), "MemberId can't be empty."),
                Arguments.of((UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setGroupId(" "), "GroupId can't be empty."),
                Arguments.of((UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setInstanceId(""), "InstanceId can't be empty."),
                Arguments.of((UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setRackId(""), "RackId can't be empty."),
                Arguments.of((UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setRebalanceTimeoutMs(-1),
                        "RebalanceTimeoutMs must be provided in first request."),
                Arguments.of((UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setTopicPartitions(null),
                        "TopicPartitions must be empty when (re-)joining."),
                Arguments.of((UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setSubscribedTopicNames(null),
                        "Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining."),
                Arguments.of((UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setMemberEpoch(-2),
                        "InstanceId can't be null."),
                Arguments.of((UnaryOperator<ConsumerGroupHeartbeatRequestData>) r -> r.setMemberEpoch(-3),
                        "MemberEpoch is invalid."));
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void shouldRejectInvalidRequestsWithKafkasMessage(UnaryOperator<ConsumerGroupHeartbeatRequestData> change, String message) {
        ConsumerGroupHeartbeatResponseData response = fixture.send(change.apply(validJoin()));

        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(response.errorMessage()).isEqualTo(message);
        assertThat(fixture.writer.written()).isEmpty();
    }

    @Test
    void shouldGenerateTheMemberIdForVersionZero() {
        fixture.apiVersion = 0;

        ConsumerGroupHeartbeatResponseData response = fixture.send(validJoin().setMemberId(""));

        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.memberId()).isNotEmpty();
        assertThat(fixture.group().members()).containsOnlyKeys(response.memberId());
    }

    @Test
    void shouldRejectAnUnknownAssignor() {
        ConsumerGroupHeartbeatResponseData response = fixture.send(validJoin().setServerAssignor("sticky"));

        assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_ASSIGNOR.code());
        assertThat(response.errorMessage()).isEqualTo("ServerAssignor sticky is not supported. Supported assignors: uniform, range.");
    }

    @Test
    void shouldRejectAnInvalidRegularExpression() {
        ConsumerGroupHeartbeatResponseData response = fixture.send(validJoin().setSubscribedTopicNames(null)
                .setSubscribedTopicRegex("orders-[a"));

        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
        assertThat(response.errorMessage()).startsWith("SubscribedTopicRegex `orders-[a` is not a valid regular expression: ");
        assertThat(fixture.groups.get(ConsumerGroupFixture.GROUP)).isNull();
    }

    @Test
    void shouldAssignTopicsMatchingARegularExpression() {
        fixture.topics.create("orders-eu", 1);
        fixture.topics.create("orders-us", 1);
        fixture.topics.create("payments", 1);

        ConsumerGroupHeartbeatResponseData response = fixture.send(validJoin().setSubscribedTopicNames(null)
                .setSubscribedTopicRegex("orders-.*"));

        assertThat(response.assignment().topicPartitions()).hasSize(2);
    }

    @Test
    void shouldAnswerUnknownMemberIdForAMemberTheGroupDoesNotKnow() {
        fixture.send(validJoin());

        ConsumerGroupHeartbeatResponseData response = fixture.send(new ConsumerGroupHeartbeatRequestData()
                .setGroupId(ConsumerGroupFixture.GROUP).setMemberId("stranger").setMemberEpoch(1));

        assertThat(response.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(response.errorMessage()).isEqualTo("Member stranger is not a member of group orders.");
    }

    @Test
    void shouldAnswerGroupIdNotFoundForAHeartbeatToAnUnknownGroup() {
        ConsumerGroupHeartbeatResponseData response = fixture.send(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("nowhere").setMemberId("m").setMemberEpoch(3));

        assertThat(response.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(response.errorMessage()).isEqualTo("Consumer group nowhere not found.");
    }

    @Test
    void shouldFenceAMemberWithAGreaterEpoch() {
        fixture.topics.create("orders", 2);
        fixture.send(validJoin());

        ConsumerGroupHeartbeatResponseData response = fixture.send(new ConsumerGroupHeartbeatRequestData()
                .setGroupId(ConsumerGroupFixture.GROUP).setMemberId("m").setMemberEpoch(7));

        assertThat(response.errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
        assertThat(response.errorMessage()).isEqualTo("The consumer group member has a greater member epoch (7) than "
                + "the one known by the group coordinator (1). The member must abandon all its partitions and rejoin.");
    }

    @Test
    void shouldFenceAMemberWithASmallerEpochThatIsNotItsPreviousOne() {
        fixture.topics.create("orders", 2);
        TestConsumer a = fixture.consumer("a", "orders");
        TestConsumer b = fixture.consumer("b", "orders");
        TestConsumer c = fixture.consumer("c", "orders");
        a.join();
        b.join();
        c.join();
        fixture.settle(List.of(a, b, c));
        ConsumerGroupMember member = fixture.group().member("a");
        int stale = member.previousMemberEpoch() == member.memberEpoch() - 1 ? member.memberEpoch() - 2 : member.memberEpoch() - 1;
        assertThat(stale).isPositive();

        a.epoch = stale;
        a.heartbeat();

        assertThat(a.last.errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
    }

    @Test
    void shouldAcceptThePreviousEpochWhenOwningASubsetOfTheAssignment() {
        fixture.topics.create("orders", 4);
        TestConsumer a = fixture.consumer("a", "orders");
        a.join();
        TestConsumer b = fixture.consumer("b", "orders");
        b.join();
        fixture.settle(List.of(a, b));
        ConsumerGroupMember member = fixture.group().member("a");

        a.epoch = member.previousMemberEpoch();
        a.heartbeat();

        assertThat(a.last.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(a.last.memberEpoch()).isEqualTo(member.memberEpoch());
    }

    @Test
    void shouldLetAFencedMemberRejoinWithEpochZero() {
        fixture.topics.create("orders", 2);
        fixture.send(validJoin());
        fixture.send(validJoin().setMemberEpoch(0));

        ConsumerGroupHeartbeatResponseData response = fixture.send(validJoin());

        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.assignment().topicPartitions()).hasSize(1);
    }

    @Test
    void shouldRefuseAMemberBeyondTheMaximumGroupSize() {
        GroupConfig defaults = GroupConfig.defaults();
        ConsumerGroupFixture small = new ConsumerGroupFixture(new GroupConfig(defaults.offsetsTopicNumPartitions(),
                defaults.offsetsRetentionMs(), defaults.offsetsRetentionCheckIntervalMs(), defaults.offsetMetadataMaxBytes(),
                defaults.classicMinSessionTimeoutMs(), defaults.classicMaxSessionTimeoutMs(),
                defaults.classicInitialRebalanceDelayMs(), defaults.classicMaxSize(), defaults.consumerSessionTimeoutMs(),
                defaults.consumerMinSessionTimeoutMs(), defaults.consumerMaxSessionTimeoutMs(),
                defaults.consumerHeartbeatIntervalMs(), 1, defaults.consumerAssignors()));
        small.send(validJoin().setMemberId("first"));

        ConsumerGroupHeartbeatResponseData response = small.send(validJoin().setMemberId("second"));

        assertThat(response.errorCode()).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code());
        assertThat(response.errorMessage()).isEqualTo("The consumer group has reached its maximum capacity of 1 members.");
    }

    @Test
    void shouldAnswerUnknownMemberIdForAnUnknownStaticInstance() {
        fixture.send(validJoin());

        ConsumerGroupHeartbeatResponseData response = fixture.send(new ConsumerGroupHeartbeatRequestData()
                .setGroupId(ConsumerGroupFixture.GROUP).setMemberId("m").setInstanceId("ghost").setMemberEpoch(1));

        assertThat(response.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(response.errorMessage()).isEqualTo("Instance id ghost is unknown.");
    }
}
