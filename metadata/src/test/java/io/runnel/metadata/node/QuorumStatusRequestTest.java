package io.runnel.metadata.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.metadata.controller.ControllerConfig;
import io.runnel.metadata.quorum.QuorumSettings;
import io.runnel.metadata.quorum.QuorumStatus;
import io.runnel.metadata.quorum.QuorumStatus.VoterStatus;
import io.runnel.metadata.quorum.QuorumVoter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quorum status as any node gets it: three voters and a broker that does not vote, in one JVM. */
class QuorumStatusRequestTest {

    private static final QuorumSettings SETTINGS = new QuorumSettings(Duration.ofMillis(600), Duration.ofMillis(1200),
            Duration.ofMillis(300), Duration.ofSeconds(5), 50);
    private static final int OBSERVER = 4;

    @TempDir
    Path tempDir;

    private final List<QuorumMetadataNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(QuorumMetadataNode::close);
    }

    @Test
    void shouldGiveEveryNodeTheLeadersViewWithTheObserversThatFetch() throws Exception {
        List<QuorumVoter> voters = List.of(voter(1), voter(2), voter(3));
        for (QuorumVoter voter : voters) {
            nodes.add(QuorumMetadataNode.startVoter(voter.nodeId(), voters, tempDir.resolve("node-" + voter.nodeId()), SETTINGS, 10_000,
                    "AAAAAAAAAAAAAAAAAAAAAA", ControllerConfig.defaults()));
        }
        QuorumMetadataNode observer = QuorumMetadataNode.startObserver(OBSERVER, voters, SETTINGS);
        nodes.add(observer);
        await().atMost(Duration.ofSeconds(30)).until(() -> observer.publisher().image().clusterId() != null);

        for (QuorumMetadataNode node : nodes) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                QuorumStatus status = node.quorumStatus().get(10, TimeUnit.SECONDS);
                assertThat(status.voters()).extracting(VoterStatus::nodeId).containsExactly(1, 2, 3);
                assertThat(status.leaderId()).isIn(1, 2, 3);
                assertThat(status.term()).isPositive();
                assertThat(status.highWatermark()).isPositive();
                assertThat(status.voters()).filteredOn(voter -> voter.nodeId() == status.leaderId()).singleElement()
                        .satisfies(leader -> assertThat(leader.logEndIndex()).isGreaterThanOrEqualTo(status.highWatermark()));
                assertThat(status.observers()).singleElement().satisfies(fetcher -> {
                    assertThat(fetcher.nodeId()).isEqualTo(OBSERVER);
                    assertThat(fetcher.logEndIndex()).isPositive();
                    assertThat(fetcher.lastFetchTimestampMs()).isPositive();
                });
            });
        }
        assertThat(nodes.get(0).committedOffset()).isPresent();
        assertThat(observer.committedOffset()).isEmpty();
        assertThat(observer.nodeId()).isEqualTo(OBSERVER);
    }

    private static QuorumVoter voter(int nodeId) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new QuorumVoter(nodeId, "127.0.0.1", socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
