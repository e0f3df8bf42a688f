package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class ConcurrentReadTest extends LogTestBase {

    @Test
    void shouldOnlyExposeWholeValidBatchesToReadersDuringAppendsAndRolls() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(4_000).withIndexIntervalBytes(200));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                long next = 0;
                while (next < 2_000) {
                    FetchSlice slice = log.read(next, 1_000, true);
                    List<RecordBatch> batches = Batches.batches(slice);
                    for (RecordBatch batch : batches) {
                        assertThat(batch.isValid()).isTrue();
                        assertThat(batch.baseOffset()).isLessThanOrEqualTo(next);
                        next = batch.nextOffset();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();

        for (int i = 0; i < 1_000; i++) {
            log.appendAsLeader(Batches.plain(T0, "a" + i, "b" + i), 0);
        }
        reader.join(30_000);

        assertThat(failure.get()).isNull();
        assertThat(reader.isAlive()).isFalse();
        assertThat(log.segmentCount()).isGreaterThan(5);
    }

    @Test
    void shouldAdvanceRecoveryPointPerFlushIntervalMessages() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withFlushIntervalMessages(3));

        log.appendAsLeader(Batches.plain(T0, "a", "b"), 0);
        assertThat(log.recoveryPoint()).isZero();
        log.appendAsLeader(Batches.plain(T0, "c"), 0);

        assertThat(log.recoveryPoint()).isEqualTo(3);
    }
}
