package io.runnel.transaction;

import static io.runnel.transaction.TransactionState.*;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;

/** DescribeTransactions and ListTransactions: read-only views of the cache. Not thread-safe: coordinator thread only. */
final class TransactionQueries {

    private final TransactionCache cache;

    TransactionQueries(TransactionCache cache) {
        this.cache = cache;
    }

    /** DescribeTransactions for one id. In Prepare*, the partitions are those still without a marker. */
    DescribeTransactionsResponseData.TransactionState describe(String transactionalId) {
        DescribeTransactionsResponseData.TransactionState answer =
                new DescribeTransactionsResponseData.TransactionState().setTransactionalId(transactionalId);
        if (transactionalId == null || transactionalId.isEmpty()) {
            return answer.setErrorCode(Errors.INVALID_REQUEST.code());
        }
        try {
            cache.coordinatorEpochOf(transactionalId);
        } catch (TxnError e) {
            return answer.setErrorCode(e.error().code());
        }
        TransactionMetadata metadata = cache.get(transactionalId);
        if (metadata == null || metadata.state() == DEAD) {
            return answer.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
        }
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        metadata.partitions().stream().sorted(TxnTransition.PARTITION_ORDER)
                .forEach(p -> byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p.partition()));
        byTopic.forEach((topic, ids) -> answer.topics().add(new DescribeTransactionsResponseData.TopicData().setTopic(topic).setPartitions(ids)));
        return answer.setErrorCode(Errors.NONE.code()).setProducerId(metadata.producerId()).setProducerEpoch(metadata.producerEpoch())
                .setTransactionState(metadata.state().kafkaName()).setTransactionTimeoutMs(metadata.timeoutMs())
                .setTransactionStartTimeMs(metadata.startTimestampMs());
    }

    /**
     * ListTransactions over the partitions led here.
     *
     * @param stateFilters      Kafka state names; unknown names are echoed back and match nothing
     * @param producerIdFilters producer ids, empty for all
     * @param durationFilterMs  only transactions running longer than this (v1), -1 for all
     * @param idPattern         a Java regex the whole id must match (v2), null or empty for all
     */
    ListTransactionsResponseData list(Set<String> stateFilters, Set<Long> producerIdFilters, long durationFilterMs,
            String idPattern, long nowMs) {
        ListTransactionsResponseData answer = new ListTransactionsResponseData();
        if (cache.anyLoading()) {
            return answer.setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
        }
        Pattern pattern;
        try {
            pattern = idPattern == null || idPattern.isEmpty() ? null : Pattern.compile(idPattern);
        } catch (PatternSyntaxException e) {
            return answer.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code());
        }
        Set<TransactionState> states = EnumSet.noneOf(TransactionState.class);
        for (String name : stateFilters) {
            fromKafkaName(name).ifPresentOrElse(states::add, () -> answer.unknownStateFilters().add(name));
        }
        if (!stateFilters.isEmpty() && states.isEmpty()) {
            return answer.setErrorCode(Errors.NONE.code());
        }
        for (TransactionMetadata metadata : cache.ownedIds()) {
            boolean include = metadata.state() != DEAD
                    && (producerIdFilters.isEmpty() || producerIdFilters.contains(metadata.producerId()))
                    && (states.isEmpty() || states.contains(metadata.state()))
                    && (durationFilterMs < 0 || nowMs - metadata.startTimestampMs() > durationFilterMs)
                    && (pattern == null || pattern.matcher(metadata.transactionalId()).matches());
            if (include) {
                answer.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                        .setTransactionalId(metadata.transactionalId()).setProducerId(metadata.producerId())
                        .setTransactionState(metadata.state().kafkaName()));
            }
        }
        return answer.setErrorCode(Errors.NONE.code());
    }
}
