package io.runnel.broker.config;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataListener;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's configuration in layers, as Kafka keeps it: the static one (server.properties and
 * overrides), under the cluster-wide dynamic defaults, under this node's dynamic configs, the last
 * two held in the metadata image and changed by AlterConfigs. When they change, the topic defaults
 * that follow from them ({@code log.retention.ms} for {@code retention.ms}, ...) are handed to
 * {@link TopicConfigs}, so topics without overrides pick them up without a restart.
 *
 * <p>Thread-safe: image changes arrive on the metadata controller's thread; readers on any thread see
 * the latest complete layering.
 */
public final class DynamicBrokerConfig implements MetadataListener {

    private static final Logger log = LoggerFactory.getLogger(DynamicBrokerConfig.class);

    /**
     * The configs this broker applies without a restart: those Kafka changes dynamically cluster-wide
     * that are topic defaults here; with the connection limits ({@link ConnectionLimits#isDynamic}) and the
     * listeners' ssl.* keys. Every other known key is read-only.
     */
    private static final Set<String> DYNAMIC = Set.of(
            "log.segment.bytes", "log.roll.ms", "log.retention.ms", "log.retention.bytes", "log.index.interval.bytes",
            "log.index.size.max.bytes", "log.message.timestamp.type", "log.message.timestamp.before.max.ms",
            "log.message.timestamp.after.max.ms", "log.flush.interval.messages", "log.flush.interval.ms",
            "log.segment.delete.delay.ms", "message.max.bytes", "min.insync.replicas", "unclean.leader.election.enable", "log.cleanup.policy",
            "log.cleaner.delete.retention.ms", "log.cleaner.min.compaction.lag.ms", "log.cleaner.max.compaction.lag.ms",
            "log.cleaner.min.cleanable.ratio");

    /** Kafka's ClusterLevelListenerConfigs: listener-prefixed keys that may be set for the whole cluster. */
    private static final Set<String> CLUSTER_LEVEL_LISTENER_CONFIGS = Set.of(ConnectionLimits.MAX_CONNECTIONS, ConnectionLimits.MAX_CONNECTION_CREATION_RATE,
            "num.network.threads");
    private static final Pattern LISTENER_KEY = Pattern.compile("listener\\.name\\.[^.]*\\.(.*)");

    private final BrokerConfig staticConfig;
    private final TopicConfigs topicConfigs;
    private final String nodeId;
    private volatile Layers layers;
    /** Checks of this node's configuration before a change is accepted. */
    private final List<Consumer<BrokerConfig>> checks = new CopyOnWriteArrayList<>();
    /** Parts of the broker that follow the effective configuration (connection limits, ...), told after each change. */
    private final List<Consumer<BrokerConfig>> followers = new CopyOnWriteArrayList<>();

    /** The layers of a broker without dynamic configs yet; {@link #load} reads them from the image. */
    public DynamicBrokerConfig(BrokerConfig staticConfig, TopicConfigs topicConfigs) {
        this.staticConfig = staticConfig;
        this.topicConfigs = topicConfigs;
        this.nodeId = String.valueOf(staticConfig.nodeId());
        this.layers = new Layers(Map.of(), Map.of(), staticConfig);
    }

    /** The dynamic configs of one broker entity and of the cluster default, and the config they make. */
    public record Layers(Map<String, String> nodeConfigs, Map<String, String> defaultConfigs, BrokerConfig effective) { }

    /** Takes the dynamic configs of {@code image}: the start-up path, before any topic is opened. */
    public void load(MetadataImage image) {
        apply(image);
    }

    @Override
    public void onImage(MetadataImage previous, MetadataImage current) {
        if (!previous.brokerConfigs(nodeId).equals(current.brokerConfigs(nodeId))
                || !previous.brokerConfigs(MetadataImage.DEFAULT_BROKER).equals(current.brokerConfigs(MetadataImage.DEFAULT_BROKER))) {
            apply(current);
        }
    }

    private void apply(MetadataImage image) {
        Map<String, String> node = image.brokerConfigs(nodeId);
        Map<String, String> defaults = image.brokerConfigs(MetadataImage.DEFAULT_BROKER);
        BrokerConfig effective;
        try {
            effective = merge(node, defaults);
            new TopicConfigs(effective);
        } catch (InvalidConfigException e) {
            // Checked when set, so only a server.properties changed since can make them clash: as Kafka,
            // start anyway on the static configuration rather than refuse to start over a dynamic one.
            log.warn("Ignoring the dynamic broker configs {} and {}: {}", node, defaults, e.getMessage());
            effective = staticConfig;
        }
        topicConfigs.reconfigure(effective);
        layers = new Layers(node, defaults, effective);
        for (Consumer<BrokerConfig> follower : followers) {
            follower.accept(effective);
        }
    }

    /**
     * Tells {@code follower} the effective configuration after every change of the dynamic configs, on the
     * metadata thread (so it must be quick); the caller reads the current one from {@link #layers()} first.
     */
    public void follow(Consumer<BrokerConfig> follower) {
        followers.add(follower);
    }

    /** The current layers. */
    public Layers layers() {
        return layers;
    }

    /** This node's id as a broker config entity name. */
    public String nodeId() {
        return nodeId;
    }

    /** The static configuration (server.properties and overrides). */
    public BrokerConfig staticConfig() {
        return staticConfig;
    }

    /** Whether a known broker key can be changed without a restart. */
    public static boolean isDynamic(String name) {
        return DYNAMIC.contains(name) || ConnectionLimits.isDynamic(name) || ListenerSslConfig.isDynamicListenerKey(name);
    }

    /**
     * Checks new dynamic configs for {@code entity} (this node's id, or the cluster default) as
     * Kafka does: known keys must be dynamic, store keys ({@code ssl.keystore.*}, ...) only with a listener
     * prefix, listener-prefixed keys other than the connection limits only per broker, and the merged
     * configuration must parse, including the topic defaults it implies; for this node's own entity the
     * {@link #checkWith checks} must pass too (its new stores load). Unknown keys are accepted and kept, as
     * Kafka keeps them for plugins.
     *
     * @throws InvalidRequestException naming the read-only keys or the first bad value
     * @throws org.apache.kafka.common.errors.InvalidConfigurationException if the configs are too large to store
     */
    public void validate(String entity, Map<String, String> configs) {
        ConfigLimits.check(configs);
        refuse(matching(configs, key -> isKnown(key) && !isDynamic(key) && !ListenerSslConfig.isUnprefixedDynamicKey(key)),
                "Cannot update these configs dynamically");
        refuse(matching(configs, ListenerSslConfig::isUnprefixedDynamicKey),
                "These security configs can be dynamically updated only per-listener using the listener prefix");
        boolean isDefault = MetadataImage.DEFAULT_BROKER.equals(entity);
        if (isDefault) {
            refuse(matching(configs, DynamicBrokerConfig::isPerBrokerOnly), "Cannot update these configs at default cluster level, broker id must be specified");
        }
        Layers current = layers;
        try {
            BrokerConfig merged = merge(isDefault ? current.nodeConfigs() : configs, isDefault ? configs : current.defaultConfigs());
            new TopicConfigs(merged);
            if (nodeId.equals(entity)) {
                // Only this node can load its own files: another node's are checked when it applies them.
                checks.forEach(check -> check.accept(merged));
            }
        } catch (InvalidConfigException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    private static boolean isKnown(String key) {
        return BrokerConfig.keys().containsKey(key) || ConnectionLimits.isListenerKey(key) || ListenerSslConfig.isListenerKey(key);
    }

    /** Kafka's per-broker listener configs: every {@code listener.name.<l>.} key but the connection limits shared by the cluster. */
    private static boolean isPerBrokerOnly(String key) {
        Matcher listenerKey = LISTENER_KEY.matcher(key);
        return listenerKey.matches() && !CLUSTER_LEVEL_LISTENER_CONFIGS.contains(listenerKey.group(1));
    }

    private static Set<String> matching(Map<String, String> configs, Predicate<String> test) {
        Set<String> keys = new TreeSet<>();
        configs.keySet().stream().filter(test).forEach(keys::add);
        return keys;
    }

    private static void refuse(Set<String> keys, String reason) {
        if (!keys.isEmpty()) {
            throw new InvalidRequestException(reason + ": " + keys);
        }
    }

    /**
     * Adds a check of this node's new configuration (its stores load, ...) run before a change of its dynamic
     * configs is accepted; it throws {@link InvalidConfigException} to refuse it.
     */
    public void checkWith(Consumer<BrokerConfig> check) {
        checks.add(check);
    }

    /**
     * Tells the followers the current configuration again, after this node's dynamic configs were altered
     * even to the values they had: as Kafka reloads a keystore or truststore file set again to the same path,
     * since its content may have changed.
     */
    public void reloadFiles() {
        BrokerConfig effective = layers.effective();
        followers.forEach(follower -> follower.accept(effective));
    }

    private BrokerConfig merge(Map<String, String> node, Map<String, String> defaults) {
        Map<String, String> merged = new HashMap<>(staticConfig.originals());
        merged.putAll(defaults);
        merged.putAll(node);
        return BrokerConfig.parse(merged);
    }
}
