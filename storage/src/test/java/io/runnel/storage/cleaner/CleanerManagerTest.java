package io.runnel.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.runnel.storage.log.CompactionConfig;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.LogManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanerManagerTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final LogConfig COMPACTED = LogConfig.defaults()
            .withCompaction(CompactionConfig.NOT_COMPACTED.compacted());

    @TempDir
    Path dir;
    private LogManager logManager;

    @Test
    void shouldForgetUncleanableLogsOfDeletedPartitions() throws Exception {
        logManager = LogManager.open(List.of(dir), Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        TopicPartition deleted = new TopicPartition("deleted", 0);
        TopicPartition kept = new TopicPartition("kept", 0);
        CleanerManager manager = new CleanerManager(logManager);
        manager.markUncleanable(logManager.getOrCreateLog(deleted, Uuid.randomUuid(), COMPACTED));
        manager.markUncleanable(logManager.getOrCreateLog(kept, Uuid.randomUuid(), COMPACTED));

        logManager.deleteLog(deleted);
        // a topic of the same name created again is a new log, cleanable
        logManager.getOrCreateLog(deleted, Uuid.randomUuid(), COMPACTED);
        manager.grabFilthiestLog(NOW);

        assertThat(manager.uncleanableCount()).isEqualTo(1);
    }

    @AfterEach
    void close() {
        if (logManager != null) {
            logManager.close();
        }
    }
}
