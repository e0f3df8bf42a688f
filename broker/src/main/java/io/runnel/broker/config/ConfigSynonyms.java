package io.runnel.broker.config;

import java.util.List;
import java.util.Map;

/**
 * Which broker configs give a topic config its default, in Kafka's order of precedence
 * ({@code retention.ms} from {@code log.retention.ms}, else {@code log.retention.minutes}, else
 * {@code log.retention.hours}). DescribeConfigs lists them as a topic config's synonyms. Stateless.
 */
public final class ConfigSynonyms {

    private static final Map<String, List<String>> BROKER_SYNONYMS = Map.ofEntries(
            Map.entry("segment.bytes", List.of("log.segment.bytes")),
            Map.entry("segment.ms", List.of("log.roll.ms", "log.roll.hours")),
            Map.entry("segment.jitter.ms", List.of("log.roll.jitter.ms", "log.roll.jitter.hours")),
            Map.entry("segment.index.bytes", List.of("log.index.size.max.bytes")),
            Map.entry("flush.messages", List.of("log.flush.interval.messages")),
            Map.entry("flush.ms", List.of("log.flush.interval.ms", "log.flush.scheduler.interval.ms")),
            Map.entry("retention.bytes", List.of("log.retention.bytes")),
            Map.entry("retention.ms", List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours")),
            Map.entry("max.message.bytes", List.of("message.max.bytes")),
            Map.entry("index.interval.bytes", List.of("log.index.interval.bytes")),
            Map.entry("delete.retention.ms", List.of("log.cleaner.delete.retention.ms")),
            Map.entry("min.compaction.lag.ms", List.of("log.cleaner.min.compaction.lag.ms")),
            Map.entry("max.compaction.lag.ms", List.of("log.cleaner.max.compaction.lag.ms")),
            Map.entry("file.delete.delay.ms", List.of("log.segment.delete.delay.ms")),
            Map.entry("min.cleanable.dirty.ratio", List.of("log.cleaner.min.cleanable.ratio")),
            Map.entry("cleanup.policy", List.of("log.cleanup.policy")),
            Map.entry("unclean.leader.election.enable", List.of("unclean.leader.election.enable")),
            Map.entry("min.insync.replicas", List.of("min.insync.replicas")),
            Map.entry("compression.type", List.of("compression.type")),
            Map.entry("compression.gzip.level", List.of("compression.gzip.level")),
            Map.entry("compression.lz4.level", List.of("compression.lz4.level")),
            Map.entry("compression.zstd.level", List.of("compression.zstd.level")),
            Map.entry("preallocate", List.of("log.preallocate")),
            Map.entry("message.timestamp.type", List.of("log.message.timestamp.type")),
            Map.entry("message.timestamp.before.max.ms", List.of("log.message.timestamp.before.max.ms")),
            Map.entry("message.timestamp.after.max.ms", List.of("log.message.timestamp.after.max.ms")),
            Map.entry("local.retention.ms", List.of("log.local.retention.ms")),
            Map.entry("local.retention.bytes", List.of("log.local.retention.bytes")));

    private ConfigSynonyms() {
    }

    /** The broker configs behind a topic config, highest precedence first; empty if none. */
    public static List<String> brokerSynonyms(String topicConfig) {
        return BROKER_SYNONYMS.getOrDefault(topicConfig, List.of());
    }
}
