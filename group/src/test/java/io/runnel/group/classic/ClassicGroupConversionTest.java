package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.GROUP;
import static io.runnel.group.classic.ClassicTestKit.error;
import static io.runnel.group.classic.ClassicTestKit.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.group.record.GroupRecord;
import io.runnel.group.record.GroupRecordKey;
import java.util.Map;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClassicGroupConversionTest {

    private final ClassicTestKit kit = new ClassicTestKit();

    @Test
    void shouldReplaceEmptyConsumerGroupWhenClassicMemberJoins() {
        kit.groups.put(new FakeConsumerGroup(GROUP, true));

        JoinGroupResponseData response = kit.join(joinRequest("")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(kit.groups.get(GROUP)).isInstanceOf(ClassicGroup.class);
        assertThat(kit.writer.written()).extracting(GroupRecord::key).containsExactly(
                new GroupRecordKey.ConsumerGroupMetadata(GROUP), new GroupRecordKey.ClassicGroup(GROUP));
        assertThat(kit.writer.written().get(0).isTombstone()).isTrue();
    }

    @Test
    void shouldRefuseJoinToNonEmptyConsumerGroup() {
        kit.groups.put(new FakeConsumerGroup(GROUP, false));

        JoinGroupResponseData response = kit.join(joinRequest("")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(kit.groups.get(GROUP)).isInstanceOf(FakeConsumerGroup.class);
        assertThat(kit.writer.written()).isEmpty();
    }

    @Test
    void shouldKeepConsumerGroupWhenConversionCannotBeWritten() {
        kit.groups.put(new FakeConsumerGroup(GROUP, true));
        kit.writer.failWrites(true);

        JoinGroupResponseData response = kit.join(joinRequest("")).join();

        assertThat(error(response.errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(kit.groups.get(GROUP)).isInstanceOf(FakeConsumerGroup.class);
    }

    @Test
    void shouldAnswerClassicRequestsToConsumerGroupWithUnknownMemberId() {
        kit.groups.put(new FakeConsumerGroup(GROUP, false));

        assertThat(error(kit.heartbeat("m", 1).errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(error(kit.sync("m", 1, Map.of()).join().errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(error(kit.leave(ClassicTestKit.member("m")).members().get(0).errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldNotCreateSimpleGroupOverConsumerGroup() {
        kit.groups.put(new FakeConsumerGroup(GROUP, true));

        assertThatThrownBy(() -> kit.manager.getOrCreateEmptyGroup(GROUP)).isInstanceOf(GroupIdNotFoundException.class);
    }
}
