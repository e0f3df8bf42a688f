package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.GROUP;
import static io.runnel.group.classic.ClassicTestKit.assignmentOf;
import static io.runnel.group.classic.ClassicTestKit.joinRequest;
import static io.runnel.group.classic.ClassicTestKit.leaderOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClassicGroupDescribeTest {

    private final ClassicTestKit kit = new ClassicTestKit();

    @Test
    void shouldDescribeStableGroupWithProtocolAndMemberMetadata() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);

        DescribedGroup described = kit.manager.describe(GROUP);

        assertThat(described.errorCode()).isZero();
        assertThat(described.groupState()).isEqualTo("Stable");
        assertThat(described.protocolType()).isEqualTo("consumer");
        assertThat(described.protocolData()).isEqualTo("range");
        assertThat(described.members()).hasSize(2).allSatisfy(member -> {
            assertThat(member.memberMetadata()).isEqualTo(ClassicTestKit.subscription("topic-a"));
            assertThat(member.memberAssignment()).isEqualTo(assignmentOf(member.memberId()));
            assertThat(member.clientId()).isEqualTo("client");
            assertThat(member.clientHost()).isEqualTo("/127.0.0.1");
        });
        assertThat(described.members()).extracting(m -> m.memberId())
                .containsExactlyInAnyOrderElementsOf(joined.stream().map(JoinGroupResponseData::memberId).toList());
    }

    @Test
    void shouldDescribeRebalancingGroupWithoutProtocolOrMetadata() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        kit.join(joinRequest(leaderOf(joined).memberId()));

        DescribedGroup described = kit.manager.describe(GROUP);

        assertThat(described.groupState()).isEqualTo("PreparingRebalance");
        assertThat(described.protocolData()).isEmpty();
        assertThat(described.members()).hasSize(2)
                .allSatisfy(member -> assertThat(member.memberMetadata()).isEmpty());
    }

    @Test
    void shouldDescribeStaticMemberWithItsInstanceId() {
        kit.awaitAll(List.of(kit.join(ClassicTestKit.staticJoinRequest("", "instance-1"))));

        DescribedGroup described = kit.manager.describe(GROUP);

        assertThat(described.groupState()).isEqualTo("CompletingRebalance");
        assertThat(described.members().get(0).groupInstanceId()).isEqualTo("instance-1");
    }

    @Test
    void shouldDescribeUnknownGroupAsDeadWithGroupIdNotFoundFromV6() {
        DescribedGroup described = kit.manager.describe("unknown", (short) 6);

        assertThat(described.groupState()).isEqualTo("Dead");
        assertThat(Errors.forCode(described.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void shouldDescribeUnknownGroupAsDeadWithoutErrorBeforeV6() {
        DescribedGroup described = kit.manager.describe("unknown", (short) 5);

        assertThat(described.groupState()).isEqualTo("Dead");
        assertThat(described.errorCode()).isZero();
        assertThat(described.groupId()).isEqualTo("unknown");
    }

    @Test
    void shouldDescribeNonClassicGroupAsNotFound() {
        kit.groups.put(new FakeConsumerGroup(GROUP, true));

        DescribedGroup described = kit.manager.describe(GROUP, (short) 6);

        assertThat(Errors.forCode(described.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(described.errorMessage()).contains("not a classic group");
    }
}
