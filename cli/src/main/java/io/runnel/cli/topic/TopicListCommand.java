package io.runnel.cli.topic;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.KafkaResults;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runnel topic list}: the topics' names, sorted, one per line (Metadata). */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List topic names, one per line.")
final class TopicListCommand extends ClientCommand {

    @Option(names = "--exclude-internal", description = "Leave out internal topics such as __consumer_offsets.")
    private boolean excludeInternal;

    @Override
    protected int execute() throws InterruptedException {
        try (Admin admin = client.newAdmin()) {
            Set<String> names = KafkaResults.get(admin.listTopics(new ListTopicsOptions().listInternal(!excludeInternal)).names());
            new TreeSet<>(names).forEach(out()::println);
        }
        return 0;
    }
}
