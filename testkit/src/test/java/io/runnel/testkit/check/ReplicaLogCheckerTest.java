package io.runnel.testkit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaLogCheckerTest {

    private static final String TOPIC = "events";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    @TempDir
    Path base;

    /** A batch to write: base offset, leader epoch, values (one record each). */
    private record B(long baseOffset, int epoch, String... values) {
    }

    private Path logDir(int node) {
        return base.resolve("node-" + node);
    }

    private Map<Integer, Path> logDirs() {
        return Map.of(1, logDir(1), 2, logDir(2), 3, logDir(3));
    }

    /** Writes {@code batches} as the segment {@code 00000000000000000000.log} of partition 0 on {@code node}. */
    private Path writeLog(int node, B... batches) throws IOException {
        Path partitionDir = logDir(node).resolve(TOPIC + "-0");
        Files.createDirectories(partitionDir);
        Path segment = partitionDir.resolve("00000000000000000000.log");
        try (FileRecords records = FileRecords.open(segment.toFile())) {
            for (B batch : batches) {
                List<SimpleRecord> simple = new ArrayList<>();
                for (String value : batch.values()) {
                    simple.add(new SimpleRecord(1_000L, "k".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
                }
                records.append(MemoryRecords.withRecords(batch.baseOffset(), Compression.NONE, batch.epoch(), simple.toArray(new SimpleRecord[0])));
            }
            records.flush();
        }
        return segment;
    }

    private void writeHighWatermark(int node, long highWatermark) throws IOException {
        Files.writeString(logDir(node).resolve(ReplicaLogChecker.HIGH_WATERMARK_CHECKPOINT), "0\n2\n" + TOPIC + " 0 " + highWatermark + "\nother 3 7\n");
    }

    /** The same three batches (offsets 0..5) on all three nodes, each node checkpointing {@code highWatermark}. */
    private void writeIdenticalReplicas(long highWatermark) throws IOException {
        for (int node = 1; node <= 3; node++) {
            writeLog(node, new B(0, 0, "a", "b"), new B(2, 0, "c"), new B(3, 1, "d", "e", "f"));
            writeHighWatermark(node, highWatermark);
        }
    }

    private ReplicaCheckResult check() {
        return ReplicaLogChecker.check(logDirs(), Set.of(TOPIC), 3);
    }

    @Test
    void shouldFindIdenticalReplicasConsistent() throws IOException {
        writeIdenticalReplicas(6);

        ReplicaCheckResult result = check();

        assertThat(result.consistent()).as(result.describe()).isTrue();
        assertThat(result.partitions()).isOne();
        assertThat(result.batches()).isEqualTo(3);
        assertThat(result).hasToString("1 partitions, 3 committed batches compared: replicas identical");
    }

    @Test
    void shouldFindAFollowerThatLacksACommittedBatch() throws IOException {
        writeIdenticalReplicas(6);
        Files.delete(logDir(3).resolve(TOPIC + "-0/00000000000000000000.log"));
        writeLog(3, new B(0, 0, "a", "b"), new B(2, 0, "c"));

        ReplicaCheckResult result = check();

        assertThat(result.consistent()).isFalse();
        assertThat(result.missingBatches()).isOne();
        assertThat(result.examples()).singleElement().asString().contains("node 3 lacks the batch at offset 3 [3..5");
    }

    @Test
    void shouldFindAReplicaWithADifferentBatchAtTheSameOffsets() throws IOException {
        writeIdenticalReplicas(6);
        Files.delete(logDir(2).resolve(TOPIC + "-0/00000000000000000000.log"));
        writeLog(2, new B(0, 0, "a", "b"), new B(2, 0, "X"), new B(3, 1, "d", "e", "f"));

        ReplicaCheckResult result = check();

        assertThat(result.consistent()).isFalse();
        assertThat(result.divergentBatches()).isOne();
        assertThat(result.examples()).singleElement().asString().contains("node 2 has [2..2").contains("where node 1 has [2..2");
    }

    @Test
    void shouldFindABatchStampedWithAnotherLeaderEpoch() throws IOException {
        writeIdenticalReplicas(6);
        Files.delete(logDir(1).resolve(TOPIC + "-0/00000000000000000000.log"));
        writeLog(1, new B(0, 0, "a", "b"), new B(2, 0, "c"), new B(3, 2, "d", "e", "f"));

        ReplicaCheckResult result = check();

        assertThat(result.divergentBatches()).isEqualTo(2);
        assertThat(result.examples()).singleElement().asString().contains("epoch 1").contains("epoch 2");
    }

    @Test
    void shouldIgnoreAnUnreplicatedTailAboveTheHighWatermark() throws IOException {
        writeIdenticalReplicas(6);
        Files.delete(logDir(1).resolve(TOPIC + "-0/00000000000000000000.log"));
        writeLog(1, new B(0, 0, "a", "b"), new B(2, 0, "c"), new B(3, 1, "d", "e", "f"), new B(6, 1, "tail"));

        assertThat(check().consistent()).isTrue();
    }

    @Test
    void shouldFindAFormerLeaderThatKeptADivergentTailBelowTheNewHighWatermark() throws IOException {
        // Node 1 led epoch 1 and wrote offset 6 alone; nodes 2 and 3 went on at epoch 2 and committed up to 8.
        writeLog(1, new B(0, 0, "a", "b"), new B(2, 0, "c"), new B(3, 1, "d", "e", "f"), new B(6, 1, "unacknowledged"));
        writeHighWatermark(1, 6);
        for (int node = 2; node <= 3; node++) {
            writeLog(node, new B(0, 0, "a", "b"), new B(2, 0, "c"), new B(3, 1, "d", "e", "f"), new B(6, 2, "g", "h"));
            writeHighWatermark(node, 8);
        }

        ReplicaCheckResult result = check();

        assertThat(result.consistent()).isFalse();
        assertThat(result.examples()).singleElement().asString().contains("committed below 8").contains("node 2 has [6..7");
    }

    @Test
    void shouldCompareUpToTheHighestCheckpointedHighWatermark() throws IOException {
        writeIdenticalReplicas(6);
        writeHighWatermark(3, 2);   // a follower a fetch behind still must hold everything committed

        ReplicaCheckResult result = check();

        assertThat(result.consistent()).isTrue();
        assertThat(result.batches()).isEqualTo(3);
    }

    @Test
    void shouldReportACorruptBatch() throws IOException {
        writeIdenticalReplicas(6);
        Path segment = logDir(2).resolve(TOPIC + "-0/00000000000000000000.log");
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long last = file.length() - 1;
            file.seek(last);
            int b = file.read();
            file.seek(last);
            file.write(~b);
        }

        ReplicaCheckResult result = check();

        assertThat(result.consistent()).isFalse();
        assertThat(result.examples()).singleElement().asString().contains("node 2 has a corrupt batch");
    }

    @Test
    void shouldFindAPartitionWithTooFewReplicas() throws IOException {
        writeIdenticalReplicas(6);
        ReplicaCheckResult result = ReplicaLogChecker.check(Map.of(1, logDir(1), 2, logDir(2)), Set.of(TOPIC), 3);

        assertThat(result.consistent()).isFalse();
        assertThat(result.examples()).singleElement().asString().contains("only 2 of 3 replicas");
    }

    @Test
    void shouldSkipBatchesBelowTheLogStartOffset() throws IOException {
        writeIdenticalReplicas(6);
        Files.delete(logDir(3).resolve(TOPIC + "-0/00000000000000000000.log"));
        writeLog(3, new B(2, 0, "c"), new B(3, 1, "d", "e", "f"));
        Files.writeString(logDir(3).resolve(ReplicaLogChecker.LOG_START_OFFSET_CHECKPOINT), "0\n1\n" + TOPIC + " 0 2\n");

        ReplicaCheckResult result = check();

        assertThat(result.consistent()).as(result.describe()).isTrue();
        assertThat(result.batches()).isEqualTo(2);
    }

    @Test
    void shouldCompareNothingWithoutAHighWatermark() throws IOException {
        writeLog(1, new B(0, 0, "a"));
        writeLog(2, new B(0, 0, "other"));
        writeLog(3, new B(0, 0, "a"));

        ReplicaCheckResult result = check();

        assertThat(result.consistent()).isTrue();
        assertThat(result.batches()).isZero();
    }

    @Test
    void shouldReadKafkasCheckpointFormatAndRefuseOthers() throws IOException {
        Path file = base.resolve("checkpoint");
        Files.writeString(file, "0\n2\nevents 0 42\nmy-topic-2 5 7\n");
        assertThat(ReplicaLogChecker.readCheckpoint(file)).containsExactlyInAnyOrderEntriesOf(Map.of(P0, 42L, new TopicPartition("my-topic-2", 5), 7L));
        assertThat(ReplicaLogChecker.readCheckpoint(base.resolve("absent"))).isEmpty();

        Files.writeString(file, "1\n0\n");
        assertThatThrownBy(() -> ReplicaLogChecker.readCheckpoint(file)).hasMessageContaining("not a version 0");
        Files.writeString(file, "0\n2\nevents 0 42\n");
        assertThatThrownBy(() -> ReplicaLogChecker.readCheckpoint(file)).hasMessageContaining("announces 2 entries but has 1");
    }
}
