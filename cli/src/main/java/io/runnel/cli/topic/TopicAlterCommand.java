package io.runnel.cli.topic;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.CommandFailure;
import io.runnel.cli.client.KafkaResults;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel topic alter <topic> [--partitions N] [--config k=v]... [--delete-config k]...}: sets
 * and removes topic configs (IncrementalAlterConfigs: SET and DELETE) and raises the partition count
 * (CreatePartitions). Configs are changed first; the line printed says what changed.
 */
@Command(name = "alter", mixinStandardHelpOptions = true,
        description = "Change a topic's configs or raise its partition count.")
final class TopicAlterCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "topic", description = "The topic to change.")
    private String topic;

    @Option(names = {"-p", "--partitions"}, description = "The new number of partitions (only more than now).")
    private Integer partitions;

    @Option(names = {"-c", "--config"}, paramLabel = "key=value", description = "Set a topic config. Repeatable.")
    private Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--delete-config", paramLabel = "key",
            description = "Remove a topic config, so the broker's default applies again. Repeatable.")
    private List<String> delete = new ArrayList<>();

    @Option(names = "--if-exists", description = "Succeed without a change when the topic does not exist.")
    private boolean ifExists;

    @Override
    protected int execute() throws InterruptedException {
        if (partitions == null && set.isEmpty() && delete.isEmpty()) {
            throw usageError("Nothing to change: give --partitions, --config or --delete-config");
        }
        try (Admin admin = client.newAdmin()) {
            if (!set.isEmpty() || !delete.isEmpty()) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                KafkaResults.get(admin.incrementalAlterConfigs(Map.of(resource, operations())).all());
            }
            if (partitions != null) {
                KafkaResults.get(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all());
            }
        } catch (UnknownTopicOrPartitionException e) {
            if (ifExists) {
                return 0;
            }
            throw CommandFailure.noSuchTopic(topic);
        }
        out().println("Altered topic " + topic + ": " + changes() + ".");
        return 0;
    }

    private Collection<AlterConfigOp> operations() {
        List<AlterConfigOp> operations = new ArrayList<>();
        set.forEach((name, value) -> operations.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET)));
        delete.forEach(name -> operations.add(new AlterConfigOp(new ConfigEntry(name, null), AlterConfigOp.OpType.DELETE)));
        return operations;
    }

    private String changes() {
        List<String> changes = new ArrayList<>();
        set.forEach((name, value) -> changes.add(name + "=" + value));
        delete.forEach(name -> changes.add("deleted " + name));
        if (partitions != null) {
            changes.add("partitions=" + partitions);
        }
        return String.join(", ", changes);
    }
}
