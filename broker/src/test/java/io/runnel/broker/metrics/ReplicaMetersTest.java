package io.runnel.broker.metrics;

import static io.runnel.broker.ImageFixture.partition;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runnel.broker.ImageFixture;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord.PartitionChangeRecord;
import io.runnel.metadata.PartitionRegistration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicaMetersTest {

    private static final int NODE = 1;
    private static final int UNCHANGED = PartitionChangeRecord.NO_LEADER_CHANGE;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ImageFixture fixture = new ImageFixture().brokers(1, 2, 3);
    /** min.insync.replicas by topic, for the partitions "open here". */
    private Map<String, Integer> minIsr = Map.of();
    private final ReplicaMeters meters = new ReplicaMeters(registry, NODE, fixture::image,
            partition -> Optional.ofNullable(minIsr.get(partition.topic())));

    @Test
    void shouldCountHostedAndLedPartitionsAndTheUnderReplicatedOnesLedHere() {
        fixture.topic("t", partition(0, 1, 2, 3), partition(0, 2, 1, 3), partition(0, 3, 2))
                .change("t", 0, UNCHANGED, List.of(1, 2))
                .change("t", 1, UNCHANGED, List.of(2));

        assertThat(gauge(ReplicaMeters.PARTITIONS)).isEqualTo(2);
        assertThat(gauge(ReplicaMeters.LED)).isEqualTo(1);
        assertThat(gauge(ReplicaMeters.UNDER_REPLICATED)).as("partition 1 is under-replicated but led elsewhere").isEqualTo(1);
    }

    @Test
    void shouldCompareTheIsrOfPartitionsLedHereWithMinInsyncReplicasCappedAtTheReplicaCount() {
        minIsr = Map.of("two", 2, "three", 3, "capped", 5, "elsewhere", 3);
        fixture.topic("two", partition(0, 1, 2, 3)).change("two", 0, UNCHANGED, List.of(1, 2))
                .topic("three", partition(0, 1, 2, 3)).change("three", 0, UNCHANGED, List.of(1, 2))
                .topic("capped", partition(0, 1, 2)).topic("elsewhere", partition(0, 2, 1, 3)).change("elsewhere", 0, UNCHANGED, List.of(2));

        assertThat(gauge(ReplicaMeters.AT_MIN_ISR)).as("two (ISR 2 of min 2), capped (ISR 2 of min min(5, 2))").isEqualTo(2);
        assertThat(gauge(ReplicaMeters.UNDER_MIN_ISR)).as("three (ISR 2 of min 3)").isEqualTo(1);
    }

    @Test
    void shouldCountTheClustersPartitionsWithoutALeader() {
        fixture.topic("t", partition(0, 2), new PartitionRegistration(List.of(3), List.of(3), List.of(), -1, 1, 1));

        assertThat(gauge(ReplicaMeters.OFFLINE)).isEqualTo(1);
        assertThat(gauge(ReplicaMeters.PARTITIONS)).isZero();
    }

    @Test
    void shouldCountIsrShrinksAndExpansionsOfPartitionsLedHereBetweenImages() {
        fixture.topic("t", partition(0, 1, 2, 3), partition(0, 2, 1, 3));
        MetadataImage start = fixture.image();

        MetadataImage shrunk = follow(start, fixture.change("t", 0, UNCHANGED, List.of(1, 3)).image());
        MetadataImage elsewhere = follow(shrunk, fixture.change("t", 1, UNCHANGED, List.of(2)).image());
        follow(elsewhere, fixture.change("t", 0, UNCHANGED, List.of(1, 3, 2)).image());

        assertThat(counter(ReplicaMeters.ISR_SHRINKS)).isEqualTo(1);
        assertThat(counter(ReplicaMeters.ISR_EXPANDS)).isEqualTo(1);
    }

    @Test
    void shouldCountAShrinkThatMadeThisBrokerTheLeaderAndNoneForNewPartitions() {
        fixture.topic("t", partition(0, 2, 1, 3));
        MetadataImage start = fixture.image();

        MetadataImage failedOver = follow(start, fixture.change("t", 0, NODE, List.of(1, 3)).image());
        follow(failedOver, fixture.topic("new", partition(0, 1)).image());
        follow(MetadataImage.EMPTY, failedOver);

        assertThat(counter(ReplicaMeters.ISR_SHRINKS)).isEqualTo(1);
        assertThat(counter(ReplicaMeters.ISR_EXPANDS)).isZero();
    }

    private MetadataImage follow(MetadataImage previous, MetadataImage current) {
        meters.onImage(previous, current);
        return current;
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }
}
