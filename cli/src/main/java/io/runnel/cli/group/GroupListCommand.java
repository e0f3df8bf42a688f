package io.runnel.cli.group;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.KafkaResults;
import io.runnel.cli.output.Table;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runnel group list}: the consumer groups' ids, sorted, one per line, or a table with {@code --long} (ListGroups). */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List consumer group ids, one per line.")
final class GroupListCommand extends ClientCommand {

    @Option(names = {"-l", "--long"}, description = "A table with each group's type (Classic or Consumer) and state.")
    private boolean detailed;

    @Override
    protected int execute() throws InterruptedException {
        List<GroupListing> groups;
        try (Admin admin = client.newAdmin()) {
            groups = KafkaResults.get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()).stream()
                    .sorted(Comparator.comparing(GroupListing::groupId)).toList();
        }
        if (!detailed) {
            groups.forEach(group -> out().println(group.groupId()));
            return 0;
        }
        Table table = new Table("GROUP", "TYPE", "STATE");
        groups.forEach(group -> table.row(group.groupId(), group.type().map(Object::toString).orElse(null),
                group.groupState().map(Object::toString).orElse(null)));
        table.print(out());
        return 0;
    }
}
