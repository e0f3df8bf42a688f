package io.runnel.metadata.quorum;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** N voters on loopback ports under one temp dir, each startable and stoppable; test-thread only. */
final class QuorumHarness implements AutoCloseable {

    static final QuorumSettings SETTINGS = new QuorumSettings(Duration.ofMillis(600), Duration.ofMillis(1200),
            Duration.ofMillis(300), Duration.ofSeconds(5), 50);

    private final Path dir;
    private final QuorumSettings settings;
    final List<QuorumVoter> voters = new ArrayList<>();
    private final Map<Integer, RaftQuorum> running = new HashMap<>();
    private final Map<Integer, RecordingStateMachine> machines = new HashMap<>();

    QuorumHarness(Path dir, int size, QuorumSettings settings) {
        this.dir = dir;
        this.settings = settings;
        for (int id = 1; id <= size; id++) {
            voters.add(new QuorumVoter(id, "127.0.0.1", freePort()));
        }
    }

    QuorumHarness startAll() {
        voters.forEach(v -> start(v.nodeId()));
        return this;
    }

    /** Starts (or restarts) a voter on its storage dir with a fresh state machine. */
    RaftQuorum start(int nodeId) {
        RecordingStateMachine machine = new RecordingStateMachine(nodeId);
        try {
            RaftQuorum quorum = RaftQuorum.start(nodeId, voters, dir.resolve("node-" + nodeId), settings, machine);
            machines.put(nodeId, machine);
            running.put(nodeId, quorum);
            return quorum;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop(int nodeId) {
        running.remove(nodeId).close();
    }

    RaftQuorum voter(int nodeId) {
        return running.get(nodeId);
    }

    RecordingStateMachine machine(int nodeId) {
        return machines.get(nodeId);
    }

    List<Integer> runningIds() {
        return List.copyOf(running.keySet());
    }

    /** Waits for a running voter to be leader and ready to append. */
    RaftQuorum awaitLeader() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                .until(() -> running.values().stream().anyMatch(RaftQuorum::isLeaderReady));
        return running.values().stream().filter(RaftQuorum::isLeaderReady).findFirst().orElseThrow();
    }

    /** Appends {@code count} entries "prefix-i" through the leader, each padded to {@code size} bytes, in order. */
    List<String> appendAll(String prefix, int count, int size) {
        RaftQuorum leader = awaitLeader();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String entry = pad(prefix + "-" + i, size);
            leader.append(entry.getBytes(StandardCharsets.UTF_8)).join();
            written.add(entry);
        }
        return written;
    }

    QuorumClient client() {
        return QuorumClient.connect(voters, settings);
    }

    private static String pad(String s, int size) {
        return s.length() >= size ? s : s + ".".repeat(size - s.length());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        List.copyOf(running.keySet()).forEach(this::stop);
    }
}
