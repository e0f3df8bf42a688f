package io.runnel.metadata.quorum;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test state machine: its state is the list of applied entries (as strings). Records what the quorum did
 * to it, so tests can check order, exactly-once and restores. Reads are synchronized; writes come from one thread.
 */
final class RecordingStateMachine implements QuorumStateMachine {

    private final int nodeId;
    private final List<String> entries = new ArrayList<>();
    private long lastIndex = -1;
    private long restoredIndex = -1;
    private final AtomicLong readyTerm = new AtomicLong(-1);
    private final AtomicLong lastLeaderSeen = new AtomicLong(-1);
    private boolean outOfOrder;

    RecordingStateMachine(int nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public synchronized void apply(long index, byte[] entry) {
        if (index <= lastIndex) {
            outOfOrder = true;
        }
        lastIndex = index;
        entries.add(new String(entry, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized byte[] snapshot() {
        return String.join("\n", entries).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void restore(long index, byte[] snapshot) {
        entries.clear();
        String text = new String(snapshot, StandardCharsets.UTF_8);
        if (!text.isEmpty()) {
            entries.addAll(Arrays.asList(text.split("\n")));
        }
        lastIndex = index;
        restoredIndex = index;
    }

    @Override
    public CompletableFuture<byte[]> handleRequest(byte[] request) {
        String text = new String(request, StandardCharsets.UTF_8);
        if (text.startsWith("fail:")) {
            return CompletableFuture.failedFuture(new IllegalStateException(text.substring(5)));
        }
        return CompletableFuture.completedFuture(("node " + nodeId + " handled " + text).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onLeaderReady(long term) {
        readyTerm.set(term);
    }

    @Override
    public void onLeaderChanged(int leaderId, long term) {
        lastLeaderSeen.set(leaderId);
    }

    synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    synchronized long restoredIndex() {
        return restoredIndex;
    }

    synchronized boolean outOfOrder() {
        return outOfOrder;
    }

    long lastLeaderSeen() {
        return lastLeaderSeen.get();
    }

    long readyTerm() {
        return readyTerm.get();
    }
}
