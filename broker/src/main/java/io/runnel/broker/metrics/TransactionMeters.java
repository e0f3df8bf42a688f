package io.runnel.broker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.storage.log.PartitionLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transaction meters: the transactional ids this broker coordinates, by Kafka's state name (read
 * through the coordinator's own ListTransactions at each {@link #refresh}; ids in PrepareCommit or
 * PrepareAbort are those whose markers are still on their way); per partition led here, how far an open
 * transaction holds the last stable offset below the high watermark (a row only while it does: the
 * first sign of a hanging transaction); and how long partition verifications take, by result.
 * Refreshed by one thread at a time (the metrics thread).
 */
final class TransactionMeters {

    static final String TRANSACTIONS = "runnel.transactions";
    static final String LAST_STABLE_OFFSET_LAG = "runnel.partition.last.stable.offset.lag";
    static final String VERIFICATIONS = "runnel.transaction.verifications";

    private static final Logger log = LoggerFactory.getLogger(TransactionMeters.class);
    private static final long SNAPSHOT_TIMEOUT_MS = 5_000;

    private final TransactionCoordinatorRuntime transactions;
    private final PartitionRegistry partitions;
    private final MultiGauge byState;
    private final MultiGauge lag;
    /** Counts read by the state rows, replaced whole at each refresh (see GroupMeters for why rows read them). */
    private volatile Map<Tags, Integer> countByRow = Map.of();

    TransactionMeters(MeterRegistry registry, TransactionCoordinatorRuntime transactions, PartitionRegistry partitions) {
        this.transactions = transactions;
        this.partitions = partitions;
        this.byState = MultiGauge.builder(TRANSACTIONS).description("Transactional ids this broker coordinates, by transaction state")
                .register(registry);
        this.lag = MultiGauge.builder(LAST_STABLE_OFFSET_LAG)
                .description("High watermark minus last stable offset of a partition led here, while an open transaction holds it back")
                .register(registry);
        Timer passed = verificationTimer(registry, "passed");
        Timer refused = verificationTimer(registry, "refused");
        transactions.partitionVerifier().recordTimesTo((nanos, ok) -> (ok ? passed : refused).record(nanos, TimeUnit.NANOSECONDS));
    }

    private static Timer verificationTimer(MeterRegistry registry, String result) {
        return Timer.builder(VERIFICATIONS).tag("result", result)
                .description("Partition verifications with the transaction coordinator (KIP-890), from request to answer")
                .register(registry);
    }

    /** Re-reads the coordinator's ids and which led partitions an open transaction holds back. */
    synchronized void refresh() {
        refreshStates();
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        for (Partition partition : partitions.replicas()) {
            if (partition.leader() && lagOf(partition.log()) > 0) {
                PartitionLog partitionLog = partition.log();
                lagRows.add(MultiGauge.Row.of(Tags.of("topic", partition.topicPartition().topic(),
                        "partition", Integer.toString(partition.topicPartition().partition())), () -> lagOf(partitionLog)));
            }
        }
        lag.register(lagRows, true);
    }

    private void refreshStates() {
        ListTransactionsResponseData listed;
        try {
            listed = transactions.read(coordinator -> coordinator.list(Set.of(), Set.of(), -1, null, System.currentTimeMillis()))
                    .get(SNAPSHOT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            // The coordinator is loading, busy or stopping: the previous rows stay.
            log.debug("Transaction metrics not refreshed: {}", e.toString());
            return;
        }
        Map<Tags, Integer> counts = new HashMap<>();
        listed.transactionStates().forEach(state -> counts.merge(Tags.of("state", state.transactionState()), 1, Integer::sum));
        countByRow = counts;
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.keySet().forEach(tags -> rows.add(MultiGauge.Row.of(tags, () -> countByRow.getOrDefault(tags, 0))));
        byState.register(rows, false);
    }

    private static long lagOf(PartitionLog partitionLog) {
        return Math.max(0, partitionLog.highWatermark() - partitionLog.lastStableOffset());
    }
}
