package io.runnel.cli.topic;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.CommandFailure;
import io.runnel.cli.client.KafkaResults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel topic create <topic> [--partitions N] [--replication-factor N] [--config k=v]...}:
 * CreateTopics. Partitions and replication factor not given are the broker's defaults
 * ({@code num.partitions}, {@code default.replication.factor}).
 */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
final class TopicCreateCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "topic", description = "The topic's name.")
    private String topic;

    @Option(names = {"-p", "--partitions"}, description = "Number of partitions (default: the broker's num.partitions).")
    private Integer partitions;

    @Option(names = {"-r", "--replication-factor"},
            description = "Replicas per partition (default: the broker's default.replication.factor).")
    private Short replicationFactor;

    @Option(names = {"-c", "--config"}, paramLabel = "key=value",
            description = "A topic config, e.g. retention.ms=3600000 or cleanup.policy=compact. Repeatable.")
    private Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--if-not-exists", description = "Succeed without a change when the topic exists.")
    private boolean ifNotExists;

    @Override
    protected int execute() throws InterruptedException {
        NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                .configs(configs);
        try (Admin admin = client.newAdmin()) {
            KafkaResults.get(admin.createTopics(List.of(newTopic)).all());
            out().println("Created topic " + topic + ".");
        } catch (TopicExistsException e) {
            if (!ifNotExists) {
                throw new CommandFailure("Topic '" + topic + "' already exists.");
            }
        }
        return 0;
    }
}
