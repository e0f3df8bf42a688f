package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class PartitionLogRecoveryTest extends LogTestBase {

    private Path segmentFile(long base, String suffix) {
        return partitionDir().resolve(String.format("%020d", base) + suffix);
    }

    @Test
    void shouldKeepLogEndOffsetAndDataAfterCleanReopen() throws Exception {
        LogConfig config = LogConfig.defaults().withSegmentBytes(1_000).withIndexIntervalBytes(50);
        PartitionLog log = open(config);
        for (int i = 0; i < 40; i++) {
            log.appendAsLeader(Batches.plain(T0 + i, "v" + i), 0);
        }
        int segments = log.segmentCount();
        log.close();

        PartitionLog reopened = open(config);

        assertThat(reopened.logEndOffset()).isEqualTo(40);
        assertThat(reopened.segmentCount()).isEqualTo(segments);
        assertThat(Batches.values(reopened.read(39, 1000, false))).containsExactly("v39");
        assertThat(reopened.appendAsLeader(Batches.plain(T0, "next"), 0).firstOffset()).isEqualTo(40);
    }

    @Test
    void shouldTruncateTornTailOnRecovery() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a", "b"), 0);
        log.appendAsLeader(Batches.plain(T0, "c"), 0);
        long goodSize = log.sizeInBytes();
        log.appendAsLeader(Batches.plain(T0, "torn-batch"), 0);
        log.close();
        try (RandomAccessFile file = new RandomAccessFile(segmentFile(0, ".log").toFile(), "rw")) {
            file.setLength(goodSize + 20);
        }

        PartitionLog recovered = open(LogConfig.defaults(), false, 0);

        assertThat(recovered.logEndOffset()).isEqualTo(3);
        assertThat(recovered.sizeInBytes()).isEqualTo(goodSize);
        assertThat(Batches.values(recovered.read(0, Integer.MAX_VALUE, false))).containsExactly("a", "b", "c");
        assertThat(recovered.appendAsLeader(Batches.plain(T0, "d"), 0).firstOffset()).isEqualTo(3);
    }

    @Test
    void shouldTruncateAtBatchWithCorruptCrcAndDeleteLaterSegments() throws Exception {
        LogConfig config = LogConfig.defaults().withSegmentBytes(400);
        PartitionLog log = open(config);
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(Batches.plain(T0, "value-" + i + "-" + "x".repeat(40)), 0);
        }
        assertThat(log.segmentCount()).isGreaterThan(2);
        long secondBase = Batches.batches(log.read(0, Integer.MAX_VALUE, false)).size();
        int secondBatchPosition = (int) (log.read(secondBase + 1, Integer.MAX_VALUE, false).position());
        log.close();
        try (RandomAccessFile file = new RandomAccessFile(segmentFile(secondBase, ".log").toFile(), "rw")) {
            file.seek(secondBatchPosition + 70);
            int b = file.read();
            file.seek(secondBatchPosition + 70);
            file.write(b ^ 0xff);
        }

        PartitionLog recovered = open(config, false, 0);

        assertThat(recovered.logEndOffset()).isEqualTo(secondBase + 1);
        assertThat(recovered.segmentCount()).isEqualTo(2);
        assertThat(Batches.values(recovered.read(0, Integer.MAX_VALUE, false))).first().isEqualTo("value-0-" + "x".repeat(40));
        assertThat(Files.exists(segmentFile(secondBase * 2, ".log"))).isFalse();
    }

    @Test
    void shouldRebuildMissingIndexAfterCleanShutdown() throws Exception {
        LogConfig config = LogConfig.defaults().withSegmentBytes(2_000).withIndexIntervalBytes(64);
        PartitionLog log = open(config);
        for (int i = 0; i < 60; i++) {
            log.appendAsLeader(Batches.plain(T0 + i, "v" + i), 0);
        }
        log.close();
        long indexSize = Files.size(segmentFile(0, ".index"));
        Files.delete(segmentFile(0, ".index"));
        Files.delete(segmentFile(0, ".timeindex"));

        PartitionLog reopened = open(config);

        assertThat(Files.size(segmentFile(0, ".index"))).isEqualTo(indexSize).isPositive();
        assertThat(Batches.values(reopened.read(10, 30, true))).first().isEqualTo("v10");
        assertThat(reopened.findOffsetByTimestamp(T0 + 5)).map(TimestampAndOffset::offset).contains(5L);
    }

    @Test
    void shouldRebuildIndexesOfRecoveredActiveSegment() throws Exception {
        LogConfig config = LogConfig.defaults().withIndexIntervalBytes(64);
        PartitionLog log = open(config);
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(Batches.plain(T0 + i, "v" + i), 0);
        }
        log.close();
        // an unclean shutdown leaves the active index preallocated with zeros
        try (RandomAccessFile file = new RandomAccessFile(segmentFile(0, ".index").toFile(), "rw")) {
            file.setLength(config.segmentIndexBytes());
        }

        PartitionLog recovered = open(config, false, 0);

        assertThat(recovered.logEndOffset()).isEqualTo(30);
        assertThat(Batches.values(recovered.read(17, 1, true))).containsExactly("v17");
    }

    @Test
    void shouldRecoverActiveSegmentWithGarbageTailAfterCleanShutdown() throws Exception {
        LogConfig config = LogConfig.defaults().withSegmentBytes(1_000).withIndexIntervalBytes(50);
        PartitionLog log = open(config);
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(Batches.plain(T0 + i, "v" + i), 0);
        }
        long activeBase = log.logEndOffset() - 1;
        while (!Files.exists(segmentFile(activeBase, ".log"))) {
            activeBase--;
        }
        long size = log.sizeInBytes();
        log.close();
        Path active = segmentFile(activeBase, ".log");
        Files.write(active, new byte[100], java.nio.file.StandardOpenOption.APPEND);

        PartitionLog reopened = open(config);

        assertThat(reopened.logEndOffset()).isEqualTo(30);
        assertThat(reopened.sizeInBytes()).isEqualTo(size);
        assertThat(Batches.values(reopened.read(29, 1000, false))).containsExactly("v29");
        assertThat(reopened.appendAsLeader(Batches.plain(T0, "next"), 0).firstOffset()).isEqualTo(30);
    }

    @Test
    void shouldRecoverActiveSegmentWithCorruptLastBatchAfterCleanShutdown() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a", "b"), 0);
        long goodSize = log.sizeInBytes();
        log.appendAsLeader(Batches.plain(T0, "corrupted"), 0);
        log.close();
        try (RandomAccessFile file = new RandomAccessFile(segmentFile(0, ".log").toFile(), "rw")) {
            file.seek(file.length() - 3);
            file.write('X');
        }

        PartitionLog reopened = open(LogConfig.defaults());

        assertThat(reopened.logEndOffset()).isEqualTo(2);
        assertThat(reopened.sizeInBytes()).isEqualTo(goodSize);
        assertThat(Batches.values(reopened.read(0, Integer.MAX_VALUE, false))).containsExactly("a", "b");
    }
}
