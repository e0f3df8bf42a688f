package io.runnel.broker.handler;

import io.runnel.broker.acl.AuthorizedOperations;
import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeTopicPartitions (KIP-966), what {@code Admin#describeTopics} asks when a broker serves it:
 * the topics asked for (none: every topic), sorted by name, each partition with its leader and leader
 * epoch, replicas, ISR, eligible leader replicas and offline replicas, answered from this node's
 * metadata image as Kafka's metadata cache answers.
 *
 * <p>Paged: one response describes at most {@code min(response_partition_limit,
 * max.request.partition.size.limit)} partitions (at least one) from the request's cursor on, and
 * names where to go on in {@code next_cursor}: mid-topic, or at partition 0 of the next topic once the
 * limit is used up exactly. A topic asked for that does not exist is answered with
 * UNKNOWN_TOPIC_OR_PARTITION (INVALID_TOPIC_EXCEPTION for an illegal name); a cursor whose topic is not
 * among those asked, or whose partition is negative, fails the request with INVALID_REQUEST for every
 * topic, as Kafka does. Topics the principal may not DESCRIBE are left out of an all-topics answer
 * and, when named, answered TOPIC_AUTHORIZATION_FAILED after the described ones (outside the paging);
 * every other topic carries the operations the principal may perform on it. Stateless and thread-safe.
 */
public final class DescribeTopicPartitionsHandler implements ApiHandler {

    private final Supplier<MetadataImage> images;
    private final String defaultListener;
    private final int maxPartitions;
    private final RequestAuthorizer authorizer;

    /**
     * A handler over the images {@code images} supplies.
     *
     * @param defaultListener the listener a request of unknown listener (tests) is answered for
     * @param maxPartitions   {@code max.request.partition.size.limit}
     * @param authorizer      who may DESCRIBE which topic
     */
    DescribeTopicPartitionsHandler(Supplier<MetadataImage> images, String defaultListener, int maxPartitions, RequestAuthorizer authorizer) {
        this.images = images;
        this.defaultListener = defaultListener;
        this.maxPartitions = maxPartitions;
        this.authorizer = authorizer;
    }

    /** The handler of a broker with {@code config}, answering from {@code metadata}'s image. */
    public static DescribeTopicPartitionsHandler forConfig(ClusterMetadata metadata, BrokerConfig config, RequestAuthorizer authorizer) {
        return new DescribeTopicPartitionsHandler(metadata::image, config.brokerListeners().get(0).name(), config.maxRequestPartitionSizeLimit(),
                authorizer);
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        String listener = request.listenerName().isEmpty() ? defaultListener : request.listenerName();
        return CompletableFuture.completedFuture(describe(images.get(), request, listener));
    }

    /**
     * The answer to {@code asked} from {@code image}, for a client on {@code listener}.
     *
     * @throws InvalidRequestException when the cursor names a topic not asked for, or a negative partition
     */
    DescribeTopicPartitionsResponseData describe(MetadataImage image, KafkaRequest asked, String listener) {
        DescribeTopicPartitionsRequestData request = (DescribeTopicPartitionsRequestData) asked.body();
        boolean allTopics = request.topics().isEmpty();
        Cursor cursor = request.cursor();
        SortedSet<String> names = topicsFromCursor(image, request, cursor);
        if (cursor != null && cursor.partitionIndex() < 0) {
            throw new InvalidRequestException("DescribeTopicPartitionsRequest cursor partition must be valid: " + cursor);
        }
        List<DescribeTopicPartitionsResponseTopic> refused = new ArrayList<>();
        for (String name : List.copyOf(names)) {
            if (!authorizer.authorizeTopic(asked, AclOperation.DESCRIBE, name)) {
                names.remove(name);
                if (!allTopics) {
                    refused.add(refused(name));
                }
            }
        }
        DescribeTopicPartitionsResponseData response = describe(image, names, cursor, request, listener);
        response.topics().forEach(topic -> topic.setTopicAuthorizedOperations(AuthorizedOperations.of(authorizer, asked, ResourceType.TOPIC, topic.name())));
        response.topics().addAll(refused);
        return response;
    }

    /** The topics {@code names} from the cursor on, as many partitions as the limit allows. */
    private DescribeTopicPartitionsResponseData describe(MetadataImage image, SortedSet<String> names, Cursor cursor,
                                                         DescribeTopicPartitionsRequestData request, String listener) {
        boolean allTopics = request.topics().isEmpty();
        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData();
        int remaining = Math.max(Math.min(maxPartitions, request.responsePartitionLimit()), 1);
        for (String name : names) {
            if (remaining == 0) {
                response.setNextCursor(new DescribeTopicPartitionsResponseData.Cursor().setTopicName(name).setPartitionIndex(0));
                break;
            }
            TopicMetadata topic = image.topic(name).orElse(null);
            if (topic == null) {
                if (!allTopics) {
                    response.topics().add(absent(name));
                }
                continue;
            }
            int first = cursor != null && name.equals(cursor.topicName()) ? cursor.partitionIndex() : 0;
            int end = (int) Math.min(topic.partitionCount(), (long) first + remaining);
            DescribeTopicPartitionsResponseTopic described = new DescribeTopicPartitionsResponseTopic()
                    .setName(name)
                    .setTopicId(topic.id())
                    .setIsInternal(TopicNames.isInternal(name));
            for (int index = first; index < end; index++) {
                described.partitions().add(partition(image, index, topic.partition(index), listener));
            }
            response.topics().add(described);
            if (end < topic.partitionCount()) {
                response.setNextCursor(new DescribeTopicPartitionsResponseData.Cursor().setTopicName(name).setPartitionIndex(end));
                break;
            }
            remaining -= described.partitions().size();
        }
        return response;
    }

    /** The names to describe, from the cursor's topic on (all topics of the image when none are asked). */
    private static SortedSet<String> topicsFromCursor(MetadataImage image, DescribeTopicPartitionsRequestData request, Cursor cursor) {
        String from = cursor == null ? "" : cursor.topicName();
        SortedSet<String> names = new TreeSet<>();
        if (request.topics().isEmpty()) {
            image.topics().stream().map(TopicMetadata::name).filter(name -> name.compareTo(from) >= 0).forEach(names::add);
            return names;
        }
        request.topics().stream().map(DescribeTopicPartitionsRequestData.TopicRequest::name).filter(name -> name.compareTo(from) >= 0)
                .forEach(names::add);
        if (cursor != null && !names.contains(cursor.topicName())) {
            throw new InvalidRequestException("DescribeTopicPartitionsRequest topic list should contain the cursor topic: " + cursor.topicName());
        }
        return names;
    }

    /**
     * One partition as Kafka describes it: the leader only while it is registered with an endpoint on
     * the client's listener (else -1), every replica and ISR member as recorded, and as offline the
     * replicas whose broker is fenced, unregistered or without that listener.
     */
    private static DescribeTopicPartitionsResponsePartition partition(MetadataImage image, int index, PartitionRegistration partition, String listener) {
        boolean leaderReachable = partition.hasLeader()
                && image.broker(partition.leader()).flatMap(broker -> broker.endpoint(listener)).isPresent();
        List<Integer> offline = partition.replicas().stream()
                .filter(replica -> image.broker(replica).map(broker -> isOffline(broker, listener)).orElse(true))
                .toList();
        return new DescribeTopicPartitionsResponsePartition()
                .setErrorCode(Errors.NONE.code())
                .setPartitionIndex(index)
                .setLeaderId(leaderReachable ? partition.leader() : PartitionRegistration.NO_LEADER)
                .setLeaderEpoch(partition.leaderEpoch())
                .setReplicaNodes(partition.replicas())
                .setIsrNodes(partition.isr())
                .setEligibleLeaderReplicas(partition.elr())
                .setLastKnownElr(partition.lastKnownElr())
                .setOfflineReplicas(offline);
    }

    private static boolean isOffline(BrokerRegistration broker, String listener) {
        return broker.fenced() || broker.endpoint(listener).isEmpty();
    }

    private static DescribeTopicPartitionsResponseTopic absent(String name) {
        Errors error = TopicNames.isValid(name) ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.INVALID_TOPIC_EXCEPTION;
        return new DescribeTopicPartitionsResponseTopic()
                .setErrorCode(error.code())
                .setName(name)
                .setTopicId(Uuid.ZERO_UUID)
                .setIsInternal(TopicNames.isInternal(name));
    }

    /** A named topic the principal may not DESCRIBE: whether it exists is not disclosed. */
    private static DescribeTopicPartitionsResponseTopic refused(String name) {
        return new DescribeTopicPartitionsResponseTopic()
                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setName(name)
                .setTopicId(Uuid.ZERO_UUID)
                .setIsInternal(false);
    }
}
