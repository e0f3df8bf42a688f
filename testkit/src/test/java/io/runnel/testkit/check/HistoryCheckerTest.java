package io.runnel.testkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.testkit.workload.FinalRead;
import io.runnel.testkit.workload.History;
import io.runnel.testkit.workload.Read;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {

    /** Two producers write v0..v3 to partition 0 and w0..w2 to partition 1; all acknowledged in order. */
    private static History cleanWrites() {
        History history = new History();
        for (int i = 0; i < 4; i++) {
            send(history, "p0", 0, "v" + i, i);
        }
        for (int i = 0; i < 3; i++) {
            send(history, "p1", 1, "w" + i, i);
        }
        return history;
    }

    private static void send(History history, String producer, int partition, String value, long offset) {
        history.sendInvoked(producer, partition, "k" + partition, value);
        history.sendAcknowledged(producer, value, partition, offset);
    }

    private static Read read(int partition, long offset, String value) {
        return new Read(partition, offset, value);
    }

    private static FinalRead finalRead(Read... reads) {
        return new FinalRead(Map.of(0, 4L, 1, 3L), Arrays.asList(reads), Set.of());
    }

    private static FinalRead fullFinalRead() {
        return finalRead(read(0, 0, "v0"), read(0, 1, "v1"), read(0, 2, "v2"), read(0, 3, "v3"),
                read(1, 0, "w0"), read(1, 1, "w1"), read(1, 2, "w2"));
    }

    /** The consumer c1 reads everything in order in two polls. */
    private static void consumeEverything(History history) {
        history.assigned("c1", Set.of(0, 1));
        history.polled("c1", List.of(read(0, 0, "v0"), read(0, 1, "v1"), read(1, 0, "w0")));
        history.polled("c1", List.of(read(0, 2, "v2"), read(0, 3, "v3"), read(1, 1, "w1"), read(1, 2, "w2")));
    }

    private static List<Anomaly> found(CheckResult result) {
        List<Anomaly> found = new ArrayList<>();
        for (Anomaly anomaly : Anomaly.values()) {
            if (result.count(anomaly) > 0) {
                found.add(anomaly);
            }
        }
        return found;
    }

    @Test
    void shouldPassACleanHistory() {
        History history = cleanWrites();
        consumeEverything(history);
        history.finalRead(fullFinalRead());

        CheckResult result = HistoryChecker.check(history);

        assertThat(result.valid()).as(result.describe()).isTrue();
        assertThat(result.describe()).isEqualTo("no anomalies");
        assertThat(result.sends()).isEqualTo(7);
        assertThat(result.acknowledged()).isEqualTo(7);
        assertThat(result.polledRecords()).isEqualTo(7);
        assertThat(result.finalReadRecords()).isEqualTo(7);
    }

    @Test
    void shouldFindAnAcknowledgedWriteMissingFromTheFinalRead() {
        History history = cleanWrites();
        consumeEverything(history);
        history.finalRead(finalRead(read(0, 0, "v0"), read(0, 1, "v1"), read(0, 3, "v3"), read(1, 0, "w0"), read(1, 1, "w1"), read(1, 2, "w2")));

        CheckResult result = HistoryChecker.check(history);

        assertThat(found(result)).containsExactly(Anomaly.LOST_WRITE);
        assertThat(result.count(Anomaly.LOST_WRITE)).isOne();
        assertThat(result.examples(Anomaly.LOST_WRITE)).singleElement().asString().startsWith("v2 acknowledged at 0/2").contains("polled at [0/2]");
    }

    @Test
    void shouldFindAWriteLostWithADifferentValueInItsPlace() {
        History history = cleanWrites();
        history.sendInvoked("p2", 0, "k0", "x0");
        history.sendFailed("p2", "x0", 0, "TimeoutException", false);
        history.finalRead(finalRead(read(0, 0, "v0"), read(0, 1, "v1"), read(0, 2, "x0"), read(0, 3, "v3"),
                read(1, 0, "w0"), read(1, 1, "w1"), read(1, 2, "w2")));

        CheckResult result = HistoryChecker.check(history);

        assertThat(found(result)).containsExactlyInAnyOrder(Anomaly.LOST_WRITE, Anomaly.INCONSISTENT_OFFSETS);
        assertThat(result.examples(Anomaly.LOST_WRITE)).singleElement().asString().contains("which has [x0] there");
        assertThat(result.examples(Anomaly.INCONSISTENT_OFFSETS)).singleElement().asString()
                .isEqualTo("partition 0 offset 2 holds v2 (ack to p0), x0 (final read)");
        assertThat(result.indeterminate()).isOne();
    }

    @Test
    void shouldFindAValueAtTwoOffsets() {
        History history = cleanWrites();
        history.finalRead(new FinalRead(Map.of(0, 5L, 1, 3L), List.of(read(0, 0, "v0"), read(0, 1, "v1"), read(0, 2, "v2"), read(0, 3, "v3"),
                read(0, 4, "v2"), read(1, 0, "w0"), read(1, 1, "w1"), read(1, 2, "w2")), Set.of()));

        CheckResult result = HistoryChecker.check(history);

        assertThat(found(result)).containsExactlyInAnyOrder(Anomaly.DUPLICATE, Anomaly.ACKNOWLEDGED_OFFSET_MISMATCH);
        assertThat(result.examples(Anomaly.DUPLICATE)).containsExactly("v2 read at [0/2, 0/4]");
    }

    @Test
    void shouldFindAnOffsetWithTwoValuesAcrossPollsAndTheFinalRead() {
        History history = cleanWrites();
        history.sendInvoked("p2", 1, "k1", "x0");
        history.sendFailed("p2", "x0", 1, "TimeoutException", false);
        history.assigned("c1", Set.of(1));
        history.polled("c1", List.of(read(1, 0, "w0"), read(1, 1, "x0")));
        history.finalRead(fullFinalRead());

        CheckResult result = HistoryChecker.check(history);

        assertThat(result.count(Anomaly.INCONSISTENT_OFFSETS)).isOne();
        assertThat(result.examples(Anomaly.INCONSISTENT_OFFSETS)).containsExactly("partition 1 offset 1 holds w1 (ack to p1, final read), x0 (poll by c1)");
    }

    @Test
    void shouldFindAWriteReadAtAnotherOffsetThanAcknowledged() {
        History history = new History();
        send(history, "p0", 0, "v0", 0);
        send(history, "p0", 0, "v1", 5);
        history.finalRead(new FinalRead(Map.of(0, 2L), List.of(read(0, 0, "v0"), read(0, 1, "v1")), Set.of()));

        CheckResult result = HistoryChecker.check(history);

        assertThat(found(result)).containsExactly(Anomaly.ACKNOWLEDGED_OFFSET_MISMATCH);
        assertThat(result.examples(Anomaly.ACKNOWLEDGED_OFFSET_MISMATCH)).containsExactly("v1 acknowledged at 0/5 but read at [0/1]");
    }

    @Test
    void shouldFindAConsumerGoingBackWithinOneAssignment() {
        History history = cleanWrites();
        history.assigned("c1", Set.of(0));
        history.polled("c1", List.of(read(0, 0, "v0"), read(0, 1, "v1"), read(0, 2, "v2")));
        history.polled("c1", List.of(read(0, 1, "v1"), read(0, 2, "v2"), read(0, 3, "v3")));
        history.assigned("c2", Set.of(1));
        history.polled("c2", List.of(read(1, 0, "w0"), read(1, 1, "w1"), read(1, 2, "w2")));
        history.finalRead(fullFinalRead());

        CheckResult result = HistoryChecker.check(history);

        assertThat(found(result)).containsExactly(Anomaly.NONMONOTONIC_POLL);
        assertThat(result.examples(Anomaly.NONMONOTONIC_POLL)).containsExactly("c1 read partition 0 offset 1 after offset 2");
    }

    @Test
    void shouldAcceptRereadingAfterARebalance() {
        History history = cleanWrites();
        history.assigned("c1", Set.of(0, 1));
        history.polled("c1", List.of(read(0, 0, "v0"), read(0, 1, "v1"), read(0, 2, "v2"), read(1, 0, "w0")));
        history.revoked("c1", Set.of(0, 1), false);
        history.assigned("c1", Set.of(0));
        history.polled("c1", List.of(read(0, 1, "v1"), read(0, 2, "v2"), read(0, 3, "v3")));
        history.assigned("c2", Set.of(1));
        history.polled("c2", List.of(read(1, 0, "w0"), read(1, 1, "w1"), read(1, 2, "w2")));
        history.finalRead(fullFinalRead());

        CheckResult result = HistoryChecker.check(history);

        assertThat(result.valid()).as(result.describe()).isTrue();
    }

    @Test
    void shouldFindAConsumerSkippingOffsetsThatHoldValues() {
        History history = cleanWrites();
        history.assigned("c1", Set.of(0, 1));
        history.polled("c1", List.of(read(0, 0, "v0"), read(0, 1, "v1")));
        history.polled("c1", List.of(read(0, 3, "v3"), read(1, 0, "w0"), read(1, 1, "w1"), read(1, 2, "w2")));
        history.assigned("c2", Set.of(0));
        history.polled("c2", List.of(read(0, 2, "v2")));
        history.finalRead(fullFinalRead());

        CheckResult result = HistoryChecker.check(history);

        assertThat(found(result)).containsExactly(Anomaly.POLL_SKIP);
        assertThat(result.examples(Anomaly.POLL_SKIP)).containsExactly("c1 read partition 0 offset 3 right after offset 1, skipping [2=[v2]]");
    }

    @Test
    void shouldNotCallAGapNobodyObservedASkip() {
        History history = new History();
        send(history, "p0", 0, "v0", 0);
        send(history, "p0", 0, "v1", 2);   // offset 1: a transaction marker, say
        history.assigned("c1", Set.of(0));
        history.polled("c1", List.of(read(0, 0, "v0"), read(0, 2, "v1")));
        history.finalRead(new FinalRead(Map.of(0, 3L), List.of(read(0, 0, "v0"), read(0, 2, "v1")), Set.of()));

        assertThat(HistoryChecker.check(history).valid()).isTrue();
    }

    @Test
    void shouldFindAcknowledgedWritesNoConsumerPolled() {
        History history = cleanWrites();
        history.assigned("c1", Set.of(0, 1));
        history.polled("c1", List.of(read(0, 0, "v0"), read(0, 1, "v1"), read(0, 2, "v2"), read(0, 3, "v3")));
        history.finalRead(fullFinalRead());

        CheckResult result = HistoryChecker.check(history);

        assertThat(found(result)).containsExactly(Anomaly.UNSEEN);
        assertThat(result.count(Anomaly.UNSEEN)).isEqualTo(3);
    }

    @Test
    void shouldNotJudgeUnseenWithoutConsumers() {
        History history = cleanWrites();
        history.finalRead(fullFinalRead());

        assertThat(HistoryChecker.check(history).valid()).isTrue();
    }

    @Test
    void shouldFindAProducerWhoseAcknowledgedOffsetsGoBack() {
        History history = new History();
        history.sendInvoked("p0", 0, "k0", "v0");
        history.sendInvoked("p0", 0, "k0", "v1");
        history.sendAcknowledged("p0", "v1", 0, 0);
        history.sendAcknowledged("p0", "v0", 0, 1);
        history.finalRead(new FinalRead(Map.of(0, 2L), List.of(read(0, 0, "v1"), read(0, 1, "v0")), Set.of()));

        CheckResult result = HistoryChecker.check(history);

        assertThat(found(result)).containsExactly(Anomaly.NONMONOTONIC_SEND);
        assertThat(result.examples(Anomaly.NONMONOTONIC_SEND)).containsExactly("p0 sent v0 then v1 to partition 0, acknowledged at offsets 1 then 0");
    }

    @Test
    void shouldFindAReadOfAWriteThatCertainlyFailedAndOfOneNeverSent() {
        History history = cleanWrites();
        history.sendInvoked("p2", 0, "k0", "x0");
        history.sendFailed("p2", "x0", 0, "RecordTooLargeException", true);
        history.finalRead(new FinalRead(Map.of(0, 6L, 1, 3L), List.of(read(0, 0, "v0"), read(0, 1, "v1"), read(0, 2, "v2"), read(0, 3, "v3"),
                read(0, 4, "x0"), read(0, 5, "ghost"), read(1, 0, "w0"), read(1, 1, "w1"), read(1, 2, "w2")), Set.of()));

        CheckResult result = HistoryChecker.check(history);

        assertThat(found(result)).containsExactlyInAnyOrder(Anomaly.ABORTED_READ, Anomaly.PHANTOM_READ);
        assertThat(result.failed()).isOne();
        assertThat(result.examples(Anomaly.PHANTOM_READ)).containsExactly("ghost read at [0/5] but never sent");
    }

    @Test
    void shouldNotPassWithoutAFinalRead() {
        History history = cleanWrites();

        CheckResult result = HistoryChecker.check(history);

        assertThat(result.valid()).isFalse();
        assertThat(result.finalReadIncomplete()).containsExactlyInAnyOrder(0, 1);
        assertThat(result.count(Anomaly.LOST_WRITE)).isZero();
    }

    @Test
    void shouldKeepAFewExamplesButCountEveryCase() {
        History history = new History();
        for (int i = 0; i < 20; i++) {
            send(history, "p0", 0, "v" + i, i);
        }
        history.finalRead(new FinalRead(Map.of(0, 0L), List.of(), Set.of()));

        CheckResult result = HistoryChecker.check(history);

        assertThat(result.count(Anomaly.LOST_WRITE)).isEqualTo(20);
        assertThat(result.examples(Anomaly.LOST_WRITE)).hasSize(HistoryChecker.EXAMPLES);
        assertThat(result.toString()).contains("lost-write 20", "acknowledged 20");
    }
}
