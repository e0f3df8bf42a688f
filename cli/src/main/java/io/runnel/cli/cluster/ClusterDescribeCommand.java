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
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runnel cluster describe}: the cluster id, the controller and the brokers, fenced ones included
 * (DescribeCluster), then the metadata quorum: its leader, epoch and high watermark, and each voter's and
 * observer's log end and lag (DescribeQuorum); with {@code --api-versions}, also the API version ranges
 * the first bootstrap broker serves.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show the cluster id, the controller, the brokers and the metadata quorum.")
final class ClusterDescribeCommand extends ClientCommand {

    @Option(names = "--api-versions",
            description = "Also list the APIs and versions the (first) bootstrap broker serves (PLAINTEXT listeners only).")
    private boolean apiVersions;

    @Override
    protected int execute() throws InterruptedException, IOException {
        try (Admin admin = client.newAdmin()) {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true));
            String clusterId = KafkaResults.get(cluster.clusterId());
            Node controller = KafkaResults.get(cluster.controller());
            Collection<Node> brokers = KafkaResults.get(cluster.nodes());
            out().println("Cluster id: " + clusterId);
            out().println("Controller: " + (controller == null || controller.isEmpty() ? Table.NONE : controller.id()));
            Table table = new Table("BROKER", "HOST", "PORT", "RACK", "STATE");
            brokers.stream().sorted(Comparator.comparingInt(Node::id))
                    .forEach(node -> table.row(node.id(), node.host(), node.port(), node.rack(), node.isFenced() ? "fenced" : "live"));
            table.print(out());
            printQuorum(admin);
        }
        if (apiVersions) {
            printApiVersions();
        }
        return 0;
    }

    private void printQuorum(Admin admin) throws InterruptedException {
        QuorumInfo quorum;
        try {
            quorum = KafkaResults.get(admin.describeMetadataQuorum().quorumInfo());
        } catch (UnsupportedVersionException e) {
            err().println("runnel: the broker does not describe its metadata quorum (DescribeQuorum): " + e.getMessage());
            return;
        }
        out().println();
        out().println("Quorum leader: " + (quorum.leaderId() < 0 ? Table.NONE : quorum.leaderId()));
        out().println("Leader epoch: " + quorum.leaderEpoch());
        out().println("High watermark: " + quorum.highWatermark());
        Table table = new Table("NODE", "ROLE", "LOG-END-OFFSET", "LAG");
        quorum.voters().stream().sorted(Comparator.comparingInt(QuorumInfo.ReplicaState::replicaId)).forEach(voter ->
                table.row(voter.replicaId(), voter.replicaId() == quorum.leaderId() ? "leader" : "voter", offset(voter.logEndOffset()),
                        lag(quorum.highWatermark(), voter.logEndOffset())));
        quorum.observers().stream().sorted(Comparator.comparingInt(QuorumInfo.ReplicaState::replicaId)).forEach(observer ->
                table.row(observer.replicaId(), "observer", offset(observer.logEndOffset()), lag(quorum.highWatermark(), observer.logEndOffset())));
        table.print(out());
    }

    /** An offset to show: null (shown as "-") when unknown (negative). */
    static Long offset(long offset) {
        return offset < 0 ? null : offset;
    }

    /** How far a replica's log end is behind the high watermark: null (shown as "-") when its log end is unknown. */
    static Long lag(long highWatermark, long logEndOffset) {
        return logEndOffset < 0 || highWatermark < 0 ? null : Math.max(0, highWatermark - logEndOffset);
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
