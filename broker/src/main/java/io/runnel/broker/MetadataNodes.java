package io.runnel.broker;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.InvalidConfigException;
import io.runnel.broker.config.ProcessRole;
import io.runnel.metadata.controller.ControllerConfig;
import io.runnel.metadata.node.BrokerLifecycle;
import io.runnel.metadata.node.LocalMetadataNode;
import io.runnel.metadata.node.MetadataNode;
import io.runnel.metadata.node.QuorumMetadataNode;
import io.runnel.metadata.quorum.QuorumSettings;
import io.runnel.metadata.quorum.QuorumVoter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.DuplicateBrokerRegistrationException;
import org.apache.kafka.common.errors.InconsistentClusterIdException;

/**
 * Starts a node's part in cluster metadata as its configuration asks: a node alone keeps a local
 * metadata log; in a cluster ({@code process.roles} set) a voter of {@code controller.quorum.voters} runs
 * a Ratis server, and a broker that does not vote follows the quorum. Start-up waits are bounded by
 * {@code initial.broker.registration.timeout.ms}, and what goes wrong is one line naming the cause.
 */
final class MetadataNodes {

    /** Not named like a partition directory, so no log scan mistakes it for one. */
    private static final String METADATA_DIR = "__runnel_metadata";

    private MetadataNodes() {
    }

    /** Starts the metadata node; an empty log records {@code proposedClusterId} (the first controller's wins). */
    static MetadataNode start(BrokerConfig config, String proposedClusterId) throws IOException {
        Path dir = config.metadataLogDir().resolve(METADATA_DIR);
        if (!config.clusterMode()) {
            return LocalMetadataNode.open(dir, config.nodeId(), proposedClusterId, config.brokerSessionTimeoutMs(), controllerConfig(config));
        }
        QuorumSettings settings = settings(config);
        boolean controller = config.processRoles().contains(ProcessRole.CONTROLLER);
        if (config.quorumVoters().isEmpty() && controller) {
            throw new InvalidConfigException("Invalid value '' for configuration controller.quorum.voters: a controller needs the voters listed "
                    + "(controller.quorum.bootstrap.servers alone, Kafka's dynamic quorum, serves brokers only)");
        }
        if (controller) {
            return QuorumMetadataNode.startVoter(config.nodeId(), voters(config), dir.resolve("quorum"), settings, config.brokerSessionTimeoutMs(),
                    proposedClusterId, controllerConfig(config));
        }
        return QuorumMetadataNode.startObserver(config.nodeId(), config.quorumVoters().isEmpty() ? bootstrapVoters(config) : voters(config), settings);
    }

    /** The static configs the active controller on this node falls back to. */
    static ControllerConfig controllerConfig(BrokerConfig config) {
        return new ControllerConfig(config.minInsyncReplicas(), config.uncleanLeaderElectionEnable(), config.autoLeaderRebalanceEnable(),
                TimeUnit.SECONDS.toMillis(config.leaderImbalanceCheckIntervalSeconds()), config.leaderImbalancePerBrokerPercentage());
    }

    private static List<QuorumVoter> voters(BrokerConfig config) {
        return config.quorumVoters().stream().map(v -> new QuorumVoter(v.nodeId(), v.host(), v.port())).toList();
    }

    /**
     * The controllers of {@code controller.quorum.bootstrap.servers}, whose node ids a broker does not
     * know: they get placeholder ids from the top of the range (as Kafka's clients do for coordinators),
     * and the quorum client follows the leader that whichever one answers names, with its real id.
     */
    private static List<QuorumVoter> bootstrapVoters(BrokerConfig config) {
        List<QuorumVoter> voters = new java.util.ArrayList<>();
        for (java.net.InetSocketAddress server : config.quorumBootstrapServers()) {
            voters.add(new QuorumVoter(Integer.MAX_VALUE - voters.size(), server.getHostString(), server.getPort()));
        }
        return voters;
    }

    private static QuorumSettings settings(BrokerConfig config) {
        QuorumSettings defaults = QuorumSettings.defaults();
        Duration election = Duration.ofMillis(config.controllerQuorumElectionTimeoutMs());
        return new QuorumSettings(election, election.multipliedBy(2), defaults.firstElectionTimeout(),
                Duration.ofMillis(Math.max(config.controllerQuorumRequestTimeoutMs(), 2 * election.toMillis() + 1000)),
                defaults.snapshotEveryEntries());
    }

    /** Waits until the node's metadata holds a cluster id (the quorum has elected a controller that recorded one). */
    static String awaitClusterId(MetadataNode node, BrokerConfig config) throws IOException {
        long deadline = System.currentTimeMillis() + config.initialBrokerRegistrationTimeoutMs();
        try {
            node.publisher().awaitOffset(1).get(config.initialBrokerRegistrationTimeoutMs(), TimeUnit.MILLISECONDS);
            while (node.publisher().image().clusterId() == null && System.currentTimeMillis() < deadline) {
                node.publisher().awaitOffset(node.publisher().image().offset() + 1).get(
                        Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the metadata quorum", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // handled below: no cluster id
        }
        String clusterId = node.publisher().image().clusterId();
        if (clusterId == null) {
            throw new IOException("no metadata quorum leader within " + config.initialBrokerRegistrationTimeoutMs()
                    + " ms (initial.broker.registration.timeout.ms); is a majority of controller.quorum.voters " + config.quorumVoters() + " running?");
        }
        return clusterId;
    }

    /** Registers the broker and waits until the controller unfences it. */
    static void awaitUnfenced(BrokerLifecycle lifecycle, BrokerConfig config) throws IOException {
        try {
            lifecycle.start(config.initialBrokerRegistrationTimeoutMs()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while registering with the controller", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DuplicateBrokerRegistrationException) {
                throw new InvalidConfigException("Invalid value " + config.nodeId() + " for configuration node.id: " + cause.getMessage());
            }
            if (cause instanceof InconsistentClusterIdException) {
                throw new InvalidConfigException("Invalid value " + config.logDirs() + " for configuration log.dirs: " + cause.getMessage());
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }
}
