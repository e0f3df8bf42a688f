package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.GROUP;
import static io.runnel.group.classic.ClassicTestKit.followersOf;
import static io.runnel.group.classic.ClassicTestKit.joinRequest;
import static io.runnel.group.classic.ClassicTestKit.leaderOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.group.record.GroupRecordKey;
import java.util.List;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClassicGroupOffsetCommitTest {

    private static final short OFFSET_COMMIT_V9 = 9;
    private static final short TXN_OFFSET_COMMIT_V3 = 3;

    private final ClassicTestKit kit = new ClassicTestKit();

    @Test
    void shouldAcceptCommitFromOutsideTheGroupWhileEmpty() {
        ClassicGroup group = kit.manager.getOrCreateEmptyGroup(GROUP);

        assertThat(group.validateOffsetCommit("", null, -1, false, OFFSET_COMMIT_V9)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldRejectCommitFromOutsideTheGroupWhileItHasMembers() {
        kit.stableGroup(1);

        assertThat(kit.group().validateOffsetCommit("", null, -1, false, OFFSET_COMMIT_V9)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldAcceptTransactionalCommitFromOutsideTheGroupWhileItHasMembers() {
        kit.stableGroup(1);

        assertThat(kit.group().validateOffsetCommit("", null, -1, true, OFFSET_COMMIT_V9)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldAcceptCommitFromMemberOfCurrentGeneration() {
        JoinGroupResponseData member = kit.stableGroup(1).get(0);

        assertThat(kit.group().validateOffsetCommit(member.memberId(), null, 1, false, OFFSET_COMMIT_V9)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldRejectCommitWithStaleGeneration() {
        JoinGroupResponseData member = kit.stableGroup(1).get(0);

        assertThat(kit.group().validateOffsetCommit(member.memberId(), null, 0, false, OFFSET_COMMIT_V9))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void shouldRejectCommitFromUnknownMember() {
        kit.stableGroup(1);

        assertThat(kit.group().validateOffsetCommit("ghost", null, 1, false, OFFSET_COMMIT_V9)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRejectCommitWhileAwaitingLeaderAssignment() {
        JoinGroupResponseData member = kit.joinMembers(1).get(0);

        assertThat(kit.group().validateOffsetCommit(member.memberId(), null, 1, false, OFFSET_COMMIT_V9))
                .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void shouldAcceptTransactionalCommitWhileAwaitingLeaderAssignment() {
        JoinGroupResponseData member = kit.joinMembers(1).get(0);

        assertThat(kit.group().validateOffsetCommit(member.memberId(), null, 1, true, TXN_OFFSET_COMMIT_V3)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldFenceTransactionalCommitOfAStaleGenerationOrAnUnknownMember() {
        JoinGroupResponseData member = kit.stableGroup(1).get(0);

        assertThat(kit.group().validateOffsetCommit(member.memberId(), null, 0, true, TXN_OFFSET_COMMIT_V3))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(kit.group().validateOffsetCommit("ghost", null, 1, true, TXN_OFFSET_COMMIT_V3)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldAcceptCommitOfPreviousGenerationDuringJoinPhase() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);
        kit.join(joinRequest(leaderOf(joined).memberId()));

        assertThat(kit.group().validateOffsetCommit(followersOf(joined).get(0).memberId(), null, 1, false, OFFSET_COMMIT_V9))
                .isEqualTo(Errors.NONE);
    }

    @Test
    void shouldFenceCommitFromReplacedStaticMember() {
        JoinGroupResponseData first = kit.awaitAll(List.of(kit.join(ClassicTestKit.staticJoinRequest("", "instance-1")))).get(0);
        kit.syncAll(List.of(first));
        kit.join(ClassicTestKit.staticJoinRequest("", "instance-1")).join();

        assertThat(kit.group().validateOffsetCommit(first.memberId(), "instance-1", 1, false, OFFSET_COMMIT_V9))
                .isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void shouldReturnExistingGroupForSimpleCommit() {
        kit.stableGroup(1);

        assertThat(kit.manager.getOrCreateEmptyGroup(GROUP)).isSameAs(kit.group());
    }

    @Test
    void shouldCreateSimpleGroupEmptyWithoutProtocolTypeOrRecord() {
        ClassicGroup group = kit.manager.getOrCreateEmptyGroup(GROUP);

        assertThat(group.stateName()).isEqualTo("Empty");
        assertThat(group.protocolType()).isEmpty();
        assertThat(kit.groups.get(GROUP)).isSameAs(group);
        assertThat(kit.writer.written()).isEmpty();
    }

    @Test
    void shouldAllowOffsetFetchUnlessDead() {
        ClassicGroup group = kit.manager.getOrCreateEmptyGroup(GROUP);

        assertThat(group.validateOffsetFetch("", -1, (short) 9)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldDeleteItsRecordWithTombstone() {
        ClassicGroup group = kit.manager.getOrCreateEmptyGroup(GROUP);

        assertThat(group.tombstones()).singleElement().satisfies(record -> {
            assertThat(record.isTombstone()).isTrue();
            assertThat(record.key()).isEqualTo(new GroupRecordKey.ClassicGroup(GROUP));
        });
    }
}
