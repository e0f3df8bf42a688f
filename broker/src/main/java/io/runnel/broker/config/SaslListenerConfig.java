package io.runnel.broker.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;

/**
 * The SASL settings of one SASL listener, read with Kafka's keys and rules: the mechanisms from
 * {@code listener.name.<listener>.sasl.enabled.mechanisms}, else {@code sasl.enabled.mechanisms};
 * each mechanism's login module from {@code listener.name.<listener>.<mechanism>.sasl.jaas.config}
 * (listener and mechanism in lower case), else from the JAAS file named by the system property
 * {@code java.security.auth.login.config} (section {@code <listener>.KafkaServer} or
 * {@code KafkaServer}). As on Kafka brokers, an unprefixed {@code sasl.jaas.config} is ignored.
 * Immutable.
 *
 * @param listenerName the listener, as named in {@code listeners}
 * @param mechanisms the enabled mechanisms, in the order given, without repeats
 * @param jaasEntries each mechanism's JAAS login module entry (one per mechanism, as Kafka requires)
 */
public record SaslListenerConfig(String listenerName, List<String> mechanisms, Map<String, List<AppConfigurationEntry>> jaasEntries) {

    /** The key of the enabled mechanisms, also taken with a listener prefix. */
    public static final String ENABLED_MECHANISMS = "sasl.enabled.mechanisms";
    /** The mechanisms Runnel serves. */
    public static final Set<String> SERVED_MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    /** Mechanisms Kafka knows that Runnel does not serve (yet): refused by name rather than as unknown. */
    private static final Set<String> KAFKA_MECHANISMS = Set.of("GSSAPI", "OAUTHBEARER");
    /** The login module each served mechanism's JAAS entry must name (Kafka's own). */
    private static final Map<String, String> LOGIN_MODULES = Map.of(
            "PLAIN", PlainLoginModule.class.getName(),
            "SCRAM-SHA-256", ScramLoginModule.class.getName(),
            "SCRAM-SHA-512", ScramLoginModule.class.getName());
    private static final String JAAS_CONFIG = "sasl.jaas.config";
    private static final String JAAS_FILE_PROPERTY = "java.security.auth.login.config";

    public SaslListenerConfig {
        mechanisms = List.copyOf(mechanisms);
        jaasEntries = Map.copyOf(jaasEntries);
    }

    /** Kafka's prefix for per-listener keys: {@code listener.name.<lower-case name>.}. */
    public static String prefix(String listenerName) {
        return "listener.name." + listenerName.toLowerCase(Locale.ROOT) + ".";
    }

    /** True when {@code key} is one of the SASL keys this class reads with a listener prefix (so it draws no unknown-key warning). */
    static boolean isListenerKey(String key) {
        return key.startsWith("listener.name.") && (key.endsWith("." + ENABLED_MECHANISMS) || key.endsWith("." + JAAS_CONFIG));
    }

    /**
     * Reads and checks the SASL settings of a listener.
     *
     * @param originals the properties as given
     * @param globalMechanisms the parsed {@code sasl.enabled.mechanisms}
     * @throws InvalidConfigException one line naming the key: no mechanism, an unknown or unserved one,
     *     a JAAS line that does not parse (its value, which holds passwords, is never printed), or no JAAS
     *     configuration for an enabled mechanism
     */
    static SaslListenerConfig parse(String listenerName, Map<String, String> originals, List<String> globalMechanisms) {
        String mechanismsKey = prefix(listenerName) + ENABLED_MECHANISMS;
        String given = originals.get(mechanismsKey);
        List<String> mechanisms = given != null ? split(given) : globalMechanisms.stream().map(String::trim).distinct().toList();
        String effectiveKey = given != null ? mechanismsKey : ENABLED_MECHANISMS;
        if (mechanisms.isEmpty()) {
            throw new InvalidConfigException("Invalid value '' for configuration " + effectiveKey + ": listener " + listenerName
                    + " uses SASL, so at least one mechanism must be enabled (Runnel serves " + String.join(", ", sorted(SERVED_MECHANISMS)) + ")");
        }
        Map<String, List<AppConfigurationEntry>> entries = new LinkedHashMap<>();
        for (String mechanism : mechanisms) {
            checkServed(effectiveKey, mechanism);
            entries.put(mechanism, jaasEntries(listenerName, mechanism, originals));
        }
        return new SaslListenerConfig(listenerName, mechanisms, entries);
    }

    /**
     * How this broker logs in with {@code mechanism} to another broker's listener of this name: the
     * {@code username} and {@code password} options of the mechanism's JAAS entry, as Kafka's brokers
     * take their own credentials from the server's login module.
     *
     * @throws InvalidConfigException in one line when the mechanism is not enabled on the listener, or its
     *     JAAS entry lacks either option
     */
    SaslLogin login(String mechanismKey, String mechanism) {
        if (!mechanisms.contains(mechanism)) {
            throw new InvalidConfigException("Invalid value '" + mechanism + "' for configuration " + mechanismKey + ": "
                    + mechanismKey + " must be included in " + ENABLED_MECHANISMS + " when SASL is used for inter-broker communication"
                    + " (listener " + listenerName + " enables " + String.join(", ", mechanisms) + ")");
        }
        Map<String, ?> options = jaasEntries.get(mechanism).get(0).getOptions();
        Object username = options.get("username");
        Object password = options.get("password");
        if (!(username instanceof String user) || !(password instanceof String secret)) {
            throw new InvalidConfigException("Missing option username or password in the " + mechanism + " JAAS configuration of listener "
                    + listenerName + ": the broker logs in to other brokers with them (" + mechanismKey + "=" + mechanism + ")");
        }
        return new SaslLogin(mechanism, user, new Password(secret));
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(name -> !name.isEmpty()).distinct().toList();
    }

    private static void checkServed(String key, String mechanism) {
        if (SERVED_MECHANISMS.contains(mechanism)) {
            return;
        }
        String why = KAFKA_MECHANISMS.contains(mechanism) ? "Runnel does not serve " + mechanism + " yet" : "unknown SASL mechanism";
        throw new InvalidConfigException("Invalid value '" + mechanism + "' for configuration " + key + ": " + why
                + "; the mechanisms served are " + String.join(", ", sorted(SERVED_MECHANISMS)));
    }

    private static List<AppConfigurationEntry> jaasEntries(String listenerName, String mechanism, Map<String, String> originals) {
        String key = prefix(listenerName) + mechanism.toLowerCase(Locale.ROOT) + "." + JAAS_CONFIG;
        String value = originals.get(key);
        if (value == null && System.getProperty(JAAS_FILE_PROPERTY) == null) {
            throw new InvalidConfigException("Missing configuration " + key + ": listener " + listenerName + " enables SASL mechanism "
                    + mechanism + " but has no JAAS login module for it (and " + JAAS_FILE_PROPERTY + " is not set)");
        }
        Map<String, Object> configs = value == null ? Map.of() : Map.of(mechanism.toLowerCase(Locale.ROOT) + "." + JAAS_CONFIG, new Password(value));
        List<AppConfigurationEntry> entries;
        try {
            entries = JaasContext.loadServerContext(new ListenerName(listenerName), mechanism, configs).configurationEntries();
        } catch (IllegalArgumentException | SecurityException e) {
            // Kafka's JAAS parser names what is wrong; the value itself holds passwords and is left out.
            throw new InvalidConfigException("Invalid value for configuration " + (value != null ? key : JAAS_FILE_PROPERTY) + ": " + e.getMessage());
        }
        checkLoginModule(key, mechanism, entries);
        return List.copyOf(entries);
    }

    /** PLAIN finds its users among the options of Kafka's PlainLoginModule only: another module would let nobody in. */
    private static void checkLoginModule(String key, String mechanism, List<AppConfigurationEntry> entries) {
        String expected = LOGIN_MODULES.get(mechanism);
        if (entries.stream().noneMatch(entry -> expected.equals(entry.getLoginModuleName()))) {
            throw new InvalidConfigException("Invalid value for configuration " + key + ": mechanism " + mechanism + " needs the login module "
                    + expected + ", not " + entries.get(0).getLoginModuleName());
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
