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
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel topic describe [topic...]}: per topic its id, partition count, replication factor and
 * the configs that are not defaults (DescribeConfigs), then a table of partitions with leader,
 * replicas, in-sync replicas and the log start and end offsets (Metadata, ListOffsets). A broker
 * without DescribeConfigs still gets its partitions described, with configs said to be unavailable.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show topics' partitions, leaders, replicas, ISR, offsets and non-default configs.")
final class TopicDescribeCommand extends ClientCommand {

    @Parameters(arity = "0..*", paramLabel = "topic", description = "The topics to describe (default: all).")
    private List<String> topics = new ArrayList<>();

    @Option(names = "--exclude-internal", description = "Without topic names: leave out internal topics.")
    private boolean excludeInternal;

    @Override
    protected int execute() throws InterruptedException {
        try (Admin admin = client.newAdmin()) {
            List<String> names = topics.isEmpty() ? allTopics(admin) : topics;
            List<TopicDescription> descriptions = describe(admin, names);
            List<TopicPartition> partitions = descriptions.stream().flatMap(TopicDescribeCommand::partitions).toList();
            Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
            Optional<Map<String, Config>> configs = configs(admin, names);
            for (TopicDescription description : descriptions) {
                if (description != descriptions.get(0)) {
                    out().println();
                }
                print(description, configs.map(all -> all.get(description.name())), earliest, latest);
            }
        }
        return 0;
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

    private static java.util.stream.Stream<TopicPartition> partitions(TopicDescription description) {
        return description.partitions().stream().map(info -> new TopicPartition(description.name(), info.partition()));
    }

    /** The offsets, or none when the broker cannot list them (the table then shows "-"). */
    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        try {
            Map<TopicPartition, ListOffsetsResultInfo> result = KafkaResults.get(admin.listOffsets(request).all());
            return result.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
        } catch (KafkaException e) {
            return Map.of();
        }
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

    private void print(TopicDescription description, Optional<Config> config,
                       Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest) {
        List<TopicPartitionInfo> partitions = description.partitions();
        int replicationFactor = partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
        out().println("Topic: " + description.name() + "  Id: " + description.topicId() + "  Partitions: " + partitions.size()
                + "  Replication factor: " + replicationFactor + (description.isInternal() ? "  Internal: yes" : ""));
        out().println("Configs: " + config.map(TopicDescribeCommand::nonDefault)
                .orElse("unavailable (the broker does not serve DescribeConfigs)"));
        Table table = new Table("PARTITION", "LEADER", "REPLICAS", "ISR", "LOG-START-OFFSET", "LOG-END-OFFSET");
        for (TopicPartitionInfo info : partitions) {
            TopicPartition partition = new TopicPartition(description.name(), info.partition());
            table.row(info.partition(), info.leader() == null ? null : info.leader().id(), ids(info.replicas()), ids(info.isr()),
                    earliest.get(partition), latest.get(partition));
        }
        table.print(out());
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
