package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.Cli;
import io.runnel.it.support.GroupMember;
import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.EmbeddedBrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code runnel group list|describe|reset-offsets|delete} against groups of real consumers. */
class CliGroupIT {

    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);

    @RegisterExtension
    final EmbeddedBrokerExtension runnel = EmbeddedBrokerExtension.withConfig(Map.of("auto.create.topics.enable", "false"));

    private EmbeddedBroker broker;
    private Admin admin;
    private Cli cli;

    @BeforeEach
    void start() throws Exception {
        broker = runnel.broker();
        admin = KafkaClients.admin(broker.bootstrapServers());
        cli = Cli.against(broker.bootstrapServers());
        KafkaClients.createTopic(broker.bootstrapServers(), "events", 2);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("events", i % 2, i * 1_000L, "k", "v" + i)).get();
            }
        }
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void shouldListGroupIdsOnePerLineOrAsATable() throws Exception {
        commit("beta", Map.of(P0, 1L));
        commit("alpha", Map.of(P0, 2L));

        Cli.Result names = cli.runnel("group", "list");
        Cli.Result table = cli.runnel("group", "list", "--long");

        assertThat(names.exitCode()).isZero();
        assertThat(names.outLines()).containsExactly("alpha", "beta");
        assertThat(table.outLines()).containsExactly("GROUP  TYPE     STATE", "alpha  Classic  Empty", "beta   Classic  Empty");
    }

    @Test
    void shouldDescribeMembersAssignmentsAndLagPerPartition() {
        try (GroupMember member = GroupMember.start(broker.bootstrapServers(), "live", "events",
                GroupMember.Protocol.CLASSIC_RANGE, "reader-1", Map.of("max.poll.records", "1"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> member.assignment().size() == 2 && member.consumed().size() == 10);

            Cli.Result result = cli.runnel("group", "describe", "live");

            assertThat(result.exitCode()).isZero();
            List<String> lines = result.outLines();
            assertThat(lines.get(0)).startsWith("Group: live  Type: Classic  State: Stable  Assignor: range  Coordinator: 1 (localhost:");
            assertThat(lines.get(1)).matches("MEMBER-ID +CLIENT-ID +HOST +ASSIGNMENT");
            assertThat(lines.get(2)).contains("reader-1").endsWith("events:0,1");
            assertThat(lines.get(4)).matches("TOPIC +PARTITION +CURRENT-OFFSET +LOG-END-OFFSET +LAG +MEMBER-ID +CLIENT-ID +HOST");
            assertThat(lines.get(5)).matches("events +0 +5 +5 +0 +\\S+ +reader-1 +\\S+");
            assertThat(lines.get(6)).matches("events +1 +5 +5 +0 +\\S+ +reader-1 +\\S+");
        }
    }

    @Test
    void shouldDescribeTheLagOfAGroupWithoutMembers() throws Exception {
        commit("idle", Map.of(P0, 2L));

        Cli.Result result = cli.runnel("group", "describe", "idle");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly(
                result.outLines().get(0),
                "Members: none",
                "TOPIC   PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  MEMBER-ID  CLIENT-ID  HOST",
                "events  0          2               5               3    -          -          -");
        assertThat(result.outLines().get(0)).contains("State: Empty");
    }

    @Test
    void shouldSayThatAGroupToDescribeDoesNotExist() {
        Cli.Result result = cli.runnel("group", "describe", "missing");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).containsExactly("runnel: Group 'missing' does not exist.");
    }

    @Test
    void shouldOnlyPrintThePlanOfADryRun() throws Exception {
        commit("planned", Map.of(P0, 4L, P1, 4L));

        Cli.Result result = cli.runnel("group", "reset-offsets", "planned", "--topic", "events", "--to-earliest");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly(
                "GROUP    TOPIC   PARTITION  CURRENT-OFFSET  NEW-OFFSET",
                "planned  events  0          4               0",
                "planned  events  1          4               0");
        assertThat(result.errLines()).containsExactly("Dry run: nothing changed. Add --execute to apply.");
        assertThat(committed("planned")).containsEntry(P0, 4L).containsEntry(P1, 4L);
    }

    @Test
    void shouldApplyEachKindOfResetWithExecute() throws Exception {
        commit("moved", Map.of(P0, 4L, P1, 4L));

        assertThat(reset("--topic", "events", "--to-latest")).containsEntry(P0, 5L).containsEntry(P1, 5L);
        assertThat(reset("--topic", "events:1", "--to-offset", "2")).containsEntry(P0, 5L).containsEntry(P1, 2L);
        assertThat(reset("--all-topics", "--shift-by", "-1")).containsEntry(P0, 4L).containsEntry(P1, 1L);
        // Record i has timestamp i seconds: partition 0 holds 0, 2, 4, 6, 8 s; partition 1 holds 1, 3, 5, 7, 9 s.
        assertThat(reset("--topic", "events", "--to-datetime", "1970-01-01T00:00:05Z")).containsEntry(P0, 3L).containsEntry(P1, 2L);
        assertThat(reset("--topic", "events", "--to-datetime", "60000")).containsEntry(P0, 5L).containsEntry(P1, 5L);
    }

    @Test
    void shouldGiveANewGroupItsFirstOffsets() throws Exception {
        Cli.Result result = cli.runnel("group", "reset-offsets", "fresh", "--topic", "events", "--to-offset", "3", "--execute");

        assertThat(result.exitCode()).isZero();
        assertThat(committed("fresh")).containsEntry(P0, 3L).containsEntry(P1, 3L);
    }

    @Test
    void shouldRefuseToResetAGroupWithMembersAsKafkasToolDoes() {
        try (GroupMember member = GroupMember.start(broker.bootstrapServers(), "busy", "events",
                GroupMember.Protocol.CLASSIC_RANGE, "reader", Map.of())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> member.assignment().size() == 2);

            Cli.Result result = cli.runnel("group", "reset-offsets", "busy", "--topic", "events", "--to-earliest", "--execute");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.errLines()).containsExactly(
                    "runnel: Assignments can only be reset if the group 'busy' is inactive, but the current state is Stable.");
        }
    }

    @Test
    void shouldRefuseAResetWithoutATargetOrWithoutTopics() {
        Cli.Result noTarget = cli.runnel("group", "reset-offsets", "g", "--topic", "events");
        Cli.Result noTopics = cli.runnel("group", "reset-offsets", "g", "--to-earliest");

        assertThat(noTarget.exitCode()).isEqualTo(2);
        assertThat(noTarget.errLines()).singleElement().asString().startsWith("runnel: Error: Missing required argument");
        assertThat(noTopics.exitCode()).isEqualTo(2);
        assertThat(noTopics.errLines()).singleElement().asString().startsWith("runnel: Give either --topic or --all-topics");
    }

    @Test
    void shouldRefuseToResetAPartitionThatDoesNotExist() {
        Cli.Result result = cli.runnel("group", "reset-offsets", "g", "--topic", "events:7", "--to-earliest");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).containsExactly("runnel: Topic 'events' has no partition 7.");
    }

    @Test
    void shouldDeleteAGroupWithoutMembers() throws Exception {
        commit("done", Map.of(P0, 1L));

        Cli.Result deleted = cli.runnel("group", "delete", "done");
        Cli.Result again = cli.runnel("group", "delete", "done");

        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.outLines()).containsExactly("Deleted group done.");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.errLines()).containsExactly("runnel: Group 'done' does not exist.");
    }

    @Test
    void shouldRefuseToDeleteAGroupWithMembers() {
        try (GroupMember member = GroupMember.start(broker.bootstrapServers(), "busy", "events",
                GroupMember.Protocol.CLASSIC_RANGE, "reader", Map.of())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> member.assignment().size() == 2);

            Cli.Result result = cli.runnel("group", "delete", "busy");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.errLines()).containsExactly("runnel: Group 'busy' is not empty: stop its consumers first.");
        }
    }

    private Map<TopicPartition, Long> reset(String... selectionAndTarget) throws Exception {
        String[] args = new String[selectionAndTarget.length + 4];
        args[0] = "group";
        args[1] = "reset-offsets";
        args[2] = "moved";
        System.arraycopy(selectionAndTarget, 0, args, 3, selectionAndTarget.length);
        args[args.length - 1] = "--execute";
        Cli.Result result = cli.runnel(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return committed("moved");
    }

    private void commit(String group, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((partition, offset) -> commits.put(partition, new OffsetAndMetadata(offset)));
        admin.alterConsumerGroupOffsets(group, commits).all().get();
    }

    private Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .forEach((partition, offset) -> offsets.put(partition, offset.offset()));
        return offsets;
    }
}
