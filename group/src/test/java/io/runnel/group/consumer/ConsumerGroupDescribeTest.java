package io.runnel.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ConsumerGroupDescribeTest {

    private final ConsumerGroupFixture fixture = new ConsumerGroupFixture();

    @Test
    void shouldDescribeStateEpochsAndMembersWithTopicNames() {
        Uuid topicId = fixture.topics.create("orders", 2);
        TestConsumer a = fixture.consumer("a", "orders");
        a.join();

        ConsumerGroupDescribeResponseData.DescribedGroup described = fixture.manager.describe(ConsumerGroupFixture.GROUP);

        assertThat(described.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(described.groupState()).isEqualTo("Stable");
        assertThat(described.groupEpoch()).isEqualTo(1);
        assertThat(described.assignmentEpoch()).isEqualTo(1);
        assertThat(described.assignorName()).isEqualTo("uniform");
        ConsumerGroupDescribeResponseData.Member member = described.members().get(0);
        assertThat(member.memberId()).isEqualTo("a");
        assertThat(member.clientId()).isEqualTo("client-1");
        assertThat(member.clientHost()).isEqualTo("/127.0.0.1");
        assertThat(member.subscribedTopicNames()).containsExactly("orders");
        assertThat(member.memberEpoch()).isEqualTo(1);
        assertThat(member.assignment().topicPartitions()).containsExactly(new ConsumerGroupDescribeResponseData.TopicPartitions()
                .setTopicId(topicId).setTopicName("orders").setPartitions(List.of(0, 1)));
        assertThat(member.targetAssignment()).isEqualTo(member.assignment());
    }

    @Test
    void shouldAnswerGroupIdNotFoundForAnUnknownGroup() {
        ConsumerGroupDescribeResponseData.DescribedGroup described = fixture.manager.describe("missing");

        assertThat(described.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(described.errorMessage()).isEqualTo("Group missing not found.");
    }

    @Test
    void shouldReportAssigningWhileTheTargetIsBehindTheGroupEpoch() {
        fixture.topics.create("orders", 2);
        TestConsumer a = fixture.consumer("a", "orders");
        TestConsumer b = fixture.consumer("b", "orders");
        a.join();
        b.join();

        b.leave(-1);

        assertThat(fixture.manager.describe(ConsumerGroupFixture.GROUP).groupState()).isEqualTo("Assigning");
    }
}
