package io.runnel.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Ratis voters on loopback ports and temp dirs. */
class RaftQuorumTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private QuorumHarness harness;

    @AfterEach
    void closeHarness() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void shouldElectSingleVoterAndApplyAppends() {
        harness = new QuorumHarness(dir, 1, QuorumHarness.SETTINGS).startAll();
        RaftQuorum leader = harness.awaitLeader();

        long first = leader.append(bytes("a")).join();
        long second = leader.append(bytes("b")).join();

        assertThat(second).isGreaterThan(first);
        assertThat(harness.machine(1).entries()).containsExactly("a", "b");
        assertThat(leader.leaderId()).hasValue(1);
        assertThat(harness.machine(1).readyTerm()).isEqualTo(leader.term());
        assertThat(harness.machine(1).lastLeaderSeen()).isEqualTo(1);
        QuorumStatus status = leader.status();
        assertThat(status.leaderId()).isEqualTo(1);
        assertThat(status.highWatermark()).isGreaterThanOrEqualTo(second);
    }

    @Test
    void shouldReplicateInOrderToAllVotersAndServeClientsFromLeader() {
        harness = new QuorumHarness(dir, 3, QuorumHarness.SETTINGS).startAll();
        List<String> written = harness.appendAll("e", 20, 0);

        for (int id : harness.runningIds()) {
            await().atMost(CATCH_UP).until(() -> harness.machine(id).entries().equals(written));
            assertThat(harness.machine(id).outOfOrder()).isFalse();
        }
        RaftQuorum leader = harness.awaitLeader();
        try (QuorumClient client = harness.client()) {
            byte[] reply = client.send(bytes("hello")).join();
            assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("node " + leader.nodeId() + " handled hello");
            assertThatThrownBy(() -> client.send(bytes("fail:no such topic")).join())
                    .cause().isInstanceOf(QuorumRequestException.class).hasMessage("no such topic");
        }
        QuorumStatus status = leader.status();
        assertThat(status.voters()).extracting(QuorumStatus.VoterStatus::nodeId).containsExactly(1, 2, 3);
        await().atMost(CATCH_UP).until(() -> leader.status().voters().stream()
                .allMatch(v -> v.logEndIndex() >= status.highWatermark() && v.lastFetchTimestampMs() > 0));
    }

    @Test
    void shouldRefuseAppendOnFollower() {
        harness = new QuorumHarness(dir, 3, QuorumHarness.SETTINGS).startAll();
        RaftQuorum leader = harness.awaitLeader();
        RaftQuorum follower = harness.runningIds().stream().map(harness::voter).filter(q -> q != leader)
                .findFirst().orElseThrow();

        assertThatThrownBy(() -> follower.append(bytes("x")).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(QuorumNotLeaderException.class);
    }

    @Test
    void shouldElectNewLeaderAndKeepEntriesWhenLeaderStops() {
        harness = new QuorumHarness(dir, 3, QuorumHarness.SETTINGS).startAll();
        List<String> written = new ArrayList<>(harness.appendAll("before", 10, 0));
        int oldLeader = harness.awaitLeader().nodeId();

        harness.stop(oldLeader);
        RaftQuorum newLeader = harness.awaitLeader();
        written.addAll(harness.appendAll("after", 10, 0));

        assertThat(newLeader.nodeId()).isNotEqualTo(oldLeader);
        for (int id : harness.runningIds()) {
            await().atMost(CATCH_UP).until(() -> harness.machine(id).entries().equals(written));
        }
        try (QuorumClient client = harness.client()) {
            assertThat(new String(client.send(bytes("hi")).join(), StandardCharsets.UTF_8))
                    .isEqualTo("node " + newLeader.nodeId() + " handled hi");
        }
    }

    @Test
    void shouldReplayFromSnapshotAndLogOnRestart() {
        harness = new QuorumHarness(dir, 3, QuorumHarness.SETTINGS).startAll();
        List<String> written = new ArrayList<>(harness.appendAll("one", 120, 0));
        int follower = followerOf(harness.awaitLeader());
        await().atMost(CATCH_UP).until(() -> harness.machine(follower).entries().equals(written));

        harness.stop(follower);
        written.addAll(harness.appendAll("two", 10, 0));
        harness.start(follower);

        assertThat(harness.machine(follower).restoredIndex()).as("restored from its own snapshot").isPositive();
        await().atMost(CATCH_UP).until(() -> harness.machine(follower).entries().equals(written));
        assertThat(harness.machine(follower).outOfOrder()).isFalse();
    }

    @Test
    void shouldInstallLeaderSnapshotOnVoterBehindPurgedLog() {
        harness = new QuorumHarness(dir, 3, QuorumHarness.SETTINGS).startAll();
        List<String> written = new ArrayList<>(harness.appendAll("early", 5, 0));
        RaftQuorum leader = harness.awaitLeader();
        int follower = followerOf(leader);
        await().atMost(CATCH_UP).until(() -> harness.machine(follower).entries().equals(written));

        harness.stop(follower);
        // 8 KiB entries roll 1 MiB segments, so snapshots let the leader purge past what the follower has.
        written.addAll(harness.appendAll("late", 400, 8 * 1024));
        await().atMost(CATCH_UP).until(() -> leader.logStartIndex() > 10);
        harness.start(follower);

        await().atMost(CATCH_UP).until(() -> harness.machine(follower).entries().equals(written));
        assertThat(harness.machine(follower).restoredIndex()).as("installed from the leader").isGreaterThan(10);
    }

    @Test
    void shouldFailClientWithinTimeoutWhenMajorityIsDown() {
        harness = new QuorumHarness(dir, 3, QuorumHarness.SETTINGS).startAll();
        int leader = harness.awaitLeader().nodeId();
        harness.stop(leader);
        harness.stop(harness.runningIds().get(0));

        try (QuorumClient client = harness.client()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.send(bytes("anyone?")).join())
                    .isInstanceOf(CompletionException.class)
                    .satisfies(e -> assertThat(e.getCause()).isInstanceOfAny(
                            java.util.concurrent.TimeoutException.class, QuorumUnavailableException.class));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isLessThan(QuorumHarness.SETTINGS.requestTimeout().plusSeconds(2));
        }
    }

    @Test
    void shouldStartAfterTornTailInLogSegment() throws Exception {
        harness = new QuorumHarness(dir, 1, QuorumHarness.SETTINGS).startAll();
        List<String> written = harness.appendAll("x", 10, 100);
        harness.stop(1);
        // A crash mid-append: no snapshot taken on the way down, and the last entry's bytes torn (garbage).
        Path node = dir.resolve("node-1");
        try (Stream<Path> files = Files.walk(node)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("snapshot.")) {
                    Files.delete(file);
                } else if (name.startsWith("log_inprogress_")) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.write(ByteBuffer.wrap(new byte[] {-1, -1, -1, -1, -1, -1, -1}), channel.size() - 7);
                    }
                }
            }
        }

        RaftQuorum restarted = harness.start(1);
        harness.awaitLeader();
        restarted.append(bytes("after")).join();

        List<String> replayed = harness.machine(1).entries();
        assertThat(replayed.get(replayed.size() - 1)).isEqualTo("after");
        assertThat(written).startsWith(replayed.subList(0, replayed.size() - 1).toArray(String[]::new));
        assertThat(replayed.size() - 1).isGreaterThanOrEqualTo(written.size() - 1);
    }

    private int followerOf(RaftQuorum leader) {
        return harness.runningIds().stream().filter(id -> id != leader.nodeId()).findFirst().orElseThrow();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
