package io.runnel.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import io.runnel.metadata.TopicMetadata;
import io.runnel.storage.log.PartitionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * The meters of each topic: its traffic counters (bytes and records in, bytes out) and the gauges of
 * its partitions (log size, log start and end offsets, high watermark), which read the live log at
 * each scrape. Meters appear when a topic (or a partition) appears in the metadata image and are
 * removed when it is deleted, so a deleted topic leaves no stale series. Counting is a lock-free map
 * read by topic name and an atomic add: no allocation. Thread-safe; image changes arrive one at a
 * time on the metadata thread.
 */
final class TopicMeters implements TopicTraffic, MetadataListener {

    static final String BYTES_IN = "runnel.topic.bytes.in";
    static final String RECORDS_IN = "runnel.topic.records.in";
    static final String BYTES_OUT = "runnel.topic.bytes.out";
    static final String LOG_SIZE = "runnel.partition.log.size";
    static final String LOG_START_OFFSET = "runnel.partition.log.start.offset";
    static final String LOG_END_OFFSET = "runnel.partition.log.end.offset";
    static final String HIGH_WATERMARK = "runnel.partition.high.watermark";

    private final MeterRegistry registry;
    private final PartitionRegistry partitions;
    private final Map<String, TopicEntry> topics = new ConcurrentHashMap<>();

    /** One topic's meters; {@code meters} holds all of them, for removal. */
    private static final class TopicEntry {
        final Uuid id;
        final Counter bytesIn;
        final Counter recordsIn;
        final Counter bytesOut;
        final List<Meter> meters = new ArrayList<>();
        int partitionsWithGauges;

        TopicEntry(Uuid id, Counter bytesIn, Counter recordsIn, Counter bytesOut) {
            this.id = id;
            this.bytesIn = bytesIn;
            this.recordsIn = recordsIn;
            this.bytesOut = bytesOut;
            meters.addAll(List.of(bytesIn, recordsIn, bytesOut));
        }
    }

    TopicMeters(MeterRegistry registry, PartitionRegistry partitions) {
        this.registry = registry;
        this.partitions = partitions;
    }

    @Override
    public void appended(String topic, int bytes, long records) {
        TopicEntry entry = topics.get(topic);
        if (entry != null) {
            entry.bytesIn.increment(bytes);
            entry.recordsIn.increment(records);
        }
    }

    @Override
    public void fetched(String topic, int bytes) {
        TopicEntry entry = topics.get(topic);
        if (entry != null && bytes > 0) {
            entry.bytesOut.increment(bytes);
        }
    }

    /**
     * Registers the meters of every topic in the current image: the start-up path. The image is read
     * under the lock, so a deletion applied meanwhile cannot be undone by an older image.
     */
    synchronized void load(Supplier<MetadataImage> currentImage) {
        onImage(MetadataImage.EMPTY, currentImage.get());
    }

    @Override
    public synchronized void onImage(MetadataImage previous, MetadataImage current) {
        // Removals first: a topic deleted and created again under the same name gets fresh meters.
        for (TopicMetadata topic : previous.topics()) {
            if (current.topic(topic.id()).isEmpty()) {
                remove(topic);
            }
        }
        for (TopicMetadata topic : current.topics()) {
            TopicEntry entry = topics.computeIfAbsent(topic.name(), name -> newEntry(topic));
            while (entry.partitionsWithGauges < topic.partitionCount()) {
                addPartitionGauges(entry, new TopicPartition(topic.name(), entry.partitionsWithGauges++));
            }
        }
    }

    private void remove(TopicMetadata topic) {
        TopicEntry entry = topics.get(topic.name());
        if (entry != null && entry.id.equals(topic.id())) {
            topics.remove(topic.name());
            entry.meters.forEach(registry::remove);
        }
    }

    private TopicEntry newEntry(TopicMetadata topic) {
        Tags tags = Tags.of("topic", topic.name());
        return new TopicEntry(topic.id(),
                Counter.builder(BYTES_IN).description("Record batch bytes appended by producers").tags(tags).register(registry),
                Counter.builder(RECORDS_IN).description("Records appended by producers (from batch headers)").tags(tags).register(registry),
                Counter.builder(BYTES_OUT).description("Record batch bytes sent to fetchers").tags(tags).register(registry));
    }

    private void addPartitionGauges(TopicEntry entry, TopicPartition partition) {
        Tags tags = Tags.of("topic", partition.topic(), "partition", Integer.toString(partition.partition()));
        entry.meters.add(gauge(LOG_SIZE, "Bytes in the partition's segments", "bytes", tags, partition, PartitionLog::sizeInBytes));
        entry.meters.add(gauge(LOG_START_OFFSET, "The partition's first offset", null, tags, partition, PartitionLog::logStartOffset));
        entry.meters.add(gauge(LOG_END_OFFSET, "The offset the next record will get", null, tags, partition, PartitionLog::logEndOffset));
        entry.meters.add(gauge(HIGH_WATERMARK, "Offsets below it are visible to consumers", null, tags, partition, PartitionLog::highWatermark));
    }

    private Gauge gauge(String name, String description, String unit, Tags tags, TopicPartition partition, ToLongFunction<PartitionLog> value) {
        return Gauge.builder(name, () -> read(partition, value)).description(description).baseUnit(unit).tags(tags).register(registry);
    }

    /** The live value, or NaN while the partition's log is not open (being created or deleted). */
    private double read(TopicPartition partition, ToLongFunction<PartitionLog> value) {
        return partitions.partition(partition).map(p -> (double) value.applyAsLong(p.log())).orElse(Double.NaN);
    }
}
