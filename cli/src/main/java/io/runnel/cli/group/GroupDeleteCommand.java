package io.runnel.cli.group;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.CommandFailure;
import io.runnel.cli.client.KafkaResults;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code runnel group delete <group>...}: DeleteGroups, for groups without members; one line per deleted group. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete consumer groups that have no members, and their offsets.")
final class GroupDeleteCommand extends ClientCommand {

    @Parameters(arity = "1..*", paramLabel = "group", description = "The groups to delete.")
    private List<String> groups;

    @Override
    protected int execute() throws InterruptedException {
        try (Admin admin = client.newAdmin()) {
            Map<String, KafkaFuture<Void>> results = admin.deleteConsumerGroups(groups).deletedGroups();
            for (String group : groups) {
                try {
                    KafkaResults.get(results.get(group));
                    out().println("Deleted group " + group + ".");
                } catch (GroupIdNotFoundException e) {
                    throw CommandFailure.noSuchGroup(group);
                } catch (GroupNotEmptyException e) {
                    throw new CommandFailure("Group '" + group + "' is not empty: stop its consumers first.");
                }
            }
        }
        return 0;
    }
}
