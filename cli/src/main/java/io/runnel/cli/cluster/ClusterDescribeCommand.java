package io.runnel.cli.cluster;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.KafkaResults;
import io.runnel.cli.output.Table;
import java.util.Collection;
import java.util.Comparator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import picocli.CommandLine.Command;

/** {@code runnel cluster describe}: the cluster id, the controller and the brokers (DescribeCluster). */
@Command(name = "describe", mixinStandardHelpOptions = true, description = "Show the cluster id, the controller and the brokers.")
final class ClusterDescribeCommand extends ClientCommand {

    @Override
    protected int execute() throws InterruptedException {
        try (Admin admin = client.newAdmin()) {
            DescribeClusterResult cluster = admin.describeCluster();
            String clusterId = KafkaResults.get(cluster.clusterId());
            Node controller = KafkaResults.get(cluster.controller());
            Collection<Node> brokers = KafkaResults.get(cluster.nodes());
            out().println("Cluster id: " + clusterId);
            out().println("Controller: " + (controller == null || controller.isEmpty() ? Table.NONE : controller.id()));
            Table table = new Table("BROKER", "HOST", "PORT", "RACK");
            brokers.stream().sorted(Comparator.comparingInt(Node::id))
                    .forEach(node -> table.row(node.id(), node.host(), node.port(), node.rack()));
            table.print(out());
        }
        return 0;
    }
}
