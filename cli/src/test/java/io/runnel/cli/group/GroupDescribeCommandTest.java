package io.runnel.cli.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GroupDescribeCommandTest {

    @Test
    void shouldShowAnAssignmentAsTopicsWithTheirSortedPartitions() {
        Set<TopicPartition> partitions = Set.of(new TopicPartition("orders", 2), new TopicPartition("b", 1), new TopicPartition("orders", 0));

        assertThat(GroupDescribeCommand.assignment(partitions)).isEqualTo("b:1 orders:0,2");
        assertThat(GroupDescribeCommand.assignment(Set.of())).isNull();
    }
}
