package io.runnel.testkit.check;

import static io.runnel.testkit.check.TransactionOutcome.ABORTED;
import static io.runnel.testkit.check.TransactionOutcome.COMMITTED;
import static io.runnel.testkit.check.TransactionOutcome.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransactionalHistoryCheckerTest {

    /** Producer p: t1 committed (a0, a1 on 0; b0 on 1), t2 aborted (a2 on 0; b1 on 1), t3 unknown (a3 on 0; b2 on 1), t4 committed (a4 on 0). */
    private static final List<SentTransaction> HISTORY = List.of(
            new SentTransaction("p", COMMITTED, Map.of(0, List.of("a0", "a1"), 1, List.of("b0"))),
            new SentTransaction("p", ABORTED, Map.of(0, List.of("a2"), 1, List.of("b1"))),
            new SentTransaction("p", UNKNOWN, Map.of(0, List.of("a3"), 1, List.of("b2"))),
            new SentTransaction("p", COMMITTED, Map.of(0, List.of("a4"))));

    private static TransactionalCheckResult check(List<String> partition0, List<String> partition1) {
        return TransactionalHistoryChecker.check(HISTORY, Map.of(0, partition0, 1, partition1));
    }

    @Test
    void shouldAcceptEveryCommitOnceInOrderWithAnUnknownCommitInvisible() {
        TransactionalCheckResult result = check(List.of("a0", "a1", "a4"), List.of("b0"));

        assertThat(result.valid()).as(result.describe()).isTrue();
        assertThat(result.committed()).isEqualTo(2);
        assertThat(result.aborted()).isEqualTo(1);
        assertThat(result.unknown()).isEqualTo(1);
        assertThat(result.unknownVisible()).isZero();
        assertThat(result.acknowledgedRecords()).isEqualTo(4);
        assertThat(result.readRecords()).isEqualTo(4);
    }

    @Test
    void shouldAcceptAnUnknownCommitVisibleWhole() {
        TransactionalCheckResult result = check(List.of("a0", "a1", "a3", "a4"), List.of("b0", "b2"));

        assertThat(result.valid()).as(result.describe()).isTrue();
        assertThat(result.unknownVisible()).isOne();
    }

    @Test
    void shouldReportARecordOfAnAbortedTransactionSeenWholeAsAbortedRead() {
        TransactionalCheckResult result = check(List.of("a0", "a1", "a2", "a4"), List.of("b0", "b1"));

        assertThat(result.count(TransactionalAnomaly.ABORTED_READ)).isEqualTo(2);
        assertThat(result.count(TransactionalAnomaly.PARTIAL_TRANSACTION)).isZero();
    }

    @Test
    void shouldReportATransactionVisibleOnOnePartitionOnlyAsPartial() {
        TransactionalCheckResult result = check(List.of("a0", "a1", "a3", "a4"), List.of("b0"));

        assertThat(result.count(TransactionalAnomaly.PARTIAL_TRANSACTION)).isOne();
        assertThat(result.valid()).isFalse();
    }

    @Test
    void shouldReportAMissingCommittedRecordAsLostAndItsTransactionAsPartial() {
        TransactionalCheckResult result = check(List.of("a0", "a4"), List.of("b0"));

        assertThat(result.count(TransactionalAnomaly.LOST_COMMIT)).isOne();
        assertThat(result.count(TransactionalAnomaly.PARTIAL_TRANSACTION)).isOne();
    }

    @Test
    void shouldReportARecordSeenTwiceAsDuplicate() {
        TransactionalCheckResult result = check(List.of("a0", "a1", "a4", "a4"), List.of("b0"));

        assertThat(result.count(TransactionalAnomaly.DUPLICATE)).isOne();
        assertThat(result.count(TransactionalAnomaly.NONMONOTONIC_READ)).isZero();
    }

    @Test
    void shouldReportRecordsOfOneProducerSeenOutOfSendOrderAsNonmonotonic() {
        TransactionalCheckResult result = check(List.of("a0", "a4", "a1"), List.of("b0"));

        assertThat(result.count(TransactionalAnomaly.NONMONOTONIC_READ)).isOne();
    }

    @Test
    void shouldReportAValueNeverSentOrSeenInAnotherPartitionAsPhantom() {
        TransactionalCheckResult result = check(List.of("a0", "a1", "a4", "zz"), List.of("b0", "a0"));

        assertThat(result.count(TransactionalAnomaly.PHANTOM_READ)).isEqualTo(2);
        assertThat(result.describe()).contains("zz in partition 0").contains("a0 in partition 1");
    }

    @Test
    void shouldRefuseAHistoryThatSendsAValueTwice() {
        List<SentTransaction> twice = List.of(new SentTransaction("p", COMMITTED, Map.of(0, List.of("v"))),
                new SentTransaction("q", COMMITTED, Map.of(1, List.of("v"))));

        assertThatThrownBy(() -> TransactionalHistoryChecker.check(twice, Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
