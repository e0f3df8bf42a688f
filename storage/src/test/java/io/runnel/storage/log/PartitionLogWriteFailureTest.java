package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;

import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;

class PartitionLogWriteFailureTest extends LogTestBase {
    private final FailingSegmentWriter writer = new FailingSegmentWriter();

    private PartitionLog openFailing(LogConfig config) throws Exception {
        return open(config, true, 0, writer);
    }

    @Test
    void shouldUndoPartialWriteSoLaterAppendsFollowTheLastGoodBatch() throws Exception {
        LogConfig config = LogConfig.defaults().withIndexIntervalBytes(1);
        PartitionLog log = openFailing(config);
        log.appendAsLeader(Batches.plain(T0, "a", "b"), 0);
        long goodSize = log.sizeInBytes();
        writer.failNextAppendAfter(30);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0, "lost"), 0))
                .isInstanceOf(KafkaStorageException.class);

        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(Files.size(partitionDir().resolve("00000000000000000000.log"))).isEqualTo(goodSize);
        for (int i = 0; i < 5; i++) {
            assertThat(log.appendAsLeader(Batches.plain(T0, "c" + i), 0).firstOffset()).isEqualTo(2 + i);
        }
        assertThat(Batches.values(log.read(0, Integer.MAX_VALUE, false)))
                .containsExactly("a", "b", "c0", "c1", "c2", "c3", "c4");
        assertThat(Batches.values(log.read(4, 1, true))).containsExactly("c2");
    }

    @Test
    void shouldReloadCleanlyAfterAnUndoneWrite() throws Exception {
        LogConfig config = LogConfig.defaults().withIndexIntervalBytes(1);
        PartitionLog log = openFailing(config);
        log.appendAsLeader(Batches.plain(T0, "a"), 0);
        writer.failNextAppendAfter(40);
        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0, "lost"), 0))
                .isInstanceOf(KafkaStorageException.class);
        log.appendAsLeader(Batches.plain(T0, "b"), 0);
        log.appendAsLeader(Batches.plain(T0, "c"), 0);
        log.close();

        PartitionLog clean = open(config);
        assertThat(clean.logEndOffset()).isEqualTo(3);
        assertThat(Batches.values(clean.read(0, Integer.MAX_VALUE, false))).containsExactly("a", "b", "c");
        clean.close();

        PartitionLog recovered = open(config, false, 0);
        assertThat(Batches.values(recovered.read(0, Integer.MAX_VALUE, false))).containsExactly("a", "b", "c");
    }

    @Test
    void shouldTakeLogOfflineWhenPartialWriteCannotBeUndone() throws Exception {
        PartitionLog log = openFailing(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a"), 0);
        writer.failNextAppendAndBreakFile(25);

        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0, "lost"), 0))
                .isInstanceOf(KafkaStorageException.class);

        assertThat(log.isOffline()).isTrue();
        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0, "b"), 0))
                .isInstanceOf(KafkaStorageException.class);
        assertThatThrownBy(() -> log.read(0, Integer.MAX_VALUE, false))
                .isInstanceOf(KafkaStorageException.class);
        assertThatThrownBy(() -> log.findOffsetByTimestamp(T0))
                .isInstanceOf(KafkaStorageException.class);
    }

    @Test
    void shouldLoseOnlyTheFailedWriteWhenOfflineLogIsRecovered() throws Exception {
        PartitionLog log = openFailing(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a"), 0);
        writer.failNextAppendAndBreakFile(25);
        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0, "lost"), 0))
                .isInstanceOf(KafkaStorageException.class);
        log.close();

        PartitionLog recovered = open(LogConfig.defaults(), false, 0);

        assertThat(Batches.values(recovered.read(0, Integer.MAX_VALUE, false))).containsExactly("a");
        assertThat(recovered.appendAsLeader(Batches.plain(T0, "b"), 0).firstOffset()).isEqualTo(1);
    }
}
