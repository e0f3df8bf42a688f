package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.error;
import static io.runnel.group.classic.ClassicTestKit.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.group.record.GroupRecordKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClassicGroupMaxSizeTest {

    private final ClassicTestKit kit = new ClassicTestKit(2, ClassicTestKit.INITIAL_DELAY_MS);

    @Test
    void shouldRejectNewMemberOfFullRebalancingGroup() {
        kit.joinDynamic();
        kit.joinDynamic();

        JoinGroupResponseData third = kit.join(joinRequest("")).join();

        assertThat(error(third.errorCode())).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        assertThat(third.memberId()).isEmpty();
        assertThat(kit.group().size()).isEqualTo(2);
    }

    @Test
    void shouldRejectNewMemberOfFullStableGroup() {
        kit.stableGroup(2);

        JoinGroupResponseData third = kit.join(joinRequest(""), (short) 3).join();

        assertThat(error(third.errorCode())).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
    }

    @Test
    void shouldAdmitExistingMemberOfFullStableGroup() {
        List<JoinGroupResponseData> joined = kit.stableGroup(2);

        CompletableFuture<JoinGroupResponseData> rejoin = kit.join(joinRequest(ClassicTestKit.leaderOf(joined).memberId()));

        assertThat(rejoin).isNotDone();
        assertThat(kit.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void shouldTurnAwayLastMemberToRejoinWhenGroupShrank() {
        ClassicTestKit large = new ClassicTestKit(3, ClassicTestKit.INITIAL_DELAY_MS);
        List<JoinGroupResponseData> joined = large.stableGroup(3);
        ClassicTestKit shrunk = new ClassicTestKit(2, ClassicTestKit.INITIAL_DELAY_MS);
        shrunk.manager.replay(new GroupRecordKey.ClassicGroup(ClassicTestKit.GROUP), large.lastRecord());
        shrunk.manager.onLoaded();

        shrunk.join(joinRequest(joined.get(0).memberId()));
        shrunk.join(joinRequest(joined.get(1).memberId()));
        JoinGroupResponseData last = shrunk.join(joinRequest(joined.get(2).memberId())).join();

        assertThat(error(last.errorCode())).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        assertThat(shrunk.group().hasMember(joined.get(2).memberId())).isFalse();
    }
}
