package io.runnel.broker.txn;

import io.runnel.broker.interbroker.BrokerChannel;
import io.runnel.broker.interbroker.BrokerConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifications bound for one coordinator broker as one AddPartitionsToTxn (v4+) request, with
 * Kafka's rules: one entry per transactional id (a newer request displaces an older one), and the
 * coordinator's answers translated for the producer.
 */
final class VerificationExchange implements BrokerChannel.Exchange<PendingVerification> {

    private static final Logger log = LoggerFactory.getLogger(VerificationExchange.class);

    private static final short HIGHEST_VERSION = 5;
    private static final short FIRST_BROKER_VERSION = 4;

    private final int brokerId;

    VerificationExchange(int brokerId) {
        this.brokerId = brokerId;
    }

    @Override
    public void exchange(BrokerConnection connection, List<PendingVerification> batch) throws IOException {
        Map<String, PendingVerification> byId = oneEntryPerId(batch);
        short version = connection.version(ApiKeys.ADD_PARTITIONS_TO_TXN, HIGHEST_VERSION);
        if (version < FIRST_BROKER_VERSION) {
            // Kafka's rule for a coordinator that cannot verify: append without verification.
            log.warn("Broker {} cannot verify transactional partitions (AddPartitionsToTxn v{}); appending without verification", brokerId, version);
            byId.values().forEach(pending -> pending.unverified().complete(Map.of()));
            return;
        }
        AddPartitionsToTxnResponseData answer = (AddPartitionsToTxnResponseData) connection.send(ApiKeys.ADD_PARTITIONS_TO_TXN, version,
                request(byId.values()));
        if (answer.errorCode() != Errors.NONE.code()) {
            Errors error = Errors.forCode(answer.errorCode());
            log.error("AddPartitionsToTxn to broker {} answered {}", brokerId, error);
            // The client must not see CLUSTER_AUTHORIZATION_FAILED: the verification simply did not pass.
            Errors settled = error == Errors.CLUSTER_AUTHORIZATION_FAILED ? Errors.INVALID_TXN_STATE : error;
            byId.values().forEach(pending -> pending.failAll(settled));
            return;
        }
        answer.resultsByTransaction().forEach(result -> {
            PendingVerification pending = byId.remove(result.transactionalId());
            if (pending != null) {
                pending.unverified().complete(unverified(result, pending.operation()));
            }
        });
        // An id missing from the answer is a broken answer: let the producer retry.
        byId.values().forEach(pending -> pending.failAll(Errors.NETWORK_EXCEPTION));
    }

    @Override
    public void failed(List<PendingVerification> batch, IOException cause) {
        batch.forEach(pending -> pending.failAll(Errors.NETWORK_EXCEPTION));
    }

    /**
     * Kafka keeps one entry per transactional id: of two, the one with the lower epoch is refused
     * (INVALID_PRODUCER_EPOCH); at the same epoch the older is answered NETWORK_EXCEPTION, which the
     * producer retries.
     */
    static Map<String, PendingVerification> oneEntryPerId(List<PendingVerification> batch) {
        Map<String, PendingVerification> byId = new LinkedHashMap<>();
        for (PendingVerification incoming : batch) {
            PendingVerification existing = byId.get(incoming.transactionalId());
            if (existing == null) {
                byId.put(incoming.transactionalId(), incoming);
            } else if (existing.producerEpoch() <= incoming.producerEpoch()) {
                existing.failAll(existing.producerEpoch() < incoming.producerEpoch() ? Errors.INVALID_PRODUCER_EPOCH : Errors.NETWORK_EXCEPTION);
                byId.put(incoming.transactionalId(), incoming);
            } else {
                incoming.failAll(Errors.INVALID_PRODUCER_EPOCH);
            }
        }
        return byId;
    }

    private static AddPartitionsToTxnRequestData request(Iterable<PendingVerification> pending) {
        AddPartitionsToTxnRequestData request = new AddPartitionsToTxnRequestData();
        for (PendingVerification verification : pending) {
            AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
            Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
            verification.partitions().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), topic -> new ArrayList<>()).add(tp.partition()));
            byTopic.forEach((topic, partitions) -> topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(partitions)));
            request.transactions().add(new AddPartitionsToTxnTransaction().setTransactionalId(verification.transactionalId())
                    .setProducerId(verification.producerId()).setProducerEpoch(verification.producerEpoch())
                    .setVerifyOnly(verification.operation() != TxnPartitionVerifier.Operation.ADD_PARTITION).setTopics(topics));
        }
        return request;
    }

    /** The partitions of one transaction's result that did not pass, as the producer should see them. */
    private static Map<TopicPartition, Errors> unverified(AddPartitionsToTxnResponseData.AddPartitionsToTxnResult result,
                                                          TxnPartitionVerifier.Operation operation) {
        Map<TopicPartition, Errors> unverified = new HashMap<>();
        result.topicResults().forEach(topic -> topic.resultsByPartition().forEach(partition -> {
            Errors error = Errors.forCode(partition.partitionErrorCode());
            if (error != Errors.NONE) {
                unverified.put(new TopicPartition(topic.name(), partition.partitionIndex()), producerFacing(error, operation));
            }
        }));
        return unverified;
    }

    private static Errors producerFacing(Errors error, TxnPartitionVerifier.Operation operation) {
        if (error == Errors.PRODUCER_FENCED) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        if (error == Errors.TRANSACTION_ABORTABLE && operation == TxnPartitionVerifier.Operation.DEFAULT_ERROR) {
            return Errors.INVALID_TXN_STATE;
        }
        return error;
    }
}
