package io.runnel.cli.topic;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.CommandFailure;
import io.runnel.cli.client.KafkaResults;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runnel topic delete <topic>...}: DeleteTopics, one line per deleted topic. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete topics and their records.")
final class TopicDeleteCommand extends ClientCommand {

    @Parameters(arity = "1..*", paramLabel = "topic", description = "The topics to delete.")
    private List<String> topics;

    @Option(names = "--if-exists", description = "Succeed without a change for a topic that does not exist.")
    private boolean ifExists;

    @Override
    protected int execute() throws InterruptedException {
        try (Admin admin = client.newAdmin()) {
            Map<String, KafkaFuture<Void>> results = admin.deleteTopics(topics).topicNameValues();
            for (String topic : topics) {
                try {
                    KafkaResults.get(results.get(topic));
                    out().println("Deleted topic " + topic + ".");
                } catch (UnknownTopicOrPartitionException e) {
                    if (!ifExists) {
                        throw CommandFailure.noSuchTopic(topic);
                    }
                }
            }
        }
        return 0;
    }
}
