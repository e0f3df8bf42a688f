package io.runnel.cli.cluster;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.CommandFailure;
import io.runnel.cli.client.KafkaResults;
import io.runnel.cli.output.Table;
import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runnel cluster describe}: the cluster id, the controller and the brokers (DescribeCluster);
 * with {@code --api-versions}, also the API version ranges the first bootstrap broker serves.
 */
@Command(name = "describe", mixinStandardHelpOptions = true, description = "Show the cluster id, the controller and the brokers.")
final class ClusterDescribeCommand extends ClientCommand {

    @Option(names = "--api-versions",
            description = "Also list the APIs and versions the (first) bootstrap broker serves (PLAINTEXT listeners only).")
    private boolean apiVersions;

    @Override
    protected int execute() throws InterruptedException, IOException {
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
        if (apiVersions) {
            printApiVersions();
        }
        return 0;
    }

    private void printApiVersions() throws IOException {
        Properties config = client.adminConfig();
        String protocol = config.getProperty("security.protocol", "PLAINTEXT");
        if (!protocol.equalsIgnoreCase("PLAINTEXT")) {
            throw new CommandFailure("--api-versions speaks PLAINTEXT only, not " + protocol);
        }
        String first = client.bootstrapServer().split(",")[0].trim();
        int timeoutMs = Integer.parseInt(config.getProperty("request.timeout.ms").trim());
        Table table = new Table("API", "KEY", "MIN", "MAX");
        ApiVersionsProbe.probe(first, timeoutMs).stream().sorted(Comparator.comparingInt(ApiVersion::apiKey)).forEach(api ->
                table.row(ApiKeys.hasId(api.apiKey()) ? ApiKeys.forId(api.apiKey()).name : "unknown", api.apiKey(),
                        api.minVersion(), api.maxVersion()));
        out().println();
        out().println("API versions of " + first + ":");
        table.print(out());
    }
}
