package io.runnel.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.storage.log.LogManager;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted broker and the image it replayed before it stopped (found by {@link ReplicationSimulationTest},
 * seeds 154 and 172 of 100-399: a leader killed and restarted at once led on at its old epoch with the ISR
 * of its stale image, smaller than the controller's, and acknowledged writes a member of the controller's
 * ISR did not have; that member was then elected).
 */
class PartitionRegistryStartupTest {

    private static final Uuid TOPIC_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");
    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;
    private LogManager logs;
    private RecordingReplicationContext context;
    private PartitionRegistry registry;

    @BeforeEach
    void setUp() throws Exception {
        logs = LogManager.open(List.of(dir.resolve("logs")), Clock.systemUTC());
        context = new RecordingReplicationContext(30_000);
        BrokerConfig config = BrokerConfig.parse(Map.of("log.dirs", dir.resolve("logs").toString()));
        registry = new PartitionRegistry(1, logs, new TopicConfigs(config), context, context);
    }

    @AfterEach
    void tearDown() {
        logs.close();
    }

    @Test
    void shouldNeitherLeadNorFollowFromTheImageItStartsWithUntilItsOwnRegistrationIsReplayed() {
        MetadataImage stale = MetadataImage.EMPTY.apply(List.of(registered(1, 1), registered(2, 2), new MetadataRecord.TopicRecord("t", TOPIC_ID),
                new MetadataRecord.PartitionRecord(TOPIC_ID, 0, new PartitionRegistration(List.of(1, 2), List.of(1, 2), List.of(), 1, 0, 0))), 10);

        registry.load(stale);

        assertThat(registry.replica(TP)).isPresent();
        assertThat(registry.partition(TP)).isEmpty();
        assertThat(context.following()).isEmpty();

        MetadataImage later = stale.apply(List.of(new MetadataRecord.PartitionChangeRecord(TOPIC_ID, 0, 2, List.of(2), null, null)), 11);
        registry.onImage(stale, later);

        assertThat(registry.partition(TP)).isEmpty();
        assertThat(context.following()).isEmpty();

        MetadataImage registeredAgain = later.apply(List.of(registered(1, 3)), 12);
        registry.onImage(later, registeredAgain);

        assertThat(registry.partition(TP)).isEmpty();
        assertThat(context.following()).containsEntry(TP, 2);
    }

    @Test
    void shouldLeadOnceItsRegistrationIsReplayedIfTheControllerMadeItLeader() {
        MetadataImage first = MetadataImage.EMPTY.apply(List.of(registered(2, 1), new MetadataRecord.TopicRecord("t", TOPIC_ID),
                new MetadataRecord.PartitionRecord(TOPIC_ID, 0, new PartitionRegistration(List.of(1, 2), List.of(1), List.of(), 1, 0, 0))), 5);
        registry.load(first);
        assertThat(registry.partition(TP)).isEmpty();

        MetadataImage registered = first.apply(List.of(registered(1, 2),
                new MetadataRecord.PartitionChangeRecord(TOPIC_ID, 0, 1, null, null, null)), 6);
        registry.onImage(first, registered);

        assertThat(registry.partition(TP)).isPresent();
        assertThat(registry.partition(TP).orElseThrow().leaderEpoch()).isEqualTo(1);
    }

    @Test
    void shouldTakeImagesAsTheyComeWhenNotStartedWithLoad() {
        MetadataImage image = MetadataImage.EMPTY.apply(List.of(registered(1, 1), new MetadataRecord.TopicRecord("t", TOPIC_ID),
                new MetadataRecord.PartitionRecord(TOPIC_ID, 0, new PartitionRegistration(List.of(1), List.of(1), List.of(), 1, 0, 0))), 3);

        registry.onImage(MetadataImage.EMPTY, image);

        assertThat(registry.partition(TP)).isPresent();
    }

    private static MetadataRecord registered(int id, long epoch) {
        return new MetadataRecord.RegisterBrokerRecord(new BrokerRegistration(id, epoch, Uuid.randomUuid(), Uuid.randomUuid(),
                List.of(new BrokerEndpoint("PLAINTEXT", "broker" + id, 9092)), null, false, false));
    }
}
