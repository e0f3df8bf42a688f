package io.runnel.broker.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LIST;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.record.TimestampType;
import io.runnel.storage.log.CompactionConfig;
import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.TimestampPolicy;

/**
 * Topic-level configs (Kafka's names: {@code retention.ms}, {@code segment.bytes}, ...): validation of
 * the overrides a client sends, and the effective values of a topic (its overrides over the broker's
 * defaults). Thread-safe: the broker defaults are replaced as a whole when dynamic broker configs
 * change ({@link #reconfigure}), and every call reads one consistent set of them.
 */
public final class TopicConfigs {

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define("cleanup.policy", LIST, "delete", ConfigDef.ValidList.in("delete", "compact"), MEDIUM, "")
            .define("compression.type", STRING, "producer",
                    ConfigDef.ValidString.in("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"), MEDIUM, "")
            .define("delete.retention.ms", LONG, 86400000L, ConfigDef.Range.atLeast(0), MEDIUM, "")
            .define("file.delete.delay.ms", LONG, 60000L, ConfigDef.Range.atLeast(0), MEDIUM, "")
            .define("flush.messages", LONG, Long.MAX_VALUE, ConfigDef.Range.atLeast(1), MEDIUM, "")
            .define("flush.ms", LONG, Long.MAX_VALUE, ConfigDef.Range.atLeast(0), MEDIUM, "")
            .define("index.interval.bytes", INT, 4096, ConfigDef.Range.atLeast(0), MEDIUM, "")
            .define("max.compaction.lag.ms", LONG, Long.MAX_VALUE, ConfigDef.Range.atLeast(1), MEDIUM, "")
            .define("max.message.bytes", INT, 1048588, ConfigDef.Range.atLeast(0), MEDIUM, "")
            .define("message.timestamp.type", STRING, "CreateTime", ConfigDef.ValidString.in("CreateTime", "LogAppendTime"), MEDIUM, "")
            .define("message.timestamp.before.max.ms", LONG, Long.MAX_VALUE, ConfigDef.Range.atLeast(0), MEDIUM, "")
            .define("message.timestamp.after.max.ms", LONG, 3600000L, ConfigDef.Range.atLeast(0), MEDIUM, "")
            .define("min.cleanable.dirty.ratio", DOUBLE, 0.5, ConfigDef.Range.between(0, 1), MEDIUM, "")
            .define("min.compaction.lag.ms", LONG, 0L, ConfigDef.Range.atLeast(0), MEDIUM, "")
            .define("min.insync.replicas", INT, 1, ConfigDef.Range.atLeast(1), MEDIUM, "")
            .define("preallocate", BOOLEAN, false, MEDIUM, "")
            .define("retention.bytes", LONG, -1L, MEDIUM, "")
            .define("retention.ms", LONG, 604800000L, ConfigDef.Range.atLeast(-1), MEDIUM, "")
            .define("segment.bytes", INT, 1073741824, ConfigDef.Range.atLeast(1048576), MEDIUM, "")
            .define("segment.index.bytes", INT, 10485760, ConfigDef.Range.atLeast(4), MEDIUM, "")
            .define("segment.jitter.ms", LONG, 0L, ConfigDef.Range.atLeast(0), MEDIUM, "")
            .define("segment.ms", LONG, 604800000L, ConfigDef.Range.atLeast(1), MEDIUM, "")
            .define("unclean.leader.election.enable", BOOLEAN, false, MEDIUM, "")
            .define("local.retention.ms", LONG, -2L, MEDIUM, "")
            .define("local.retention.bytes", LONG, -2L, MEDIUM, "")
            .define("remote.storage.enable", BOOLEAN, false, MEDIUM, "")
            .define("remote.log.copy.disable", BOOLEAN, false, MEDIUM, "")
            .define("remote.log.delete.on.disable", BOOLEAN, false, MEDIUM, "")
            .define("compression.gzip.level", INT, -1, ConfigDef.Range.between(-1, 9), MEDIUM, "")
            .define("compression.lz4.level", INT, 9, ConfigDef.Range.between(1, 17), MEDIUM, "")
            .define("compression.zstd.level", INT, 3, ConfigDef.Range.between(-131072, 22), MEDIUM, "")
            .define("leader.replication.throttled.replicas", LIST, "", MEDIUM, "")
            .define("follower.replication.throttled.replicas", LIST, "", MEDIUM, "");

    private volatile Map<String, Object> brokerDefaults;
    private final long producerIdExpirationMs;

    /**
     * Topic configs whose defaults come from the broker's {@code log.*} settings.
     *
     * @throws InvalidConfigException if those settings are not valid topic configs, so a broker never
     *     starts with defaults that would make every topic creation fail
     */
    public TopicConfigs(BrokerConfig brokerConfig) {
        this.brokerDefaults = brokerConfig.logDefaults();
        this.producerIdExpirationMs = brokerConfig.producerIdExpirationMs();
        try {
            parse(Map.of());
        } catch (InvalidConfigurationException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    /**
     * Takes the topic defaults of {@code effective}, a broker config with its dynamic configs applied,
     * from now on. The caller checked them with {@link #TopicConfigs(BrokerConfig)} first.
     */
    public void reconfigure(BrokerConfig effective) {
        this.brokerDefaults = effective.logDefaults();
    }

    /** Every topic config, with its type, default and documentation. */
    public static Map<String, ConfigDef.ConfigKey> keys() {
        return DEFINITION.configKeys();
    }

    /**
     * Checks a topic's overrides.
     *
     * @throws InvalidConfigurationException (INVALID_CONFIG on the wire) naming the first bad key
     */
    public void validate(Map<String, String> overrides) {
        ConfigLimits.check(overrides);
        for (String key : overrides.keySet()) {
            if (!DEFINITION.names().contains(key)) {
                throw new InvalidConfigurationException("Unknown topic config name: " + key);
            }
        }
        parse(overrides);
    }

    /** The effective value of every topic config for a topic with these overrides. */
    public Map<String, Object> effective(Map<String, String> overrides) {
        return parse(overrides);
    }

    /** The {@code min.insync.replicas} of a topic with these overrides. */
    public int minInsyncReplicas(Map<String, String> overrides) {
        return (Integer) parse(overrides).get("min.insync.replicas");
    }

    /** The storage configuration of a topic with these overrides. */
    public LogConfig logConfig(Map<String, String> overrides) {
        Map<String, Object> v = parse(overrides);
        TimestampPolicy timestamps = new TimestampPolicy(
                "LogAppendTime".equals(v.get("message.timestamp.type")) ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
                (Long) v.get("message.timestamp.before.max.ms"), (Long) v.get("message.timestamp.after.max.ms"));
        // Without "delete" in cleanup.policy Kafka never removes segments by age or size: only
        // compaction may remove records, so a compacted topic keeps everything until the cleaner runs.
        List<?> policy = (List<?>) v.get("cleanup.policy");
        boolean deletes = policy.contains("delete");
        CompactionConfig compaction = new CompactionConfig(policy.contains("compact"), (Double) v.get("min.cleanable.dirty.ratio"),
                (Long) v.get("delete.retention.ms"), (Long) v.get("min.compaction.lag.ms"), (Long) v.get("max.compaction.lag.ms"));
        return new LogConfig(
                (Integer) v.get("segment.bytes"), (Long) v.get("segment.ms"),
                deletes ? (Long) v.get("retention.ms") : -1L, deletes ? (Long) v.get("retention.bytes") : -1L,
                (Integer) v.get("index.interval.bytes"), (Integer) v.get("segment.index.bytes"),
                (Integer) v.get("max.message.bytes"), timestamps,
                (Long) v.get("flush.messages"), (Long) v.get("flush.ms"), (Long) v.get("file.delete.delay.ms"),
                producerIdExpirationMs, compaction);
    }

    private Map<String, Object> parse(Map<String, String> overrides) {
        Map<String, Object> merged = new HashMap<>();
        brokerDefaults.forEach((key, value) -> merged.put(key, String.valueOf(value)));
        merged.putAll(overrides);
        Map<String, Object> parsed;
        try {
            parsed = new TreeMap<>(DEFINITION.parse(merged));
        } catch (ConfigException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
        if ((Long) parsed.get("max.compaction.lag.ms") < (Long) parsed.get("min.compaction.lag.ms")) {
            // Kafka's check and message
            throw new InvalidConfigurationException("conflict topic config setting max.compaction.lag.ms ("
                    + parsed.get("max.compaction.lag.ms") + ") < min.compaction.lag.ms (" + parsed.get("min.compaction.lag.ms") + ")");
        }
        return parsed;
    }
}
