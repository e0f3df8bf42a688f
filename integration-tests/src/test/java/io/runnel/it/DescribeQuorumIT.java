package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DescribeQuorum on a node alone, answered as Kafka's single-node KRaft answers it. */
class DescribeQuorumIT {

    @TempDir
    Path tempDir;

    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(tempDir.resolve("data"));
        admin = KafkaClients.admin(broker.bootstrapServers());
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldDescribeANodeAloneAsTheOnlyVoterAndLeader() throws Exception {
        long before = System.currentTimeMillis();

        QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get();

        assertThat(quorum.leaderId()).isEqualTo(1);
        assertThat(quorum.leaderEpoch()).isEqualTo(1);
        assertThat(quorum.highWatermark()).isPositive();
        assertThat(quorum.voters()).singleElement().satisfies(voter -> {
            assertThat(voter.replicaId()).isEqualTo(1);
            assertThat(voter.logEndOffset()).isEqualTo(quorum.highWatermark());
            assertThat(voter.lastFetchTimestamp().orElseThrow()).isGreaterThanOrEqualTo(before);
            assertThat(voter.lastCaughtUpTimestamp().orElseThrow()).isGreaterThanOrEqualTo(before);
        });
        assertThat(quorum.observers()).isEmpty();
        assertThat(quorum.nodes()).isEmpty();
    }

    @Test
    void shouldRaiseTheHighWatermarkWithEachMetadataChange() throws Exception {
        long before = admin.describeMetadataQuorum().quorumInfo().get().highWatermark();

        admin.createTopics(List.of(new NewTopic("raises-the-watermark", 1, (short) 1))).all().get();

        assertThat(admin.describeMetadataQuorum().quorumInfo().get().highWatermark()).isGreaterThan(before);
    }

    @Test
    void shouldAnswerUnknownTopicOrPartitionForAnyPartitionButTheMetadataLogs() {
        DescribeQuorumRequestData request = new DescribeQuorumRequestData().setTopics(List.of(new DescribeQuorumRequestData.TopicData()
                .setTopicName("__cluster_metadata").setPartitions(List.of(new DescribeQuorumRequestData.PartitionData().setPartitionIndex(1)))));
        try (RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            DescribeQuorumResponseData response = connection.call(ApiKeys.DESCRIBE_QUORUM, (short) 2, request);

            assertThat(response.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }
}
