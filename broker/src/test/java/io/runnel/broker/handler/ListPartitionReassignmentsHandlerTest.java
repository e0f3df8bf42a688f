package io.runnel.broker.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.PartitionRegistration;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.junit.jupiter.api.Test;

class ListPartitionReassignmentsHandlerTest {

    private static final Uuid ORDERS = Uuid.randomUuid();
    private static final Uuid PAYMENTS = Uuid.randomUuid();
    /** orders-1 moves from brokers 1, 2 to 2, 3; orders-0 and payments-0 stay. */
    private static final MetadataImage IMAGE = MetadataImage.EMPTY.apply(List.of(
            new MetadataRecord.TopicRecord("orders", ORDERS),
            new MetadataRecord.PartitionRecord(ORDERS, 0, PartitionRegistration.initial(List.of(1, 2), 1)),
            new MetadataRecord.PartitionRecord(ORDERS, 1, new PartitionRegistration(List.of(2, 3, 1), List.of(1, 2), List.of(), 1, 0, 1,
                    List.of(), List.of(3), List.of(1))),
            new MetadataRecord.TopicRecord("payments", PAYMENTS),
            new MetadataRecord.PartitionRecord(PAYMENTS, 0, PartitionRegistration.initial(List.of(1), 1))), 5);

    @Test
    void shouldListEveryMovingPartitionWhenNoTopicIsNamed() {
        ListPartitionReassignmentsResponseData response = ListPartitionReassignmentsHandler.list(IMAGE, null);

        assertThat(response.topics()).hasSize(1);
        assertThat(response.topics().get(0).name()).isEqualTo("orders");
        assertThat(response.topics().get(0).partitions()).containsExactly(new OngoingPartitionReassignment().setPartitionIndex(1)
                .setReplicas(List.of(2, 3, 1)).setAddingReplicas(List.of(3)).setRemovingReplicas(List.of(1)));
    }

    @Test
    void shouldListOnlyNamedPartitionsThatMoveAndLeaveOutUnknownOnes() {
        ListPartitionReassignmentsResponseData response = ListPartitionReassignmentsHandler.list(IMAGE, List.of(
                new ListPartitionReassignmentsTopics().setName("orders").setPartitionIndexes(List.of(0, 1, 9)),
                new ListPartitionReassignmentsTopics().setName("payments").setPartitionIndexes(List.of(0)),
                new ListPartitionReassignmentsTopics().setName("unknown").setPartitionIndexes(List.of(0))));

        assertThat(response.topics()).extracting(topic -> topic.name()).containsExactly("orders");
        assertThat(response.topics().get(0).partitions()).extracting(OngoingPartitionReassignment::partitionIndex).containsExactly(1);
        assertThat(response.errorCode()).isZero();
    }
}
