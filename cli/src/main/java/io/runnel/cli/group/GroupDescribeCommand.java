package io.runnel.cli.group;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.CommandFailure;
import io.runnel.cli.output.Table;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel group describe <group>...}: per group its type, state, assignor and coordinator; its
 * members (id, client id, host, assigned partitions); and per partition the committed offset, the log
 * end offset and the lag, with the member that reads it.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a consumer group's state, members, assignments, and offsets and lag per partition.")
final class GroupDescribeCommand extends ClientCommand {

    private static final Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    @Parameters(arity = "1..*", paramLabel = "group", description = "The groups to describe.")
    private List<String> groups;

    @Override
    protected int execute() throws InterruptedException {
        try (Admin admin = client.newAdmin()) {
            for (String group : groups) {
                if (!group.equals(groups.get(0))) {
                    out().println();
                }
                describe(admin, group);
            }
        }
        return 0;
    }

    private void describe(Admin admin, String group) throws InterruptedException {
        ConsumerGroupDescription description = GroupLookup.describe(admin, group).orElseThrow(() -> CommandFailure.noSuchGroup(group));
        Map<TopicPartition, Long> committed = GroupLookup.committed(admin, group);
        Map<TopicPartition, MemberDescription> readers = new HashMap<>();
        description.members().forEach(member -> member.assignment().topicPartitions().forEach(partition -> readers.put(partition, member)));
        Set<TopicPartition> partitions = new TreeSet<>(BY_TOPIC_AND_PARTITION);
        partitions.addAll(committed.keySet());
        partitions.addAll(readers.keySet());
        Map<TopicPartition, Long> ends = GroupLookup.logOffsets(admin, partitions, OffsetSpec.latest());

        out().println("Group: " + group + "  Type: " + description.type() + "  State: " + description.groupState()
                + "  Assignor: " + orNone(description.partitionAssignor()) + "  Coordinator: " + node(description.coordinator()));
        printMembers(description);
        Table offsets = new Table("TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "MEMBER-ID", "CLIENT-ID", "HOST");
        for (TopicPartition partition : partitions) {
            Long current = committed.get(partition);
            Long end = ends.get(partition);
            MemberDescription reader = readers.get(partition);
            offsets.row(partition.topic(), partition.partition(), current, end,
                    current == null || end == null ? null : Math.max(0, end - current),
                    reader == null ? null : reader.consumerId(), reader == null ? null : reader.clientId(),
                    reader == null ? null : reader.host());
        }
        offsets.print(out());
    }

    private void printMembers(ConsumerGroupDescription description) {
        if (description.members().isEmpty()) {
            out().println("Members: none");
            return;
        }
        Table members = new Table("MEMBER-ID", "CLIENT-ID", "HOST", "ASSIGNMENT");
        description.members().stream().sorted(Comparator.comparing(MemberDescription::consumerId)).forEach(member ->
                members.row(member.consumerId(), member.clientId(), member.host(), assignment(member.assignment().topicPartitions())));
        members.print(out());
        out().println();
    }

    /** Partitions as {@code orders:0,1 payments:2}, or none. */
    static String assignment(Set<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return null;
        }
        Map<String, List<Integer>> byTopic = partitions.stream().sorted(BY_TOPIC_AND_PARTITION).collect(Collectors.groupingBy(
                TopicPartition::topic, java.util.TreeMap::new, Collectors.mapping(TopicPartition::partition, Collectors.toList())));
        return byTopic.entrySet().stream()
                .map(entry -> entry.getKey() + ":" + entry.getValue().stream().map(String::valueOf).collect(Collectors.joining(",")))
                .collect(Collectors.joining(" "));
    }

    private static String node(Node node) {
        return node == null ? Table.NONE : node.id() + " (" + node.host() + ":" + node.port() + ")";
    }

    private static String orNone(String text) {
        return text == null || text.isEmpty() ? Table.NONE : text;
    }
}
