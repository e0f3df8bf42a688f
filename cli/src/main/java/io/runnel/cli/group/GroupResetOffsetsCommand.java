package io.runnel.cli.group;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.CommandFailure;
import io.runnel.cli.client.KafkaResults;
import io.runnel.cli.output.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel group reset-offsets <group> (--topic T[:P,P] | --all-topics) --to-...}: prints the plan
 * (current and new offset per partition) and, only with {@code --execute}, commits it
 * (OffsetCommit through {@code alterConsumerGroupOffsets}). Refuses, as Kafka's tool does, while the
 * group has members; a group that does not exist yet gets its first offsets.
 */
@Command(name = "reset-offsets", mixinStandardHelpOptions = true,
        description = {"Move a consumer group's committed offsets. Prints the plan; --execute applies it.",
            "The group must have no members."})
final class GroupResetOffsetsCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "group", description = "The group whose offsets to move.")
    private String group;

    @Option(names = "--topic", paramLabel = "topic[:p,p]", converter = TopicSelection.Converter.class,
            description = "A topic, or some of its partitions. Repeatable.")
    private List<TopicSelection> topics = new ArrayList<>();

    @Option(names = "--all-topics", description = "Every partition the group has a committed offset for.")
    private boolean allTopics;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private ResetTarget target;

    @Option(names = "--execute", description = "Commit the new offsets (default: only print them).")
    private boolean execute;

    @Option(names = "--dry-run", description = "Only print the new offsets (the default).")
    private boolean dryRun;

    @Override
    protected int execute() throws InterruptedException {
        if (topics.isEmpty() == !allTopics) {
            throw usageError("Give either --topic or --all-topics");
        }
        if (execute && dryRun) {
            throw usageError("--execute and --dry-run exclude each other");
        }
        try (Admin admin = client.newAdmin()) {
            checkInactive(GroupLookup.describe(admin, group));
            Map<TopicPartition, Long> committed = GroupLookup.committed(admin, group);
            Collection<TopicPartition> partitions = allTopics ? committed.keySet() : selected(admin);
            if (partitions.isEmpty()) {
                throw new CommandFailure("Group '" + group + "' has no committed offsets to reset.");
            }
            Map<TopicPartition, Long> plan = plan(admin, committed, partitions);
            print(committed, plan);
            if (execute) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                plan.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
                KafkaResults.get(admin.alterConsumerGroupOffsets(group, offsets).all());
                err().println("Reset the offsets of " + plan.size() + (plan.size() == 1 ? " partition" : " partitions")
                        + " of group " + group + ".");
            } else {
                err().println("Dry run: nothing changed. Add --execute to apply.");
            }
        }
        return 0;
    }

    private void checkInactive(Optional<ConsumerGroupDescription> description) {
        if (description.isPresent() && description.get().groupState() != GroupState.EMPTY) {
            throw new CommandFailure("Assignments can only be reset if the group '" + group
                    + "' is inactive, but the current state is " + description.get().groupState() + ".");
        }
    }

    private Map<TopicPartition, Long> plan(Admin admin, Map<TopicPartition, Long> committed, Collection<TopicPartition> partitions)
            throws InterruptedException {
        Map<TopicPartition, Long> atTime = target.toDatetime == null ? Map.of()
                : GroupLookup.logOffsets(admin, partitions, OffsetSpec.forTimestamp(target.toDatetime));
        return new OffsetResetPlan(committed, GroupLookup.logOffsets(admin, partitions, OffsetSpec.earliest()),
                GroupLookup.logOffsets(admin, partitions, OffsetSpec.latest()), atTime).newOffsets(target, partitions);
    }

    private void print(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> plan) {
        Table table = new Table("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET");
        plan.forEach((partition, offset) -> table.row(group, partition.topic(), partition.partition(), committed.get(partition), offset));
        table.print(out());
    }

    /** The partitions {@code --topic} names: all of a topic's, or those listed after a colon; each must exist. */
    private Set<TopicPartition> selected(Admin admin) throws InterruptedException {
        Set<TopicPartition> selected = new LinkedHashSet<>();
        for (TopicSelection selection : topics) {
            List<Integer> existing = partitionsOf(admin, selection.topic());
            List<Integer> wanted = selection.partitions().isEmpty() ? existing : selection.partitions();
            for (int partition : wanted) {
                if (!existing.contains(partition)) {
                    throw new CommandFailure("Topic '" + selection.topic() + "' has no partition " + partition + ".");
                }
                selected.add(new TopicPartition(selection.topic(), partition));
            }
        }
        return selected;
    }

    private static List<Integer> partitionsOf(Admin admin, String topic) throws InterruptedException {
        KafkaFuture<TopicDescription> future = admin.describeTopics(List.of(topic)).topicNameValues().get(topic);
        try {
            return KafkaResults.get(future).partitions().stream().map(info -> info.partition()).toList();
        } catch (UnknownTopicOrPartitionException e) {
            throw CommandFailure.noSuchTopic(topic);
        }
    }
}
