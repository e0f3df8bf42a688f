package io.runnel.broker.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;

/**
 * The {@code ssl.*} keys of a TLS listener, with Kafka's names, types and defaults: the client set of
 * kafka-clients' {@code SslConfigs} (stores, protocols, cipher suites, endpoint identification) plus the
 * broker's {@code ssl.client.auth} and {@code ssl.principal.mapping.rules}. As in Kafka, a key prefixed
 * with {@code listener.name.<listener name in lower case>.} applies to that listener only and wins over
 * the unprefixed key. Stateless.
 */
final class ListenerSslConfig {

    private static final String LISTENER_PREFIX = "listener.name.";
    private static final String METRICS_PREFIX = "metrics.";
    private static final ConfigDef KEYS = define(new ConfigDef());

    private ListenerSslConfig() {
    }

    /** Adds the ssl.* keys to a broker's definition. */
    static ConfigDef define(ConfigDef definition) {
        SslConfigs.addClientSslSupport(definition);
        return definition
                .define(BrokerSecurityConfigs.SSL_CLIENT_AUTH_CONFIG, STRING, BrokerSecurityConfigs.SSL_CLIENT_AUTH_DEFAULT,
                        ConfigDef.ValidString.in("required", "requested", "none"), MEDIUM, BrokerSecurityConfigs.SSL_CLIENT_AUTH_DOC)
                .define(BrokerSecurityConfigs.SSL_PRINCIPAL_MAPPING_RULES_CONFIG, STRING, BrokerSecurityConfigs.DEFAULT_SSL_PRINCIPAL_MAPPING_RULES,
                        HIGH, BrokerSecurityConfigs.SSL_PRINCIPAL_MAPPING_RULES_DOC)
                .define(BrokerSecurityConfigs.SSL_ALLOW_DN_CHANGES_CONFIG, BOOLEAN, BrokerSecurityConfigs.DEFAULT_SSL_ALLOW_DN_CHANGES_VALUE, LOW,
                        BrokerSecurityConfigs.SSL_ALLOW_DN_CHANGES_DOC)
                .define(BrokerSecurityConfigs.SSL_ALLOW_SAN_CHANGES_CONFIG, BOOLEAN, BrokerSecurityConfigs.DEFAULT_SSL_ALLOW_SAN_CHANGES_VALUE, LOW,
                        BrokerSecurityConfigs.SSL_ALLOW_SAN_CHANGES_DOC)
                .define(BrokerConfig.SSL_PROVIDER, STRING, "jdk", ConfigDef.ValidString.in("jdk", "openssl"), LOW,
                        "Runnel's: the TLS engine of the listener, jdk (the JDK's, as Kafka) or openssl (BoringSSL from netty-tcnative, "
                                + "about twice as fast at AES-GCM); read at start.");
    }

    /** Whether a key is an ssl.* key given for one listener ({@code listener.name.ssl.ssl.keystore.location}). */
    static boolean isListenerKey(String key) {
        if (!key.startsWith(LISTENER_PREFIX)) {
            return false;
        }
        int nameEnd = key.indexOf('.', LISTENER_PREFIX.length());
        return nameEnd > 0 && KEYS.names().contains(key.substring(nameEnd + 1));
    }

    /**
     * The ssl.* values of one listener, parsed as Kafka parses them (passwords as {@code Password},
     * lists as lists), ready for kafka-clients' {@code SslFactory}.
     *
     * @param originals    the broker's properties as given
     * @param listenerName the listener, e.g. {@code SSL}; its prefix is {@code listener.name.ssl.}
     * @return a mutable map, as SslFactory expects
     * @throws InvalidConfigException naming the key of a bad value
     */
    static Map<String, Object> forListener(Map<String, String> originals, String listenerName) {
        String prefix = prefix(listenerName);
        Map<String, String> effective = new HashMap<>();
        for (String key : KEYS.names()) {
            String value = originals.getOrDefault(prefix + key, originals.get(key));
            if (value != null) {
                effective.put(key, value);
            }
        }
        return parse(effective, "listener " + listenerName);
    }

    /**
     * Whether a key is a listener's ssl.* key, which Kafka takes dynamically per broker. Only the store keys
     * (kafka-clients' {@code SslConfigs.RECONFIGURABLE_CONFIGS}) apply at once, through the listener's
     * {@code SslFactory.reconfigure}; the others (protocols, cipher suites) are kept, as Kafka keeps them, and
     * do not change the listener's engines.
     */
    static boolean isDynamicListenerKey(String key) {
        return isListenerKey(key);
    }

    /** Whether a key is one Kafka changes only per listener: a store key without the listener prefix. */
    static boolean isUnprefixedDynamicKey(String key) {
        return SslConfigs.RECONFIGURABLE_CONFIGS.contains(key);
    }

    /** Whether a key is an ssl.* key of the metrics endpoint ({@code metrics.ssl.keystore.location}). */
    static boolean isMetricsKey(String key) {
        return key.startsWith(METRICS_PREFIX) && KEYS.names().contains(key.substring(METRICS_PREFIX.length()));
    }

    /**
     * The metrics endpoint's TLS: its {@code metrics.ssl.*} keys (Runnel's; nothing is inherited from the
     * listeners' ssl.* keys, so that a TLS listener does not turn the endpoint to HTTPS by surprise), parsed
     * as Kafka parses ssl.* keys; empty when no {@code metrics.ssl.keystore.location} or PEM chain is given.
     */
    static Optional<Map<String, Object>> forMetrics(Map<String, String> originals) {
        Map<String, String> effective = new HashMap<>();
        originals.forEach((key, value) -> {
            if (isMetricsKey(key)) {
                effective.put(key.substring(METRICS_PREFIX.length()), value);
            }
        });
        if (!effective.containsKey(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG) && !effective.containsKey(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG)) {
            if (!effective.isEmpty()) {
                throw new InvalidConfigException("metrics.ssl.* keys are set but neither metrics.ssl.keystore.location nor "
                        + "metrics.ssl.keystore.certificate.chain: the metrics endpoint would have no certificate");
            }
            return Optional.empty();
        }
        return Optional.of(parse(effective, "metrics endpoint"));
    }

    private static Map<String, Object> parse(Map<String, String> effective, String owner) {
        try {
            Map<String, Object> values = new HashMap<>(KEYS.parse(effective));
            checkMappingRules(effective);
            return values;
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage() + " (" + owner + ")");
        }
    }

    /**
     * As {@link #forListener}, for a SASL_SSL listener: as in Kafka (KIP-684), only a listener-prefixed
     * {@code ssl.client.auth} asks its clients for certificates; the broker-wide key is for SSL listeners,
     * since SASL already says who the client is.
     */
    static Map<String, Object> forSaslListener(Map<String, String> originals, String listenerName) {
        Map<String, Object> values = forListener(originals, listenerName);
        if (!originals.containsKey(prefix(listenerName) + BrokerSecurityConfigs.SSL_CLIENT_AUTH_CONFIG)) {
            values.put(BrokerSecurityConfigs.SSL_CLIENT_AUTH_CONFIG, "none");
        }
        return values;
    }

    private static String prefix(String listenerName) {
        return LISTENER_PREFIX + listenerName.toLowerCase(Locale.ROOT) + ".";
    }

    private static void checkMappingRules(Map<String, String> effective) {
        String rules = effective.get(BrokerSecurityConfigs.SSL_PRINCIPAL_MAPPING_RULES_CONFIG);
        if (rules == null) {
            return;
        }
        try {
            SslPrincipalMapper.fromRules(rules);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(BrokerSecurityConfigs.SSL_PRINCIPAL_MAPPING_RULES_CONFIG, rules, e.getMessage());
        }
    }
}
