package io.runnel.broker.handler;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.ConfigSynonyms;
import io.runnel.broker.config.DynamicBrokerConfig;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The config entries DescribeConfigs returns, as Kafka builds them: every topic config with its
 * effective value and where it comes from (the topic's override, this broker's or the cluster's
 * dynamic config, server.properties, or the default), the synonyms behind it in that order, and every
 * broker config with the same layering. Thread-safe.
 */
final class ConfigDescriber {

    private final TopicConfigs topicConfigs;
    private final DynamicBrokerConfig brokerConfig;

    ConfigDescriber(TopicConfigs topicConfigs, DynamicBrokerConfig brokerConfig) {
        this.topicConfigs = topicConfigs;
        this.brokerConfig = brokerConfig;
    }

    /** The configs of a topic; {@code names} null for all. */
    List<DescribeConfigsResourceResult> topic(TopicMetadata topic, Collection<String> names, boolean withDocumentation) {
        DynamicBrokerConfig.Layers layers = brokerConfig.layers();
        Map<String, Object> effective = topicConfigs.effective(topic.configs());
        List<DescribeConfigsResourceResult> results = new ArrayList<>();
        new TreeMap<>(TopicConfigs.keys()).forEach((name, key) -> {
            if (names != null && !names.contains(name)) {
                return;
            }
            List<DescribeConfigsSynonym> synonyms = new ArrayList<>();
            String override = topic.configs().get(name);
            if (override != null) {
                synonyms.add(synonym(name, override, ConfigSource.TOPIC_CONFIG));
            }
            List<String> brokerNames = ConfigSynonyms.brokerSynonyms(name);
            addLayers(synonyms, brokerNames, layers);
            brokerNames.stream().filter(brokerName -> !BrokerConfig.keys().containsKey(brokerName)).findFirst()
                    .ifPresent(unknownHere -> synonyms.add(synonym(unknownHere, ConfigValues.format(key.defaultValue), ConfigSource.DEFAULT_CONFIG)));
            results.add(entry(name, ConfigValues.format(effective.get(name)), key, false, synonyms, withDocumentation));
        });
        return results;
    }

    /** The configs of this broker ({@code dynamicDefaultOnly} false) or of the cluster-wide default entity. */
    List<DescribeConfigsResourceResult> broker(boolean dynamicDefaultOnly, Collection<String> names, boolean withDocumentation) {
        DynamicBrokerConfig.Layers layers = brokerConfig.layers();
        List<DescribeConfigsResourceResult> results = new ArrayList<>();
        new TreeMap<>(BrokerConfig.keys()).forEach((name, key) -> {
            if ((names != null && !names.contains(name)) || (dynamicDefaultOnly && !layers.defaultConfigs().containsKey(name))) {
                return;
            }
            List<DescribeConfigsSynonym> synonyms = new ArrayList<>();
            if (dynamicDefaultOnly) {
                synonyms.add(synonym(name, layers.defaultConfigs().get(name), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
            } else {
                addLayers(synonyms, List.of(name), layers);
            }
            String value = dynamicDefaultOnly ? layers.defaultConfigs().get(name) : ConfigValues.format(layers.effective().value(name));
            if (key.type == ConfigDef.Type.PASSWORD) {
                // As Kafka: a password (ssl.keystore.password, ssl.keystore.key, ...) is described as sensitive, never shown.
                synonyms.forEach(synonym -> synonym.setValue(null));
                results.add(entry(name, null, key, !DynamicBrokerConfig.isDynamic(name), synonyms, withDocumentation).setIsSensitive(true));
                return;
            }
            results.add(entry(name, value, key, !DynamicBrokerConfig.isDynamic(name), synonyms, withDocumentation));
        });
        return results;
    }

    /** Kafka's synonym order: every name in this node's dynamic configs, then the cluster's, then static, then defaults. */
    private void addLayers(List<DescribeConfigsSynonym> synonyms, List<String> brokerNames, DynamicBrokerConfig.Layers layers) {
        addLayer(synonyms, brokerNames, layers.nodeConfigs(), ConfigSource.DYNAMIC_BROKER_CONFIG);
        addLayer(synonyms, brokerNames, layers.defaultConfigs(), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        addLayer(synonyms, brokerNames, brokerConfig.staticConfig().originals(), ConfigSource.STATIC_BROKER_CONFIG);
        for (String name : brokerNames) {
            ConfigDef.ConfigKey key = BrokerConfig.keys().get(name);
            if (key != null && key.defaultValue != null) {
                synonyms.add(synonym(name, ConfigValues.format(key.defaultValue), ConfigSource.DEFAULT_CONFIG));
            }
        }
    }

    private static void addLayer(List<DescribeConfigsSynonym> synonyms, List<String> names, Map<String, String> layer, ConfigSource source) {
        for (String name : names) {
            String value = layer.get(name);
            if (value != null) {
                synonyms.add(synonym(name, value, source));
            }
        }
    }

    private static DescribeConfigsResourceResult entry(String name, String value, ConfigDef.ConfigKey key, boolean readOnly,
                                                       List<DescribeConfigsSynonym> synonyms, boolean withDocumentation) {
        ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG : ConfigSource.forId(synonyms.get(0).source());
        return new DescribeConfigsResourceResult()
                .setName(name)
                .setValue(value)
                .setReadOnly(readOnly)
                .setIsSensitive(false)
                .setConfigSource(source.id())
                .setConfigType(ConfigType.valueOf(key.type.name()).id())
                .setSynonyms(synonyms)
                .setDocumentation(withDocumentation && !key.documentation.isEmpty() ? key.documentation : null);
    }

    private static DescribeConfigsSynonym synonym(String name, String value, ConfigSource source) {
        return new DescribeConfigsSynonym().setName(name).setValue(value).setSource(source.id());
    }
}
