package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runnel.storage.index.ProcMaps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Index files are unmapped when trimmed on roll, on close and before deletion, not left to GC. */
class IndexMappingTest extends LogTestBase {
    private static final LogConfig CONFIG = LogConfig.defaults().withSegmentBytes(400).withIndexIntervalBytes(1)
            .withRetentionMs(1_000);

    @BeforeEach
    void requireLinux() {
        assumeTrue(ProcMaps.available(), "needs Linux /proc/self/maps and Unsafe#invokeCleaner");
    }

    private PartitionLog openWithSegments(int records) throws Exception {
        PartitionLog log = open(CONFIG);
        for (int i = 0; i < records; i++) {
            log.appendAsLeader(Batches.plain(T0, "value-" + i + "-" + "x".repeat(40)), 0);
        }
        return log;
    }

    @Test
    void shouldKeepAtMostTwoMappingsPerSegmentAcrossRolls() throws Exception {
        PartitionLog log = openWithSegments(30);
        assertThat(log.segmentCount()).isGreaterThan(5);

        assertThat(ProcMaps.mappingsUnder(partitionDir())).isLessThanOrEqualTo(2L * log.segmentCount());
    }

    @Test
    void shouldUnmapAllIndexesOnClose() throws Exception {
        PartitionLog log = openWithSegments(30);

        log.close();

        assertThat(ProcMaps.mappingsUnder(partitionDir())).isZero();
    }

    @Test
    void shouldUnmapIndexesOfSegmentsDeletedByRetention() throws Exception {
        PartitionLog log = openWithSegments(30);
        clock.advance(2_000);
        log.appendAsLeader(Batches.plain(clock.millis(), "fresh"), 0);
        log.deleteOldSegments();
        assertThat(log.segmentCount()).isEqualTo(1);

        runPendingDeletions();

        assertThat(ProcMaps.mappingsUnder(partitionDir())).isLessThanOrEqualTo(2);
    }
}
