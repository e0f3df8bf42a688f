package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransactionCompactionTest extends CompactionTestBase {

    @Test
    void shouldKeepLastStableOffsetAtOpenTransactionWhenItsSegmentIsCleaned() throws Exception {
        PartitionLog log = openManaged(COMPACTED);
        writeUpdates(log, T0, 5, 1);
        log.appendAsLeader(Batches.keyedTransactional(LastStableOffsetTest.PID, LastStableOffsetTest.EPOCH, 0, T0,
                "txn-key", "open"), 0);
        writeUpdates(log, T0, 5, 40);

        assertThat(cleanOnce()).isPositive();

        assertThat(log.lastStableOffset()).isEqualTo(5);
        LastStableOffsetTest.writeMarker(log, LastStableOffsetTest.PID, LastStableOffsetTest.EPOCH, true, 0);
        assertThat(log.lastStableOffset()).isEqualTo(log.highWatermark());
    }
}
