package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HighWatermarkCheckpointTest {
    private static final TopicPartition TP = new TopicPartition("orders", 2);
    private static final Uuid TOPIC_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAg");
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path root;
    private final MutableClock clock = new MutableClock(T0);
    private LogManager manager;

    private PartitionLog openReplicated(Path dir) throws Exception {
        manager = LogManager.open(List.of(dir), clock);
        return manager.getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults(), true);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void shouldWriteHighWatermarksInKafkaFormatOnClose() throws Exception {
        Path dir = root.resolve("d1");
        PartitionLog log = openReplicated(dir);
        log.appendAsFollower(Batches.replicated(0, 1, "a", "b", "c"));
        log.updateHighWatermark(2);

        manager.close();

        assertThat(Files.readAllLines(dir.resolve("replication-offset-checkpoint"))).containsExactly("0", "1", "orders 2 2");
    }

    @Test
    void shouldRestoreHighWatermarkAfterCleanRestart() throws Exception {
        Path dir = root.resolve("d1");
        PartitionLog log = openReplicated(dir);
        log.appendAsFollower(Batches.replicated(0, 1, "a", "b", "c"));
        log.updateHighWatermark(2);
        manager.close();

        PartitionLog reopened = openReplicated(dir);

        assertThat(reopened.highWatermark()).isEqualTo(2);
        assertThat(reopened.logEndOffset()).isEqualTo(3);
    }

    @Test
    void shouldRestoreCheckpointedHighWatermarkAfterUncleanShutdown() throws Exception {
        Path dir = root.resolve("d1");
        PartitionLog log = openReplicated(dir);
        log.appendAsFollower(Batches.replicated(0, 1, "a", "b", "c"));
        log.updateHighWatermark(2);
        manager.checkpoint();
        log.updateHighWatermark(3);
        // a crash: no clean close, so neither the marker nor the later high watermark is written
        LogManager crashed = manager;
        manager = null;

        PartitionLog recovered = openReplicated(dir);

        assertThat(dir.resolve(".kafka_cleanshutdown")).doesNotExist();
        assertThat(recovered.highWatermark()).isEqualTo(2);
        assertThat(recovered.logEndOffset()).isEqualTo(3);
        crashed.close();
    }

    @Test
    void shouldCheckpointAtOnceAHighWatermarkThatRecoveryCutBack() throws Exception {
        Path dir = root.resolve("d1");
        PartitionLog log = openReplicated(dir);
        log.appendAsFollower(Batches.replicated(0, 1, "a", "b", "c"));
        Path segment = dir.resolve("orders-2").resolve("00000000000000000000.log");
        long flushed = Files.size(segment);
        log.appendAsFollower(Batches.replicated(3, 1, "d", "e"));
        log.updateHighWatermark(5);
        manager.checkpoint();
        LogManager crashed = manager;
        manager = null;
        // a power loss: the second batch never reached the disk
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(flushed);
        }

        PartitionLog recovered = openReplicated(dir);

        assertThat(recovered.highWatermark()).isEqualTo(3);
        assertThat(Files.readAllLines(dir.resolve("replication-offset-checkpoint"))).containsExactly("0", "1", "orders 2 3");
        crashed.close();
    }

    @Test
    void shouldStartReplicatedLogWithoutEntryAtLogStart() throws Exception {
        Path dir = root.resolve("d1");
        PartitionLog log = openReplicated(dir);
        log.appendAsFollower(Batches.replicated(0, 1, "a"));
        manager.close();
        Files.delete(dir.resolve("replication-offset-checkpoint"));

        assertThat(openReplicated(dir).highWatermark()).isZero();
    }

    @Test
    void shouldKeepHighWatermarkAtLogEndForSingleReplicaLog() throws Exception {
        Path dir = root.resolve("d1");
        manager = LogManager.open(List.of(dir), clock);
        PartitionLog log = manager.getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a", "b"), 0);
        manager.close();
        Files.writeString(dir.resolve("replication-offset-checkpoint"), "0\n1\norders 2 0\n");

        manager = LogManager.open(List.of(dir), clock);

        assertThat(manager.getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults()).highWatermark()).isEqualTo(2);
    }
}
