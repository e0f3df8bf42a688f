package io.runnel.metadata;

import io.runnel.metadata.controller.ControllerCommand;
import io.runnel.metadata.controller.ControllerCommand.PartitionResult;
import io.runnel.metadata.node.MetadataNode;
import io.runnel.metadata.quorum.QuorumStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownServerException;

/**
 * Cluster metadata as a broker uses it: the committed image this node has replayed, and metadata
 * changes carried out by the active controller, wherever it runs. A change returns once it is
 * committed and this node's image holds it, so a client that changed something through this broker
 * reads it back here. Thread-safe; the change methods block the calling (request handler) thread for
 * at most the request timeout.
 */
public final class ClusterMetadata {

    private static final long CATCH_UP_MS = 5_000;

    private final MetadataNode node;
    private final Duration timeout;

    /** Metadata of {@code node}, giving up on a change after {@code timeout}. */
    public ClusterMetadata(MetadataNode node, Duration timeout) {
        this.node = node;
        this.timeout = timeout;
    }

    /** The current image. */
    public MetadataImage image() {
        return node.publisher().image();
    }

    /** Registers a listener for every image published from now on, on the replaying thread, in order. */
    public void addListener(MetadataListener listener) {
        node.publisher().addListener(listener);
    }

    /** This node's id ({@code node.id}). */
    public int nodeId() {
        return node.nodeId();
    }

    /** The node id of the active controller, if known. */
    public OptionalInt activeControllerId() {
        return node.activeControllerId();
    }

    /** Whether this node is the active controller. */
    public boolean isActiveController() {
        OptionalInt active = node.activeControllerId();
        return active.isPresent() && active.getAsInt() == node.nodeId();
    }

    /** The last committed metadata offset as this node knows it, if it does (voters and a node alone; see {@link MetadataNode#committedOffset}). */
    public OptionalLong committedOffset() {
        return node.committedOffset();
    }

    /** The metadata quorum as its leader sees it; see {@link MetadataNode#quorumStatus}. Does not block. */
    public CompletableFuture<QuorumStatus> quorumStatus() {
        return node.quorumStatus();
    }

    /**
     * Creates a topic (or, with {@code validateOnly}, checks that it could be created).
     *
     * @return the topic as created (validateOnly: as it would be, with a zero id)
     * @throws ApiException Kafka's error: TOPIC_ALREADY_EXISTS, INVALID_REPLICATION_FACTOR, ...
     */
    public TopicMetadata createTopic(String name, int partitions, int replicationFactor, Map<Integer, List<Integer>> assignments,
                                     Map<String, String> configs, boolean validateOnly) {
        return (TopicMetadata) send(new ControllerCommand.CreateTopic(name, partitions, replicationFactor, assignments, configs, validateOnly));
    }

    /** Deletes a topic and returns it as it was. */
    public TopicMetadata deleteTopic(Uuid topicId) {
        return (TopicMetadata) send(new ControllerCommand.DeleteTopic(topicId));
    }

    /** Replaces a topic's config overrides (already validated by the caller). */
    public void alterTopicConfigs(Uuid topicId, Map<String, String> configs) {
        send(new ControllerCommand.AlterTopicConfigs(topicId, configs));
    }

    /** Replaces the dynamic configs of a node id, or of {@link MetadataImage#DEFAULT_BROKER} (already validated). */
    public void alterBrokerConfigs(String broker, Map<String, String> configs) {
        send(new ControllerCommand.AlterBrokerConfigs(broker, configs));
    }

    /** Sets and removes users' SCRAM credentials (UserScramCredentialRecords and RemoveUserScramCredentialRecords, already checked). */
    public void alterScramCredentials(List<MetadataRecord> changes) {
        send(new ControllerCommand.AlterScramCredentials(changes));
    }

    /** Sets and removes client quotas (ClientQuotaRecords, already checked). */
    public void alterClientQuotas(List<MetadataRecord.ClientQuotaRecord> changes) {
        send(new ControllerCommand.AlterClientQuotas(changes));
    }

    /** Raises a topic's partition count; {@code assignments} are the new partitions' replicas, or empty. */
    public void createPartitions(Uuid topicId, int partitionCount, List<List<Integer>> assignments, boolean validateOnly) {
        send(new ControllerCommand.CreatePartitions(topicId, partitionCount, assignments, validateOnly));
    }

    /** Adds ACLs (validated by the caller); those that exist already stay as they are. */
    public void createAcls(List<org.apache.kafka.common.acl.AclBinding> acls) {
        send(new ControllerCommand.CreateAcls(acls));
    }

    /** Removes the ACLs of these ids (see {@link MetadataImage#acls()}). */
    public void deleteAcls(List<Uuid> ids) {
        send(new ControllerCommand.DeleteAcls(ids));
    }

    /** Reserves {@code count} producer ids and returns the first; ids are never handed out twice. */
    public long allocateProducerIds(int count) {
        return (Long) send(new ControllerCommand.AllocateProducerIds(count));
    }

    /** Reassigns partitions' replicas (null replicas: cancel) and returns each partition's outcome. */
    public List<PartitionResult> alterReassignments(List<ControllerCommand.Reassignment> reassignments) {
        return alterReassignments(reassignments, true);
    }

    /**
     * Reassigns partitions' replicas (null replicas: cancel), changing no replica count unless
     * {@code allowReplicationFactorChange}, and returns each partition's outcome.
     */
    @SuppressWarnings("unchecked")
    public List<PartitionResult> alterReassignments(List<ControllerCommand.Reassignment> reassignments, boolean allowReplicationFactorChange) {
        return (List<PartitionResult>) send(new ControllerCommand.AlterReassignments(reassignments, allowReplicationFactorChange));
    }

    /**
     * Sets finalized feature levels, all or none (or, with {@code validateOnly}, checks that it could).
     *
     * @throws ApiException INVALID_UPDATE_VERSION naming the first update that cannot be made
     */
    public void updateFeatures(List<ControllerCommand.FeatureUpdate> updates, boolean validateOnly) {
        send(new ControllerCommand.UpdateFeatures(updates, validateOnly));
    }

    /** Elects leaders (preferred, or unclean) and returns each partition's outcome. */
    @SuppressWarnings("unchecked")
    public List<PartitionResult> electLeaders(boolean unclean, List<ControllerCommand.PartitionId> partitions) {
        return (List<PartitionResult>) send(new ControllerCommand.ElectLeaders(unclean, partitions));
    }

    /**
     * Creates a topic without blocking: the future completes as {@link #createTopic} returns, or fails
     * with its exception.
     */
    public CompletableFuture<TopicMetadata> createTopicAsync(String name, int partitions, int replicationFactor,
                                                             Map<Integer, List<Integer>> assignments, Map<String, String> configs) {
        return sendAsync(new ControllerCommand.CreateTopic(name, partitions, replicationFactor, assignments, configs, false))
                .thenApply(TopicMetadata.class::cast);
    }

    /**
     * Asks the active controller for ISR changes (Kafka's AlterPartition), without blocking: the caller
     * may be a partition's own thread. The future completes with one result per change, in order, once
     * the records are committed and this node's image holds them, so a broker that reads its image in
     * the callback sees its change; it completes on the controller's or the metadata replay thread, so
     * callbacks must hand heavy work elsewhere. It fails with Kafka's {@link ApiException} for a refused
     * sender (STALE_BROKER_EPOCH, BROKER_NOT_AVAILABLE), NOT_CONTROLLER when no controller could commit, and
     * REQUEST_TIMED_OUT when no answer came within the request timeout, or the image did not reach the
     * change within it (the change may then be committed: the next request's partition epoch tells).
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<List<ControllerCommand.IsrChangeResult>> alterPartitionAsync(ControllerCommand.AlterPartition command) {
        return node.controller().send(command)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(committed -> (committed.offset() < 0 ? CompletableFuture.<Void>completedFuture(null)
                        : node.publisher().awaitOffset(committed.offset()).copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS))
                        .thenApply(caughtUp -> (List<ControllerCommand.IsrChangeResult>) committed.reply()))
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(kafkaError(error)));
    }

    private Object send(ControllerCommand command) {
        try {
            return sendAsync(command).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof ApiException api ? api : new UnknownServerException(e.getCause());
        }
    }

    /**
     * Sends a command; completes with its reply once this node's image holds its records (or, should
     * this node lag, after {@value #CATCH_UP_MS} ms: the change is committed either way).
     */
    private CompletableFuture<Object> sendAsync(ControllerCommand command) {
        return node.controller().send(command)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(committed -> committed.offset() < 0 ? CompletableFuture.completedFuture(committed.reply())
                        : node.publisher().awaitOffset(committed.offset()).copy().completeOnTimeout(null, CATCH_UP_MS, TimeUnit.MILLISECONDS)
                        .thenApply(caughtUp -> committed.reply()))
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(kafkaError(error)));
    }

    private ApiException kafkaError(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return new TimeoutException("The active controller did not answer within " + timeout.toMillis() + " ms.");
        }
        return new UnknownServerException(cause);
    }
}
