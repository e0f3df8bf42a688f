package io.runnel.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's ReplicaManager meters of one broker, read from the metadata image: the partitions it holds a
 * replica of and leads, and of those it leads the under-replicated ones (fewer in-sync replicas than
 * replicas), the under-min-ISR and at-min-ISR ones (against {@code min.insync.replicas}, capped at the
 * replica count as Kafka does), and the cluster's offline partitions (no leader; the controller's
 * count, which every node can give from its image). The ISR shrink and expand counters compare
 * consecutive images: a partition this broker leads in the newer image whose ISR lost (shrink) or
 * gained (expand) a member. Gauges are computed at each read; images arrive one at a time on the
 * metadata thread. Thread-safe.
 */
final class ReplicaMeters implements MetadataListener {

    static final String PARTITIONS = "runnel.partitions";
    static final String LED = "runnel.partitions.led";
    static final String UNDER_REPLICATED = "runnel.partitions.under.replicated";
    static final String UNDER_MIN_ISR = "runnel.partitions.under.min.isr";
    static final String AT_MIN_ISR = "runnel.partitions.at.min.isr";
    static final String OFFLINE = "runnel.partitions.offline";
    static final String ISR_SHRINKS = "runnel.isr.shrinks";
    static final String ISR_EXPANDS = "runnel.isr.expands";

    private final int nodeId;
    private final Supplier<MetadataImage> images;
    private final Function<TopicPartition, Optional<Integer>> minInsyncReplicas;
    private final Counter shrinks;
    private final Counter expands;

    /**
     * Registers the meters of broker {@code nodeId}.
     *
     * @param images            the current image, read at each gauge read
     * @param minInsyncReplicas a partition's {@code min.insync.replicas}, if its log is open here
     */
    ReplicaMeters(MeterRegistry registry, int nodeId, Supplier<MetadataImage> images, Function<TopicPartition, Optional<Integer>> minInsyncReplicas) {
        this.nodeId = nodeId;
        this.images = images;
        this.minInsyncReplicas = minInsyncReplicas;
        gauge(registry, PARTITIONS, "Partitions with a replica on this broker (Kafka's PartitionCount)", this::countHosted);
        gauge(registry, LED, "Partitions this broker leads (Kafka's LeaderCount)", this::countLed);
        gauge(registry, UNDER_REPLICATED, "Partitions this broker leads with fewer in-sync replicas than replicas", this::countUnderReplicated);
        gauge(registry, UNDER_MIN_ISR, "Partitions this broker leads with fewer in-sync replicas than min.insync.replicas", this::countUnderMinIsr);
        gauge(registry, AT_MIN_ISR, "Partitions this broker leads with exactly min.insync.replicas in-sync replicas", this::countAtMinIsr);
        gauge(registry, OFFLINE, "Partitions of the cluster without a leader (Kafka's OfflinePartitionsCount)", this::countOffline);
        shrinks = Counter.builder(ISR_SHRINKS).description("ISR shrinks of partitions this broker leads").register(registry);
        expands = Counter.builder(ISR_EXPANDS).description("ISR expansions of partitions this broker leads").register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToIntFunction<MetadataImage> count) {
        Gauge.builder(name, () -> count.applyAsInt(images.get())).description(description).register(registry);
    }

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
        for (TopicMetadata topic : current.topics()) {
            TopicMetadata before = previous.topic(topic.id()).orElse(null);
            // Unchanged topics are the very same object in both images.
            if (before == null || before == topic) {
                continue;
            }
            int common = Math.min(before.partitionCount(), topic.partitionCount());
            for (int i = 0; i < common; i++) {
                PartitionRegistration now = topic.partition(i);
                if (now.leader() == nodeId) {
                    countIsrChange(before.partition(i).isr(), now.isr());
                }
            }
        }
    }

    private void countIsrChange(List<Integer> before, List<Integer> now) {
        if (!now.containsAll(before)) {
            shrinks.increment();
        }
        if (!before.containsAll(now)) {
            expands.increment();
        }
    }

    int countHosted(MetadataImage image) {
        return count(image, partition -> partition.hasReplica(nodeId));
    }

    int countLed(MetadataImage image) {
        return count(image, partition -> partition.leader() == nodeId);
    }

    int countUnderReplicated(MetadataImage image) {
        return count(image, partition -> partition.leader() == nodeId && partition.isr().size() < partition.replicas().size());
    }

    int countUnderMinIsr(MetadataImage image) {
        return countLedAgainstMinIsr(image, (isr, minIsr) -> isr < minIsr);
    }

    int countAtMinIsr(MetadataImage image) {
        return countLedAgainstMinIsr(image, (isr, minIsr) -> isr == minIsr);
    }

    int countOffline(MetadataImage image) {
        return count(image, partition -> !partition.hasLeader());
    }

    private static int count(MetadataImage image, Predicate<PartitionRegistration> test) {
        int count = 0;
        for (TopicMetadata topic : image.topics()) {
            for (PartitionRegistration partition : topic.partitions()) {
                count += test.test(partition) ? 1 : 0;
            }
        }
        return count;
    }

    /** Partitions led here whose ISR size and effective min ISR (min.insync.replicas, at most the replica count) match {@code test}. */
    private int countLedAgainstMinIsr(MetadataImage image, IsrTest test) {
        int count = 0;
        for (TopicMetadata topic : image.topics()) {
            for (int i = 0; i < topic.partitionCount(); i++) {
                PartitionRegistration partition = topic.partition(i);
                if (partition.leader() != nodeId) {
                    continue;
                }
                Optional<Integer> minIsr = minInsyncReplicas.apply(new TopicPartition(topic.name(), i));
                if (minIsr.isPresent() && test.matches(partition.isr().size(), Math.min(minIsr.get(), partition.replicas().size()))) {
                    count++;
                }
            }
        }
        return count;
    }

    @FunctionalInterface
    private interface IsrTest {
        boolean matches(int isrSize, int effectiveMinIsr);
    }
}
