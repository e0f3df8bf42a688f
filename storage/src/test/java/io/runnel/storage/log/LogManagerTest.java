package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    private static final TopicPartition TP = new TopicPartition("orders", 2);
    private static final Uuid TOPIC_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAg");
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path root;
    private final MutableClock clock = new MutableClock(T0);
    private LogManager manager;

    private LogManager openManager(Path... dirs) throws Exception {
        manager = LogManager.open(List.of(dirs), clock);
        return manager;
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void shouldCreateLogWithPartitionMetadata() throws Exception {
        Path dir = root.resolve("d1");
        openManager(dir).getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults());

        assertThat(Files.readAllLines(dir.resolve("orders-2/partition.metadata")))
                .containsExactly("version: 0", "topic_id: " + TOPIC_ID);
        assertThat(manager.log(TP)).isPresent();
        assertThat(manager.allLogs()).hasSize(1);
    }

    @Test
    void shouldRefuseTopicIdMismatch() throws Exception {
        Path dir = root.resolve("d1");
        openManager(dir).getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults());
        manager.close();

        LogManager reopened = openManager(dir);

        assertThatThrownBy(() -> reopened.getOrCreateLog(TP, Uuid.randomUuid(), LogConfig.defaults()))
                .isInstanceOf(InconsistentTopicIdException.class);
    }

    @Test
    void shouldPlaceNewLogsInDirectoryWithFewestPartitions() throws Exception {
        Path d1 = root.resolve("d1");
        Path d2 = root.resolve("d2");
        openManager(d1, d2);

        for (int p = 0; p < 4; p++) {
            manager.getOrCreateLog(new TopicPartition("t", p), TOPIC_ID, LogConfig.defaults());
        }

        assertThat(manager.allLogs()).filteredOn(l -> l.dir().getParent().equals(d1)).hasSize(2);
        assertThat(manager.allLogs()).filteredOn(l -> l.dir().getParent().equals(d2)).hasSize(2);
    }

    @Test
    void shouldWriteMarkerAndCheckpointsOnCloseAndReopenCleanly() throws Exception {
        Path dir = root.resolve("d1");
        PartitionLog log = openManager(dir).getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a", "b", "c"), 0);
        manager.close();

        assertThat(dir.resolve(".kafka_cleanshutdown")).exists();
        assertThat(Files.readAllLines(dir.resolve("recovery-point-offset-checkpoint"))).containsExactly("0", "1", "orders 2 3");
        assertThat(Files.readAllLines(dir.resolve("log-start-offset-checkpoint"))).containsExactly("0", "1", "orders 2 0");

        PartitionLog reopened = openManager(dir).getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults());

        assertThat(dir.resolve(".kafka_cleanshutdown")).doesNotExist();
        assertThat(reopened.logEndOffset()).isEqualTo(3);
        assertThat(reopened.recoveryPoint()).isEqualTo(3);
    }

    @Test
    void shouldRecoverTornTailWhenMarkerIsMissing() throws Exception {
        Path dir = root.resolve("d1");
        PartitionLog log = openManager(dir).getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a"), 0);
        long goodSize = log.sizeInBytes();
        log.appendAsLeader(Batches.plain(T0, "b"), 0);
        manager.close();
        Files.delete(dir.resolve(".kafka_cleanshutdown"));
        // pretend nothing was flushed: the recovery point checkpoint still says 0
        Files.writeString(dir.resolve("recovery-point-offset-checkpoint"), "0\n1\norders 2 0\n");
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("orders-2/00000000000000000000.log").toFile(), "rw")) {
            file.setLength(goodSize + 7);
        }

        PartitionLog recovered = openManager(dir).getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults());

        assertThat(recovered.logEndOffset()).isEqualTo(1);
        assertThat(Batches.values(recovered.read(0, 1000, true))).containsExactly("a");
    }

    @Test
    void shouldNotMarkDirectoryCleanWhileAnUnrecoveredLogRemains() throws Exception {
        Path dir = root.resolve("d1");
        openManager(dir).getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults());
        manager.close();
        Files.delete(dir.resolve(".kafka_cleanshutdown"));

        openManager(dir).close();

        assertThat(dir.resolve(".kafka_cleanshutdown")).doesNotExist();
        assertThat(Files.readAllLines(dir.resolve("recovery-point-offset-checkpoint"))).contains("orders 2 0");
    }

    @Test
    void shouldRemoveDeletedLogDirectoryEventually() throws Exception {
        Path dir = root.resolve("d1");
        PartitionLog log = openManager(dir).getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults().withFileDeleteDelayMs(60_000));
        log.appendAsLeader(Batches.plain(T0, "a"), 0);

        manager.deleteLog(TP);

        assertThat(manager.log(TP)).isEmpty();
        assertThat(dir.resolve("orders-2")).doesNotExist();
        assertThat(childNames(dir)).anyMatch(n -> n.matches("orders-2\\.[0-9a-f]{32}-delete"));
        manager.close();
        assertThat(childNames(dir)).noneMatch(n -> n.startsWith("orders-2"));
    }

    @Test
    void shouldPersistLogStartOffsetAfterRetention() throws Exception {
        Path dir = root.resolve("d1");
        LogConfig config = LogConfig.defaults().withSegmentBytes(300).withRetentionMs(1_000).withFileDeleteDelayMs(0);
        PartitionLog log = openManager(dir).getOrCreateLog(TP, TOPIC_ID, config);
        for (int i = 0; i < 6; i++) {
            log.appendAsLeader(Batches.plain(T0, "value-" + "x".repeat(60) + i), 0);
        }
        clock.advance(2_000);
        log.appendAsLeader(Batches.plain(clock.millis(), "fresh"), 0);

        manager.runRetention();

        assertThat(Files.readAllLines(dir.resolve("log-start-offset-checkpoint"))).containsExactly("0", "1", "orders 2 6");
        manager.close();
        PartitionLog reopened = openManager(dir).getOrCreateLog(TP, TOPIC_ID, config);
        assertThat(reopened.logStartOffset()).isEqualTo(6);
        assertThat(reopened.logEndOffset()).isEqualTo(7);
    }

    @Test
    void shouldExpireIdleProducersDuringRetention() throws Exception {
        LogConfig config = LogConfig.defaults().withProducerIdExpirationMs(60_000);
        PartitionLog log = openManager(root.resolve("d1")).getOrCreateLog(TP, TOPIC_ID, config);
        log.appendAsLeader(Batches.idempotent(7L, (short) 0, 0, T0, "a"), 0);
        clock.advance(60_000);

        manager.runRetention();

        assertThat(log.appendAsLeader(Batches.idempotent(7L, (short) 0, 42, T0, "b"), 0).firstOffset()).isEqualTo(1);
    }

    @Test
    void shouldRunBackgroundTasksWithoutDisturbingAppends() throws Exception {
        Path dir = root.resolve("d1");
        PartitionLog log = openManager(dir).getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults());
        manager.startBackgroundTasks(1, 1, 1);

        for (int i = 0; i < 50; i++) {
            log.appendAsLeader(Batches.plain(T0, "v" + i), 0);
        }

        assertThat(log.logEndOffset()).isEqualTo(50);
    }

    private static List<String> childNames(Path dir) throws Exception {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).toList();
        }
    }
}
