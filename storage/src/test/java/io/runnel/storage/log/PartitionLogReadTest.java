package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class PartitionLogReadTest extends LogTestBase {

    @Test
    void shouldReturnContainingBatchWhenReadingFromMiddleOfBatch() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a", "b", "c"), 0);
        log.appendAsLeader(Batches.plain(T0, "d", "e", "f"), 0);

        FetchSlice slice = log.read(4, Integer.MAX_VALUE, false);

        assertThat(Batches.batches(slice)).extracting(RecordBatch::baseOffset).containsExactly(3L);
        assertThat(Batches.offsets(slice)).containsExactly(3L, 4L, 5L);
    }

    @Test
    void shouldCutTheSliceAtMaxBytesLeavingAPartialLastBatchAsKafkaDoes() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a"), 0);
        log.appendAsLeader(Batches.plain(T0, "b"), 0);
        log.appendAsLeader(Batches.plain(T0, "c"), 0);
        int oneBatch = log.read(0, Integer.MAX_VALUE, false).size() / 3;

        FetchSlice slice = log.read(0, oneBatch * 2 + oneBatch / 2, false);

        assertThat(slice.size()).isEqualTo(oneBatch * 2 + oneBatch / 2);
        assertThat(Batches.offsets(slice)).containsExactly(0L, 1L);
    }

    @Test
    void shouldNeverReadPastTheLogEnd() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a"), 0);
        log.appendAsLeader(Batches.plain(T0, "b"), 0);

        FetchSlice slice = log.read(1, Integer.MAX_VALUE, false);

        assertThat(Batches.offsets(slice)).containsExactly(1L);
        assertThat(slice.position() + slice.size()).isEqualTo(log.read(0, Integer.MAX_VALUE, false).size());
    }

    @Test
    void shouldReturnOversizeFirstBatchOnlyWithMinOneMessage() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "x".repeat(500)), 0);
        log.appendAsLeader(Batches.plain(T0, "y"), 0);

        assertThat(log.read(0, 100, false).isEmpty()).isTrue();
        FetchSlice forced = log.read(0, 100, true);
        assertThat(Batches.offsets(forced)).containsExactly(0L);
        assertThat(forced.size()).isGreaterThan(500);
    }

    @Test
    void shouldReturnEmptySliceAtLogEndOffset() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a"), 0);

        assertThat(log.read(1, 1000, true).isEmpty()).isTrue();
    }

    @Test
    void shouldThrowOffsetOutOfRangeBeyondLogEnd() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.plain(T0, "a"), 0);

        assertThatThrownBy(() -> log.read(2, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.read(-1, 1000, true)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void shouldRollSegmentWhenBatchDoesNotFit() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(300));

        for (int i = 0; i < 6; i++) {
            log.appendAsLeader(Batches.plain(T0, "value-" + "x".repeat(60) + i), 0);
        }

        assertThat(log.segmentCount()).isGreaterThan(1);
        assertThat(log.logEndOffset()).isEqualTo(6);
    }

    @Test
    void shouldRollSegmentWhenOlderThanSegmentMs() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withSegmentMs(60_000));
        log.appendAsLeader(Batches.plain(T0, "a"), 0);
        log.appendAsLeader(Batches.plain(T0 + 30_000, "b"), 0);
        assertThat(log.segmentCount()).isEqualTo(1);

        clock.advance(61_000);
        log.appendAsLeader(Batches.plain(T0 + 61_000, "c"), 0);

        assertThat(log.segmentCount()).isEqualTo(2);
    }

    @Test
    void shouldReadFromOneSegmentAndFindOffsetsThroughIndexAfterRoll() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(2_000).withIndexIntervalBytes(100));
        for (int i = 0; i < 100; i++) {
            log.appendAsLeader(Batches.plain(T0, "record-" + i), 0);
        }
        assertThat(log.segmentCount()).isGreaterThan(2);

        for (long offset : new long[] {0, 17, 42, 63, 99}) {
            FetchSlice slice = log.read(offset, 200, false);
            assertThat(Batches.offsets(slice)).first().isEqualTo(offset);
        }
        FetchSlice all = log.read(0, Integer.MAX_VALUE, false);
        assertThat(Batches.offsets(all)).hasSizeLessThan(100).startsWith(0L, 1L);
    }
}
