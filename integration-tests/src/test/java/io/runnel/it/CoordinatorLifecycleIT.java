package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawGroupMember;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's own topic belongs to the broker: clients cannot write to it, delete it or create
 * it their way, so committed offsets cannot be forged or silently lost. And a broker stopping in the
 * middle of a rebalance answers the parked JoinGroup at once instead of leaving it to time out.
 */
class CoordinatorLifecycleIT {

    private static final String OFFSETS = "__consumer_offsets";

    @TempDir
    Path tempDir;

    @Test
    void shouldRefuseToProduceToDeleteOrCreateTheOffsetsTopic() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("offsets.topic.num.partitions", "3"))) {
            KafkaClients.createTopic(broker.bootstrapServers(), "orders", 1);
            TopicPartition orders = new TopicPartition("orders", 0);
            try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("group.id", "kept"))) {
                consumer.commitSync(Map.of(orders, new OffsetAndMetadata(7)));
            }

            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("retries", 0))) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(OFFSETS, 0, "forged", "forged")).get())
                        .hasCauseInstanceOf(InvalidTopicException.class);
            }
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                assertThatThrownBy(() -> admin.deleteTopics(List.of(OFFSETS)).all().get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidTopicException.class);
                assertThat(admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true)).names().get())
                        .contains(OFFSETS);
                assertThat(admin.listConsumerGroupOffsets("kept").partitionsToOffsetAndMetadata().get().get(orders).offset()).isEqualTo(7);
            }
        }
    }

    @Test
    void shouldRefuseToCreateTheOffsetsTopicForAClient() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of());
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(OFFSETS, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", "1000")))).all().get())
                    .hasCauseInstanceOf(InvalidTopicException.class);
        }
    }

    @Test
    void shouldAnswerAParkedJoinGroupWhenTheBrokerStops() {
        EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of(
                "group.initial.rebalance.delay.ms", "60000", "offsets.topic.num.partitions", "3"));
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers());
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            connection.call(ApiKeys.FIND_COORDINATOR, (short) 3, new FindCoordinatorRequestData().setKey("parked"));
            RawGroupMember member = RawGroupMember.of(connection, "parked", null);
            JoinGroupRequestData join = member.joinRequest("orders", 30_000);
            // v3: no member id round trip, so the join parks in the new group's initial delay.
            int correlationId = connection.send(ApiKeys.JOIN_GROUP, (short) 3, join);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    admin.describeConsumerGroups(List.of("parked")).all().get().get("parked").groupState() == GroupState.PREPARING_REBALANCE);

            long startNanos = System.nanoTime();
            broker.close();

            JoinGroupResponseData answer = (JoinGroupResponseData) connection.receive(ApiKeys.JOIN_GROUP, (short) 3, correlationId);
            assertThat(answer.errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
            assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(8));
        }
    }
}
