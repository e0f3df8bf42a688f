package io.runnel.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.testkit.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A three-node cluster with node 3 stopped, so that one single-partition topic is in each replica
 * state Kafka's tools report, built from ISR changes the controller makes when a broker leaves (no
 * data replication involved). After node 3 stops, node 1 leads {@link #AT_MIN_ISR},
 * {@link #UNDER_MIN_ISR} and {@link #MOVED} (which node 3 led), node 2 leads {@link #HEALTHY}, and
 * {@link #OFFLINE} has no leader:
 * <pre>
 * topic       replicas  min.insync.replicas  ISR after   state
 * at-min      1,2,3     2                    1,2         under-replicated, at min ISR
 * under-min   1,2,3     3                    1,2         under-replicated, under min ISR
 * moved       3,1,2     1                    1,2         under-replicated (leader moved to 1)
 * offline     3         1                    3           no leader (at min ISR, as kafka-topics counts it)
 * healthy     2,1       1                    2,1         in sync
 * </pre>
 */
public final class DegradedCluster implements AutoCloseable {

    public static final String AT_MIN_ISR = "at-min";
    public static final String UNDER_MIN_ISR = "under-min";
    public static final String MOVED = "moved";
    public static final String OFFLINE = "offline";
    public static final String HEALTHY = "healthy";
    /** The node that is stopped. */
    public static final int STOPPED = 3;

    private final EmbeddedCluster cluster;

    private DegradedCluster(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts the cluster in {@code dir}, creates the topics, stops node 3 and waits until the controller has taken it out of the ISRs. */
    public static DegradedCluster start(Path dir) throws ExecutionException, InterruptedException {
        EmbeddedCluster cluster = EmbeddedCluster.start(dir, 3, Map.of());
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers(1))) {
            admin.createTopics(List.of(
                    new NewTopic(AT_MIN_ISR, Map.of(0, List.of(1, 2, 3))).configs(Map.of("min.insync.replicas", "2")),
                    new NewTopic(UNDER_MIN_ISR, Map.of(0, List.of(1, 2, 3))).configs(Map.of("min.insync.replicas", "3")),
                    new NewTopic(MOVED, Map.of(0, List.of(3, 1, 2))),
                    new NewTopic(OFFLINE, Map.of(0, List.of(3))),
                    new NewTopic(HEALTHY, Map.of(0, List.of(2, 1))))).all().get();
            cluster.stop(STOPPED);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(admin.describeTopics(List.of(AT_MIN_ISR, UNDER_MIN_ISR, MOVED))
                    .allTopicNames().get().values()).allSatisfy(topic -> assertThat(topic.partitions().get(0).isr()).hasSize(2)));
        } catch (ExecutionException | InterruptedException | RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
        return new DegradedCluster(cluster);
    }

    /** The running cluster. */
    public EmbeddedCluster cluster() {
        return cluster;
    }

    /** Node 1's address. */
    public String bootstrapServers() {
        return cluster.bootstrapServers(1);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
