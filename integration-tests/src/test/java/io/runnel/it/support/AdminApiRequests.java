package io.runnel.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.UpdateFeaturesRequestData;
import org.apache.kafka.common.message.UpdateFeaturesResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * One request per admin API (configs, partitions, records, log dirs, producers, elections,
 * reassignments, the metadata quorum, topic partitions) for {@code EveryServedVersionIT}: each touches a real topic with data written by an
 * idempotent producer, at the version given, and checks the answer. Stateless but for the topic name.
 */
public final class AdminApiRequests {

    private static final String NODE_ID = "1";
    private static final byte TOPIC_RESOURCE = 2;
    private static final byte BROKER_RESOURCE = 4;

    private final String topic;

    /** Requests about {@code topic}, which has data in partition 0 from an idempotent producer. */
    public AdminApiRequests(String topic) {
        this.topic = topic;
    }

    /** Sends {@code key} at {@code version} and checks the answer; false if {@code key} is not an admin API here. */
    public boolean exercise(RawKafkaConnection connection, ApiKeys key, short version) {
        switch (key) {
            case DESCRIBE_CONFIGS -> describeConfigs(connection, version);
            case ALTER_CONFIGS -> alterConfigs(connection, version);
            case INCREMENTAL_ALTER_CONFIGS -> incrementalAlterConfigs(connection, version);
            case CREATE_PARTITIONS -> createPartitions(connection, version);
            case DELETE_RECORDS -> deleteRecords(connection, version);
            case DESCRIBE_LOG_DIRS -> describeLogDirs(connection, version);
            case DESCRIBE_PRODUCERS -> describeProducers(connection, version);
            case ELECT_LEADERS -> electLeaders(connection, version);
            case UPDATE_FEATURES -> updateFeatures(connection, version);
            case ALTER_PARTITION_REASSIGNMENTS -> alterPartitionReassignments(connection, version);
            case DESCRIBE_QUORUM -> describeQuorum(connection, version);
            case DESCRIBE_TOPIC_PARTITIONS -> describeTopicPartitions(connection, version);
            case LIST_PARTITION_REASSIGNMENTS -> {
                ListPartitionReassignmentsResponseData response = connection.call(key, version,
                        new ListPartitionReassignmentsRequestData().setTopics(null).setTimeoutMs(5_000));
                assertThat(response.errorCode()).isZero();
                assertThat(response.topics()).isEmpty();
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void describeQuorum(RawKafkaConnection connection, short version) {
        DescribeQuorumResponseData response = connection.call(ApiKeys.DESCRIBE_QUORUM, version, new DescribeQuorumRequestData().setTopics(List.of(
                new DescribeQuorumRequestData.TopicData().setTopicName("__cluster_metadata")
                        .setPartitions(List.of(new DescribeQuorumRequestData.PartitionData().setPartitionIndex(0))))));
        DescribeQuorumResponseData.PartitionData partition = response.topics().get(0).partitions().get(0);
        assertThat(partition.errorCode()).isZero();
        assertThat(partition.leaderId()).isEqualTo(Integer.parseInt(NODE_ID));
        assertThat(partition.currentVoters()).singleElement().satisfies(voter -> {
            assertThat(voter.logEndOffset()).isEqualTo(partition.highWatermark());
            assertThat(voter.lastFetchTimestamp()).isEqualTo(version >= 1 ? voter.lastCaughtUpTimestamp() : -1);
        });
    }

    private void describeTopicPartitions(RawKafkaConnection connection, short version) {
        DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(1);
        for (String name : List.of("zz-after", topic, "missing")) {
            request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName(name));
        }
        DescribeTopicPartitionsResponseData response = connection.call(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, version, request);
        assertThat(response.topics()).extracting(DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic::name)
                .containsExactly("missing", topic);
        assertThat(response.topics().find("missing").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic described = response.topics().find(topic);
        assertThat(described.errorCode()).isZero();
        assertThat(described.partitions()).singleElement().satisfies(partition -> {
            assertThat(partition.leaderId()).isEqualTo(Integer.parseInt(NODE_ID));
            assertThat(partition.isrNodes()).containsExactly(Integer.parseInt(NODE_ID));
            assertThat(partition.eligibleLeaderReplicas()).isEmpty();
        });
        // The one partition of the limit is used up: the next page starts at the next topic asked for.
        assertThat(response.nextCursor().topicName()).isEqualTo("zz-after");
    }

    private void describeConfigs(RawKafkaConnection connection, short version) {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData()
                .setIncludeSynonyms(true)
                .setIncludeDocumentation(version >= 3)
                .setResources(List.of(
                        new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(TOPIC_RESOURCE).setResourceName(topic).setConfigurationKeys(null),
                        new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(BROKER_RESOURCE).setResourceName(NODE_ID)
                                .setConfigurationKeys(List.of("log.retention.ms", "message.max.bytes"))));
        DescribeConfigsResponseData response = connection.call(ApiKeys.DESCRIBE_CONFIGS, version, request);
        assertThat(response.results()).allSatisfy(result -> assertThat(result.errorCode()).isZero());
        assertThat(response.results().get(0).configs()).anySatisfy(config -> {
            assertThat(config.name()).isEqualTo("max.message.bytes");
            assertThat(config.synonyms()).extracting(DescribeConfigsResponseData.DescribeConfigsSynonym::name).contains("message.max.bytes");
        });
        assertThat(response.results().get(1).configs()).extracting(DescribeConfigsResponseData.DescribeConfigsResourceResult::name)
                .containsExactlyInAnyOrder("log.retention.ms", "message.max.bytes");
    }

    private void alterConfigs(RawKafkaConnection connection, short version) {
        AlterConfigsRequestData.AlterConfigsResourceCollection resources = new AlterConfigsRequestData.AlterConfigsResourceCollection();
        AlterConfigsRequestData.AlterableConfigCollection configs = new AlterConfigsRequestData.AlterableConfigCollection();
        configs.add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue(String.valueOf(86_400_000L + version)));
        resources.add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType(TOPIC_RESOURCE).setResourceName(topic).setConfigs(configs));
        AlterConfigsResponseData response = connection.call(ApiKeys.ALTER_CONFIGS, version, new AlterConfigsRequestData().setResources(resources));
        assertThat(response.responses()).singleElement().satisfies(result -> assertThat(result.errorCode()).isZero());
    }

    private void incrementalAlterConfigs(RawKafkaConnection connection, short version) {
        IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources = new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
        IncrementalAlterConfigsRequestData.AlterableConfigCollection topicConfigs = new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
        topicConfigs.add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("cleanup.policy").setConfigOperation((byte) 2).setValue("delete"));
        resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType(TOPIC_RESOURCE).setResourceName(topic)
                .setConfigs(topicConfigs));
        IncrementalAlterConfigsRequestData.AlterableConfigCollection brokerConfigs = new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
        brokerConfigs.add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("log.retention.bytes").setConfigOperation((byte) 1));
        resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType(BROKER_RESOURCE).setResourceName("")
                .setConfigs(brokerConfigs));
        IncrementalAlterConfigsResponseData response = connection.call(ApiKeys.INCREMENTAL_ALTER_CONFIGS, version,
                new IncrementalAlterConfigsRequestData().setResources(resources));
        assertThat(response.responses()).hasSize(2).allSatisfy(result -> assertThat(result.errorCode()).isZero());
    }

    private void createPartitions(RawKafkaConnection connection, short version) {
        String name = "grown-v" + version;
        createTopic(connection, name);
        CreatePartitionsResponseData response = connection.call(ApiKeys.CREATE_PARTITIONS, version, new CreatePartitionsRequestData()
                .setTimeoutMs(5_000)
                .setTopics(new CreatePartitionsRequestData.CreatePartitionsTopicCollection(List.of(
                        new CreatePartitionsRequestData.CreatePartitionsTopic().setName(name).setCount(3).setAssignments(null)).iterator())));
        assertThat(response.results()).singleElement().satisfies(result -> assertThat(result.errorCode()).isZero());
    }

    private void deleteRecords(RawKafkaConnection connection, short version) {
        String name = "trimmed-v" + version;
        createTopic(connection, name);
        assertThat(RawRequests.produce(connection, name, 0, RawRequests.batchOf("a", "b", "c")).errorCode()).isZero();
        List<DeleteRecordsRequestData.DeleteRecordsTopic> topics = List.of(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(name)
                .setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(2))));
        DeleteRecordsResponseData response = connection.call(ApiKeys.DELETE_RECORDS, version,
                new DeleteRecordsRequestData().setTopics(topics).setTimeoutMs(5_000));
        DeleteRecordsResponseData.DeleteRecordsPartitionResult partition = response.topics().iterator().next().partitions().iterator().next();
        assertThat(partition.errorCode()).isZero();
        assertThat(partition.lowWatermark()).isEqualTo(2);
    }

    private void describeLogDirs(RawKafkaConnection connection, short version) {
        DescribeLogDirsResponseData response = connection.call(ApiKeys.DESCRIBE_LOG_DIRS, version, new DescribeLogDirsRequestData().setTopics(null));
        assertThat(response.errorCode()).isZero();
        assertThat(response.results()).singleElement().satisfies(dir -> {
            assertThat(dir.errorCode()).isZero();
            assertThat(dir.topics()).anySatisfy(described -> {
                assertThat(described.name()).isEqualTo(topic);
                assertThat(described.partitions().get(0).partitionSize()).isPositive();
            });
            if (version >= 4) {
                assertThat(dir.totalBytes()).isPositive();
                assertThat(dir.usableBytes()).isPositive();
            }
        });
    }

    private void describeProducers(RawKafkaConnection connection, short version) {
        DescribeProducersRequestData request = new DescribeProducersRequestData();
        request.topics().add(new DescribeProducersRequestData.TopicRequest().setName(topic).setPartitionIndexes(List.of(0)));
        DescribeProducersResponseData response = connection.call(ApiKeys.DESCRIBE_PRODUCERS, version, request);
        DescribeProducersResponseData.PartitionResponse partition = response.topics().get(0).partitions().get(0);
        assertThat(partition.errorCode()).isZero();
        assertThat(partition.activeProducers()).isNotEmpty().allSatisfy(producer -> {
            assertThat(producer.producerId()).isNotNegative();
            // -1 for a producer whose only writes here are transaction markers, as in Kafka.
            assertThat(producer.lastSequence()).isGreaterThanOrEqualTo(-1);
        });
    }

    private void electLeaders(RawKafkaConnection connection, short version) {
        ElectLeadersRequestData.TopicPartitionsCollection partitions = new ElectLeadersRequestData.TopicPartitionsCollection();
        partitions.add(new ElectLeadersRequestData.TopicPartitions().setTopic(topic).setPartitions(List.of(0)));
        ElectLeadersResponseData response = connection.call(ApiKeys.ELECT_LEADERS, version,
                new ElectLeadersRequestData().setTopicPartitions(partitions).setTimeoutMs(5_000));
        assertThat(response.errorCode()).isZero();
        assertThat(response.replicaElectionResults().get(0).partitionResult().get(0).errorCode()).isEqualTo(Errors.ELECTION_NOT_NEEDED.code());
    }

    /** Finalizes transaction.version at the level it has (2): an upgrade that changes nothing; from v1 only validated. */
    private static void updateFeatures(RawKafkaConnection connection, short version) {
        UpdateFeaturesRequestData.FeatureUpdateKeyCollection updates = new UpdateFeaturesRequestData.FeatureUpdateKeyCollection();
        updates.add(new UpdateFeaturesRequestData.FeatureUpdateKey().setFeature("transaction.version").setMaxVersionLevel((short) 2));
        UpdateFeaturesResponseData response = connection.call(ApiKeys.UPDATE_FEATURES, version,
                new UpdateFeaturesRequestData().setFeatureUpdates(updates).setValidateOnly(version >= 1).setTimeoutMs(5_000));
        assertThat(response.errorCode()).isZero();
        if (version < 2) {
            assertThat(response.results()).extracting(UpdateFeaturesResponseData.UpdatableFeatureResult::errorCode).containsExactly((short) 0);
        }
    }

    private void alterPartitionReassignments(RawKafkaConnection connection, short version) {
        AlterPartitionReassignmentsResponseData response = connection.call(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, version,
                new AlterPartitionReassignmentsRequestData().setTimeoutMs(5_000).setTopics(List.of(
                        new AlterPartitionReassignmentsRequestData.ReassignableTopic().setName(topic).setPartitions(List.of(
                                new AlterPartitionReassignmentsRequestData.ReassignablePartition().setPartitionIndex(0).setReplicas(List.of(1)))))));
        assertThat(response.errorCode()).isZero();
        assertThat(response.responses().get(0).partitions().get(0).errorCode()).isZero();
    }

    private static void createTopic(RawKafkaConnection connection, String name) {
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(5_000);
        request.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(1).setReplicationFactor((short) 1));
        CreateTopicsResponseData created = connection.call(ApiKeys.CREATE_TOPICS, (short) 7, request);
        assertThat(created.topics().find(name).errorCode()).isZero();
    }
}
