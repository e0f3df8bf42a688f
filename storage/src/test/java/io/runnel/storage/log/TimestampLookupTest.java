package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimestampLookupTest extends LogTestBase {

    private PartitionLog logWithTimestamps(LogConfig config) throws Exception {
        PartitionLog log = open(config);
        for (int i = 0; i < 30; i++) {
            // timestamps 0, 10, 20, ... relative to T0, except one late outlier at offset 12
            long timestamp = i == 12 ? T0 + 10_000 : T0 + i * 10L;
            log.appendAsLeader(Batches.plain(timestamp, "v" + i), 4);
        }
        return log;
    }

    @Test
    void shouldFindFirstOffsetWithTimestampAtOrAfterTarget() throws Exception {
        PartitionLog log = logWithTimestamps(LogConfig.defaults().withSegmentBytes(600).withIndexIntervalBytes(100));

        assertThat(log.findOffsetByTimestamp(T0 + 55)).contains(new TimestampAndOffset(T0 + 60, 6, java.util.Optional.of(4)));
        assertThat(log.findOffsetByTimestamp(T0 + 200)).map(TimestampAndOffset::offset).contains(12L);
        assertThat(log.findOffsetByTimestamp(T0)).map(TimestampAndOffset::offset).contains(0L);
        assertThat(log.findOffsetByTimestamp(T0 + 20_000)).isEmpty();
    }

    @Test
    void shouldFindRecordWithLargestTimestamp() throws Exception {
        PartitionLog log = logWithTimestamps(LogConfig.defaults().withSegmentBytes(600));

        assertThat(log.maxTimestampAndOffset()).contains(new TimestampAndOffset(T0 + 10_000, 12, java.util.Optional.of(4)));
    }

    @Test
    void shouldFindTimestampsInsideCompressedBatch() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(Batches.concat(Batches.gzip(T0, "a", "b"), Batches.gzip(T0 + 50, "c", "d")), 0);

        assertThat(log.findOffsetByTimestamp(T0 + 1)).map(TimestampAndOffset::offset).contains(2L);
        assertThat(log.maxTimestampAndOffset()).map(TimestampAndOffset::offset).contains(2L);
    }

    @Test
    void shouldKeepMaxTimestampAcrossCleanReopen() throws Exception {
        LogConfig config = LogConfig.defaults().withSegmentBytes(600);
        logWithTimestamps(config).close();

        PartitionLog reopened = open(config);

        assertThat(reopened.maxTimestampAndOffset()).map(TimestampAndOffset::offset).contains(12L);
        assertThat(reopened.findOffsetByTimestamp(T0 + 95)).map(TimestampAndOffset::offset).contains(10L);
    }
}
