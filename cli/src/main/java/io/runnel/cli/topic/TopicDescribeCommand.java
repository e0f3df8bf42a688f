package io.runnel.cli.topic;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.CommandFailure;
import io.runnel.cli.client.KafkaResults;
import io.runnel.cli.output.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel topic describe [topic...]}: per topic its id, partition count, replication factor and
 * the configs that are not defaults (DescribeConfigs), then a table of partitions with leader, leader
 * epoch, replicas, in-sync and eligible leader replicas, the log start and end offsets and what is
 * wrong with the partition ({@link PartitionState}); when an open transaction holds a partition's last
 * stable offset below its end, the table gains a LAST-STABLE-OFFSET column (ListOffsets under
 * read_committed). Partitions come from {@code Admin#describeTopics} (DescribeTopicPartitions where
 * the broker serves it, else Metadata, which has no ELR); the leader epoch and offsets from
 * ListOffsets, which names the current leader epoch with the latest offset, and is asked only of
 * partitions that have a leader. {@code --under-replicated}, {@code --under-min-isr}
 * and {@code --offline} keep the partitions in any of those states, as kafka-topics' filters do. A
 * broker without DescribeConfigs still gets its partitions described, with configs said to be
 * unavailable (and no under-min-ISR judgement).
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show topics' partitions, leaders, epochs, replicas, ISR, ELR, offsets, states and non-default configs.")
final class TopicDescribeCommand extends ClientCommand {

    @Parameters(arity = "0..*", paramLabel = "topic", description = "The topics to describe (default: all).")
    private List<String> topics = new ArrayList<>();

    @Option(names = "--exclude-internal", description = "Without topic names: leave out internal topics.")
    private boolean excludeInternal;

    @Option(names = "--under-replicated", description = "Only partitions with fewer in-sync replicas than replicas.")
    private boolean underReplicated;

    @Option(names = "--under-min-isr", description = "Only partitions with fewer in-sync replicas than min.insync.replicas, or offline.")
    private boolean underMinIsr;

    @Option(names = "--offline", description = "Only partitions without a live leader.")
    private boolean offline;

    /** One partition as printed, with its states. */
    private record Row(TopicPartitionInfo info, Set<PartitionState> states) {
    }

    /**
     * What ListOffsets answered for the partitions shown: the log start, the end (the high watermark) and
     * the last stable offset (the latest offset under read_committed, below an open transaction).
     */
    private record Offsets(Map<TopicPartition, ListOffsetsResultInfo> start, Map<TopicPartition, ListOffsetsResultInfo> end,
                           Map<TopicPartition, ListOffsetsResultInfo> stable) {

        /** Whether any of {@code partitions} has a last stable offset below its high watermark: only then is the column shown. */
        boolean anyUnstable(List<TopicPartition> partitions) {
            return partitions.stream().anyMatch(partition -> end.containsKey(partition) && stable.containsKey(partition)
                    && stable.get(partition).offset() != end.get(partition).offset());
        }
    }

    /** One topic as printed: its description, config, and the partitions shown. */
    private record Shown(TopicDescription description, Optional<Config> config, List<Row> rows) {
    }

    @Override
    protected int execute() throws InterruptedException {
        try (Admin admin = client.newAdmin()) {
            List<String> names = topics.isEmpty() ? allTopics(admin) : topics;
            List<TopicDescription> descriptions = describe(admin, names);
            Optional<Map<String, Config>> configs = configs(admin, names);
            List<Shown> shown = new ArrayList<>();
            for (TopicDescription description : descriptions) {
                Optional<Config> config = configs.map(all -> all.get(description.name()));
                List<Row> rows = shownRows(description, config);
                if (!rows.isEmpty() || !filtered()) {
                    shown.add(new Shown(description, config, rows));
                }
            }
            List<TopicPartition> led = shown.stream().flatMap(TopicDescribeCommand::ledPartitions).toList();
            Offsets offsets = new Offsets(offsets(admin, led, OffsetSpec.earliest(), IsolationLevel.READ_UNCOMMITTED),
                    offsets(admin, led, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED),
                    offsets(admin, led, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED));
            for (Shown topic : shown) {
                if (topic != shown.get(0)) {
                    out().println();
                }
                print(topic, offsets);
            }
        }
        return 0;
    }

    private boolean filtered() {
        return underReplicated || underMinIsr || offline;
    }

    /** The partitions of {@code description} to show, in order: all, or those in a state asked for. */
    private List<Row> shownRows(TopicDescription description, Optional<Config> config) {
        OptionalInt minIsr = config.map(TopicDescribeCommand::minInsyncReplicas).orElse(OptionalInt.empty());
        List<Row> shown = new ArrayList<>();
        List<TopicPartitionInfo> partitions = new ArrayList<>(description.partitions());
        partitions.sort(Comparator.comparingInt(TopicPartitionInfo::partition));
        for (TopicPartitionInfo info : partitions) {
            Set<PartitionState> states = PartitionState.of(info, minIsr);
            boolean wanted = !filtered() || (underReplicated && states.contains(PartitionState.UNDER_REPLICATED))
                    || (underMinIsr && states.contains(PartitionState.UNDER_MIN_ISR)) || (offline && states.contains(PartitionState.OFFLINE));
            if (wanted) {
                shown.add(new Row(info, states));
            }
        }
        return shown;
    }

    private static OptionalInt minInsyncReplicas(Config config) {
        ConfigEntry entry = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        try {
            return entry == null || entry.value() == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(entry.value().trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The shown partitions that have a leader: the only ones ListOffsets can answer for without waiting out its timeout. */
    private static java.util.stream.Stream<TopicPartition> ledPartitions(Shown topic) {
        return topic.rows().stream()
                .filter(row -> !row.states().contains(PartitionState.OFFLINE))
                .map(row -> new TopicPartition(topic.description().name(), row.info().partition()));
    }

    private List<String> allTopics(Admin admin) throws InterruptedException {
        return new ArrayList<>(new TreeSet<>(KafkaResults.get(admin.listTopics(new ListTopicsOptions().listInternal(!excludeInternal)).names())));
    }

    private static List<TopicDescription> describe(Admin admin, List<String> names) throws InterruptedException {
        Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(names).topicNameValues();
        List<TopicDescription> descriptions = new ArrayList<>();
        for (String name : names) {
            try {
                descriptions.add(KafkaResults.get(futures.get(name)));
            } catch (UnknownTopicOrPartitionException e) {
                throw CommandFailure.noSuchTopic(name);
            }
        }
        return descriptions;
    }

    /** The offsets of each partition the broker could list them for (the table shows "-" for the others). */
    private static Map<TopicPartition, ListOffsetsResultInfo> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec,
                                                                      IsolationLevel isolation) throws InterruptedException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        ListOffsetsResult result = admin.listOffsets(request, new ListOffsetsOptions(isolation));
        Map<TopicPartition, ListOffsetsResultInfo> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            try {
                offsets.put(partition, KafkaResults.get(result.partitionResult(partition)));
            } catch (KafkaException e) {
                // left out: shown as "-"
            }
        }
        return offsets;
    }

    /** Each topic's config, or empty when the broker does not serve DescribeConfigs. */
    private static Optional<Map<String, Config>> configs(Admin admin, List<String> names) throws InterruptedException {
        List<ConfigResource> resources = names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        try {
            Map<ConfigResource, Config> configs = KafkaResults.get(admin.describeConfigs(resources).all());
            Map<String, Config> byTopic = new LinkedHashMap<>();
            configs.forEach((resource, config) -> byTopic.put(resource.name(), config));
            return Optional.of(byTopic);
        } catch (UnsupportedVersionException e) {
            return Optional.empty();
        }
    }

    private void print(Shown topic, Offsets offsets) {
        TopicDescription description = topic.description();
        List<TopicPartitionInfo> partitions = description.partitions();
        int replicationFactor = partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
        out().println("Topic: " + description.name() + "  Id: " + description.topicId() + "  Partitions: " + partitions.size()
                + "  Replication factor: " + replicationFactor + (description.isInternal() ? "  Internal: yes" : ""));
        out().println("Configs: " + topic.config().map(TopicDescribeCommand::nonDefault)
                .orElse("unavailable (the broker does not serve DescribeConfigs)"));
        boolean showStable = offsets.anyUnstable(topic.rows().stream()
                .map(row -> new TopicPartition(description.name(), row.info().partition())).toList());
        Table table = showStable
                ? new Table("PARTITION", "LEADER", "EPOCH", "REPLICAS", "ISR", "ELR", "LOG-START-OFFSET", "LOG-END-OFFSET", "LAST-STABLE-OFFSET",
                        "STATE")
                : new Table("PARTITION", "LEADER", "EPOCH", "REPLICAS", "ISR", "ELR", "LOG-START-OFFSET", "LOG-END-OFFSET", "STATE");
        for (Row row : topic.rows()) {
            table.row(cells(description.name(), row, offsets, showStable));
        }
        table.print(out());
    }

    /** One partition's cells, with the last stable offset before the state if {@code showStable}. */
    private static Object[] cells(String topic, Row row, Offsets offsets, boolean showStable) {
        TopicPartitionInfo info = row.info();
        Set<PartitionState> states = row.states();
        TopicPartition partition = new TopicPartition(topic, info.partition());
        ListOffsetsResultInfo end = offsets.end().get(partition);
        ListOffsetsResultInfo start = offsets.start().get(partition);
        List<Object> cells = new ArrayList<>(List.of(info.partition(), states.contains(PartitionState.OFFLINE) ? Table.NONE : info.leader().id(),
                end == null ? Table.NONE : end.leaderEpoch().map(Object::toString).orElse(Table.NONE), orNone(ids(info.replicas())),
                orNone(ids(info.isr())), info.elr() == null ? Table.NONE : orNone(ids(info.elr())),
                start == null ? Table.NONE : start.offset(), end == null ? Table.NONE : end.offset()));
        if (showStable) {
            ListOffsetsResultInfo stable = offsets.stable().get(partition);
            cells.add(stable == null ? Table.NONE : stable.offset());
        }
        cells.add(PartitionState.describe(states));
        return cells.toArray();
    }

    private static String orNone(String value) {
        return value == null ? Table.NONE : value;
    }

    /** The configs that are not the defaults, sorted by name, e.g. {@code cleanup.policy=compact, retention.ms=1000}. */
    static String nonDefault(Config config) {
        String entries = config.entries().stream()
                .filter(entry -> !entry.isDefault())
                .sorted(Comparator.comparing(ConfigEntry::name))
                .map(entry -> entry.name() + "=" + (entry.isSensitive() ? "(sensitive)" : entry.value()))
                .collect(Collectors.joining(", "));
        return entries.isEmpty() ? "(defaults)" : entries;
    }

    private static String ids(List<Node> nodes) {
        return nodes.isEmpty() ? null : nodes.stream().map(node -> Integer.toString(node.id())).collect(Collectors.joining(","));
    }
}
