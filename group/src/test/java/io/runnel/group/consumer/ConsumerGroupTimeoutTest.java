package io.runnel.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ConsumerGroupTimeoutTest {

    private final ConsumerGroupFixture fixture = new ConsumerGroupFixture();

    @Test
    void shouldFenceAMemberWhoseSessionExpires() {
        fixture.topics.create("orders", 4);
        TestConsumer a = fixture.consumer("a", "orders");
        TestConsumer b = fixture.consumer("b", "orders");
        a.join();
        b.join();
        fixture.settle(List.of(a, b));
        int epoch = fixture.group().groupEpoch();

        fixture.scheduler.advance(40_000);
        a.heartbeat();
        fixture.scheduler.advance(10_000);

        assertThat(fixture.group().members()).containsOnlyKeys("a");
        assertThat(fixture.group().groupEpoch()).isEqualTo(epoch + 1);
        fixture.settle(List.of(a));
        assertThat(a.ownedCount()).isEqualTo(4);
        assertThat(b.heartbeat().errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void shouldKeepAMemberThatHeartbeatsWithinItsSession() {
        fixture.topics.create("orders", 4);
        TestConsumer a = fixture.consumer("a", "orders");
        a.join();

        for (int i = 0; i < 10; i++) {
            fixture.scheduler.advance(40_000);
            a.heartbeat();
        }

        assertThat(fixture.group().members()).containsOnlyKeys("a");
    }

    @Test
    void shouldFenceAMemberThatDoesNotRevokeWithinItsRebalanceTimeout() {
        fixture.topics.create("orders", 4);
        TestConsumer a = fixture.consumer("a", "orders");
        a.join();
        TestConsumer b = fixture.consumer("b", "orders");
        b.join();
        var neverRevoked = a.owned;
        a.heartbeatOwning(neverRevoked);
        assertThat(fixture.group().member("a").state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);

        for (int elapsed = 0; elapsed < ConsumerGroupFixture.REBALANCE_TIMEOUT_MS; elapsed += 5_000) {
            fixture.scheduler.advance(5_000);
            a.heartbeatOwning(neverRevoked);
            b.heartbeat();
        }

        assertThat(fixture.group().members()).containsOnlyKeys("b");
        b.heartbeat();
        assertThat(b.ownedCount()).isEqualTo(4);
    }

    @Test
    void shouldLetAStaticMemberRejoinUnderANewIdWithoutReassignment() {
        fixture.topics.create("orders", 4);
        TestConsumer a = fixture.staticConsumer("a1", "instance-a", "orders");
        TestConsumer b = fixture.consumer("b", "orders");
        a.join();
        b.join();
        fixture.settle(List.of(a, b));
        int epoch = fixture.group().groupEpoch();
        var partitionsOfA = a.owned;

        assertThat(a.leave(-2).memberEpoch()).isEqualTo(-2);
        assertThat(fixture.group().member("a1").assignedPartitions()).isEqualTo(partitionsOfA);
        TestConsumer restarted = fixture.staticConsumer("a2", "instance-a", "orders");
        restarted.join();

        assertThat(restarted.last.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(restarted.owned).isEqualTo(partitionsOfA);
        assertThat(restarted.epoch).isEqualTo(epoch);
        assertThat(fixture.group().groupEpoch()).isEqualTo(epoch);
        assertThat(fixture.group().members()).containsOnlyKeys("b", "a2");
        assertThat(fixture.group().staticMember("instance-a").memberId()).isEqualTo("a2");
        assertThat(fixture.group().state()).isEqualTo(ConsumerGroupState.STABLE);
    }

    @Test
    void shouldFenceALeftStaticMemberWhenItsSessionExpires() {
        fixture.topics.create("orders", 4);
        TestConsumer a = fixture.staticConsumer("a1", "instance-a", "orders");
        a.join();

        a.leave(-2);
        fixture.scheduler.advance(fixture.config.consumerSessionTimeoutMs());

        assertThat(fixture.group().members()).isEmpty();
        assertThat(fixture.group().state()).isEqualTo(ConsumerGroupState.EMPTY);
    }

    @Test
    void shouldRefuseASecondInstanceWhileTheStaticMemberIsActive() {
        fixture.topics.create("orders", 4);
        fixture.staticConsumer("a1", "instance-a", "orders").join();

        TestConsumer intruder = fixture.staticConsumer("a2", "instance-a", "orders");
        intruder.join();

        assertThat(intruder.last.errorCode()).isEqualTo(Errors.UNRELEASED_INSTANCE_ID.code());
        assertThat(intruder.last.errorMessage()).isEqualTo("Static member a2 with instance id instance-a cannot join "
                + "the group because the instance id is owned by a1 member.");
    }

    @Test
    void shouldFenceTheOldMemberIdOfAReplacedStaticMember() {
        fixture.topics.create("orders", 4);
        TestConsumer old = fixture.staticConsumer("a1", "instance-a", "orders");
        old.join();
        old.leave(-2);
        fixture.staticConsumer("a2", "instance-a", "orders").join();

        old.heartbeat();

        assertThat(old.last.errorCode()).isEqualTo(Errors.FENCED_INSTANCE_ID.code());
    }
}
