package io.runnel.broker.handler;

import static io.runnel.broker.ImageFixture.LISTENER;
import static io.runnel.broker.ImageFixture.partition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.broker.ImageFixture;
import io.runnel.broker.acl.AuthorizerConfig;
import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.acl.StandardAuthorizer;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.protocol.KafkaRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class DescribeTopicPartitionsHandlerTest {

    private static final int LIMIT = 2000;

    private final ImageFixture fixture = new ImageFixture().brokers(1, 2, 3);
    private final StandardAuthorizer authorizer = new StandardAuthorizer(AuthorizerConfig.parse(AuthorizerConfig.STANDARD_AUTHORIZER, "", true));

    @Test
    void shouldDescribeTheTopicsAskedSortedByNameWithLeaderEpochReplicasIsrAndElr() {
        fixture.topic("b", partition(0, 2, 3, 1))
                .topic("a", new PartitionRegistration(List.of(1, 2, 3), List.of(1), List.of(2), 1, 4, 7), partition(0, 3, 1, 2));

        DescribeTopicPartitionsResponseData response = describe(request("b", "a"));

        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("a", "b");
        DescribeTopicPartitionsResponseTopic a = response.topics().find("a");
        assertThat(a.errorCode()).isZero();
        assertThat(a.topicId()).isEqualTo(fixture.image().topic("a").orElseThrow().id());
        assertThat(a.isInternal()).isFalse();
        assertThat(a.topicAuthorizedOperations()).as("every topic operation, without an authorizer").isEqualTo(0b1101_1111_1000);
        DescribeTopicPartitionsResponsePartition first = a.partitions().get(0);
        assertThat(first.partitionIndex()).isZero();
        assertThat(first.leaderId()).isEqualTo(1);
        assertThat(first.leaderEpoch()).isEqualTo(4);
        assertThat(first.replicaNodes()).containsExactly(1, 2, 3);
        assertThat(first.isrNodes()).containsExactly(1);
        assertThat(first.eligibleLeaderReplicas()).containsExactly(2);
        assertThat(first.lastKnownElr()).isEmpty();
        assertThat(first.offlineReplicas()).isEmpty();
        assertThat(a.partitions().get(1).leaderId()).isEqualTo(3);
        assertThat(response.nextCursor()).isNull();
    }

    @Test
    void shouldReportReplicasOnFencedOrUnregisteredBrokersAsOfflineAndNoLeaderWhenItsBrokerIsUnregistered() {
        fixture.fence(3).topic("t", partition(2, 1, 3, 4), partition(5, 4, 1));

        List<DescribeTopicPartitionsResponsePartition> partitions = describe(request("t")).topics().find("t").partitions();

        assertThat(partitions.get(0).offlineReplicas()).containsExactly(3, 4);
        assertThat(partitions.get(0).leaderId()).isEqualTo(1);
        assertThat(partitions.get(1).leaderId()).isEqualTo(-1);
        assertThat(partitions.get(1).leaderEpoch()).isEqualTo(5);
        assertThat(partitions.get(1).replicaNodes()).as("replicas are listed as recorded").containsExactly(4, 1);
    }

    @Test
    void shouldTellNoLeaderToAClientOnAListenerTheLeaderDoesNotHave() {
        fixture.topic("t", partition(0, 1, 2));

        DescribeTopicPartitionsResponsePartition partition = handler(LIMIT).describe(fixture.image(), asKafkaRequest(request("t")), "INTERNAL")
                .topics().find("t").partitions().get(0);

        assertThat(partition.leaderId()).isEqualTo(-1);
        assertThat(partition.offlineReplicas()).containsExactly(1, 2);
    }

    @Test
    void shouldAnswerUnknownAndIllegalTopicsWithTheirErrors() {
        fixture.topic("known", partition(0, 1));

        DescribeTopicPartitionsResponseData response = describe(request("known", "missing", "bad name!"));

        assertThat(response.topics().find("missing").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.topics().find("missing").topicId()).isEqualTo(Uuid.ZERO_UUID);
        assertThat(response.topics().find("bad name!").errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(response.topics().find("known").errorCode()).isZero();
    }

    @Test
    void shouldDescribeEveryTopicWhenNoneIsAsked() {
        fixture.topic("z", partition(0, 1)).topic("__consumer_offsets", partition(0, 2)).topic("m", partition(0, 3));

        DescribeTopicPartitionsResponseData response = describe(request());

        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("__consumer_offsets", "m", "z");
        assertThat(response.topics().find("__consumer_offsets").isInternal()).isTrue();
    }

    @Test
    void shouldPageAtThePartitionLimitAndGoOnFromTheCursor() {
        fixture.topic("a", partition(0, 1), partition(0, 2), partition(0, 3)).topic("b", partition(0, 1), partition(0, 2));

        DescribeTopicPartitionsResponseData first = describe(request("a", "b").setResponsePartitionLimit(2));
        assertThat(partitionsOf(first, "a")).containsExactly(0, 1);
        assertThat(first.topics()).hasSize(1);
        assertThat(first.nextCursor().topicName()).isEqualTo("a");
        assertThat(first.nextCursor().partitionIndex()).isEqualTo(2);

        DescribeTopicPartitionsResponseData second = describe(request("a", "b").setResponsePartitionLimit(2).setCursor(cursor("a", 2)));
        assertThat(partitionsOf(second, "a")).containsExactly(2);
        assertThat(partitionsOf(second, "b")).containsExactly(0);
        assertThat(second.nextCursor().topicName()).isEqualTo("b");
        assertThat(second.nextCursor().partitionIndex()).isEqualTo(1);

        DescribeTopicPartitionsResponseData third = describe(request("a", "b").setResponsePartitionLimit(2).setCursor(cursor("b", 1)));
        assertThat(third.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("b");
        assertThat(partitionsOf(third, "b")).containsExactly(1);
        assertThat(third.nextCursor()).isNull();
    }

    @Test
    void shouldPointTheCursorAtTheNextTopicWhenTheLimitIsUsedUpExactly() {
        fixture.topic("a", partition(0, 1), partition(0, 2)).topic("b", partition(0, 1));

        DescribeTopicPartitionsResponseData response = describe(request().setResponsePartitionLimit(2));

        assertThat(partitionsOf(response, "a")).containsExactly(0, 1);
        assertThat(response.nextCursor().topicName()).isEqualTo("b");
        assertThat(response.nextCursor().partitionIndex()).isZero();
    }

    @Test
    void shouldDescribeAtMostTheBrokersLimitAndAtLeastOnePartition() {
        fixture.topic("a", partition(0, 1), partition(0, 2), partition(0, 3));

        assertThat(partitionsOf(handler(2).describe(fixture.image(), asKafkaRequest(request("a")), LISTENER), "a")).containsExactly(0, 1);
        assertThat(partitionsOf(describe(request("a").setResponsePartitionLimit(0)), "a")).containsExactly(0);
    }

    @Test
    void shouldRefuseACursorOnATopicNotAskedForOrOnANegativePartition() {
        fixture.topic("a", partition(0, 1));

        assertThatThrownBy(() -> describe(request("a").setCursor(cursor("b", 0)))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> describe(request("a").setCursor(cursor("a", -1)))).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void shouldLeaveOutTopicsThePrincipalMayNotDescribeAndRefuseThemWhenNamed() {
        fixture.topic("a", partition(0, 1)).topic("secret", partition(0, 1)).topic("z", partition(0, 1));
        authorizer.load(Map.of(Uuid.randomUuid(), new AclBinding(new ResourcePattern(ResourceType.TOPIC, "secret", PatternType.LITERAL),
                new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.DESCRIBE, AclPermissionType.DENY))));
        DescribeTopicPartitionsHandler handler = handler(LIMIT, authorizer);

        assertThat(handler.describe(fixture.image(), asKafkaRequest(request()), LISTENER).topics())
                .extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("a", "z");
        DescribeTopicPartitionsResponseData named = handler.describe(fixture.image(), asKafkaRequest(request("secret", "z")), LISTENER);
        assertThat(named.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("z", "secret");
        DescribeTopicPartitionsResponseTopic secret = named.topics().find("secret");
        assertThat(secret.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(secret.topicId()).isEqualTo(Uuid.ZERO_UUID);
        assertThat(secret.partitions()).isEmpty();
        assertThat(secret.topicAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
        assertThat(named.topics().find("z").topicAuthorizedOperations()).as("no ACL names z, and everyone is allowed then")
                .isEqualTo(0b1101_1111_1000);
    }

    private DescribeTopicPartitionsResponseData describe(DescribeTopicPartitionsRequestData request) {
        return handler(LIMIT).describe(fixture.image(), asKafkaRequest(request), LISTENER);
    }

    private DescribeTopicPartitionsHandler handler(int limit) {
        return handler(limit, RequestAuthorizer.ALLOW_ALL);
    }

    private DescribeTopicPartitionsHandler handler(int limit, RequestAuthorizer authorizer) {
        MetadataImage image = fixture.image();
        return new DescribeTopicPartitionsHandler(() -> image, LISTENER, limit, authorizer);
    }

    private static KafkaRequest asKafkaRequest(DescribeTopicPartitionsRequestData request) {
        return new KafkaRequest(new RequestHeaderData().setRequestApiVersion((short) 0), ApiKeys.DESCRIBE_TOPIC_PARTITIONS, request);
    }

    private static DescribeTopicPartitionsRequestData request(String... topics) {
        return new DescribeTopicPartitionsRequestData()
                .setTopics(Arrays.stream(topics).map(name -> new TopicRequest().setName(name)).toList());
    }

    private static Cursor cursor(String topic, int partition) {
        return new Cursor().setTopicName(topic).setPartitionIndex(partition);
    }

    private static List<Integer> partitionsOf(DescribeTopicPartitionsResponseData response, String topic) {
        return response.topics().find(topic).partitions().stream().map(DescribeTopicPartitionsResponsePartition::partitionIndex).toList();
    }
}
