package io.runnel.broker.handler.txn;

import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.handler.ClusterView;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.metadata.MetadataImage;
import io.runnel.protocol.KafkaRequest;
import io.runnel.transaction.TransactionVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * AddPartitionsToTxn. v0–3 is the client's form: one transaction, whose partitions join it. v4–5 is
 * the brokers' form: a batch of transactions, each either verified ({@code verify_only}: is every
 * partition in the transaction? KIP-890) or added. As in Kafka, if any partition is unknown, it gets
 * UNKNOWN_TOPIC_OR_PARTITION and the transaction's others OPERATION_NOT_ATTEMPTED, and nothing is added.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler {

    private final TransactionCoordinatorRuntime transactions;
    private final ClusterView cluster;

    public AddPartitionsToTxnHandler(TransactionCoordinatorRuntime transactions, ClusterView cluster) {
        this.transactions = transactions;
        this.cluster = cluster;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        AddPartitionsToTxnRequestData body = (AddPartitionsToTxnRequestData) request.body();
        short version = request.apiVersion();
        if (version < 4) {
            AddPartitionsToTxnTransaction single = new AddPartitionsToTxnTransaction()
                    .setTransactionalId(body.v3AndBelowTransactionalId()).setProducerId(body.v3AndBelowProducerId())
                    .setProducerEpoch(body.v3AndBelowProducerEpoch()).setTopics(body.v3AndBelowTopics());
            return handle(single, version).thenApply(result -> new AddPartitionsToTxnResponseData()
                    .setResultsByTopicV3AndBelow(result.topicResults()));
        }
        List<CompletableFuture<AddPartitionsToTxnResult>> results = new ArrayList<>();
        for (AddPartitionsToTxnTransaction transaction : body.transactions()) {
            results.add(handle(transaction, version));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(done -> {
            AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData();
            results.forEach(result -> response.resultsByTransaction().add(result.join()));
            return response;
        });
    }

    private CompletableFuture<AddPartitionsToTxnResult> handle(AddPartitionsToTxnTransaction transaction, short version) {
        List<TopicPartition> partitions = partitions(transaction.topics());
        MetadataImage image = cluster.image();
        List<TopicPartition> unknown = partitions.stream().filter(tp -> !exists(image, tp)).toList();
        if (!unknown.isEmpty()) {
            Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
            partitions.forEach(tp -> errors.put(tp, unknown.contains(tp) ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.OPERATION_NOT_ATTEMPTED));
            return CompletableFuture.completedFuture(result(transaction.transactionalId(), errors));
        }
        String id = transaction.transactionalId();
        if (transaction.verifyOnly()) {
            return transactions.read(coordinator -> result(id,
                    coordinator.verifyPartitions(id, transaction.producerId(), transaction.producerEpoch(), partitions)));
        }
        // A broker adding partitions for a client (v4+) does so for the second protocol: Produce v12+ and
        // TxnOffsetCommit v5 add their partitions implicitly (KIP-890 part 2).
        TransactionVersion clientVersion = version >= 4 ? TransactionVersion.TV_2 : TransactionVersion.TV_0;
        return transactions.write((coordinator, now) -> coordinator.addPartitions(id, transaction.producerId(), transaction.producerEpoch(),
                        partitions, clientVersion, now))
                .thenApply(error -> {
                    Errors mapped = TxnErrors.forVersion(error, version, 2);
                    Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
                    partitions.forEach(tp -> errors.put(tp, mapped));
                    return result(id, errors);
                });
    }

    private static boolean exists(MetadataImage image, TopicPartition partition) {
        return image.topic(partition.topic()).map(topic -> partition.partition() >= 0 && partition.partition() < topic.partitionCount())
                .orElse(false);
    }

    private static List<TopicPartition> partitions(AddPartitionsToTxnTopicCollection topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (AddPartitionsToTxnTopic topic : topics) {
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p)));
        }
        return partitions;
    }

    private static AddPartitionsToTxnResult result(String transactionalId, Map<TopicPartition, Errors> errors) {
        AddPartitionsToTxnTopicResultCollection topics = new AddPartitionsToTxnTopicResultCollection();
        errors.forEach((partition, error) -> {
            AddPartitionsToTxnTopicResult topic = topics.find(partition.topic());
            if (topic == null) {
                topic = new AddPartitionsToTxnTopicResult().setName(partition.topic());
                topics.add(topic);
            }
            topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult().setPartitionIndex(partition.partition())
                    .setPartitionErrorCode(error.code()));
        });
        return new AddPartitionsToTxnResult().setTransactionalId(transactionalId).setTopicResults(topics);
    }
}
