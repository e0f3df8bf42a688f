package io.runnel.broker.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The listeners of one node, checked as Kafka checks them at start: {@code listeners},
 * {@code advertised.listeners}, {@code listener.security.protocol.map}, {@code controller.listener.names}
 * and {@code inter.broker.listener.name}. Every refusal is one line naming the key. Immutable.
 */
final class ListenerConfig {

    private static final Set<String> WILDCARD_HOSTS = Set.of("", "0.0.0.0", "::");
    /** The protocols whose clients authenticate with SASL (over TLS for SASL_SSL). */
    private static final Set<String> SASL_PROTOCOLS = Set.of("SASL_PLAINTEXT", "SASL_SSL");

    private final List<Listener> listeners;
    private final Map<String, Listener> advertised;
    private final Map<String, String> securityProtocols;
    private final List<String> controllerNames;
    private final String interBrokerName;

    private ListenerConfig(List<Listener> listeners, Map<String, Listener> advertised, Map<String, String> securityProtocols,
                           List<String> controllerNames, String interBrokerName) {
        this.listeners = listeners;
        this.advertised = advertised;
        this.securityProtocols = securityProtocols;
        this.controllerNames = controllerNames;
        this.interBrokerName = interBrokerName;
    }

    /**
     * Parses and checks the listener keys.
     *
     * @param values          the values parsed by ConfigDef
     * @param roles           {@code process.roles}; empty for single-node mode (broker and controller, no quorum)
     * @throws InvalidConfigException naming the key of the first bad value
     */
    static ListenerConfig parse(Map<String, Object> values, Set<ProcessRole> roles) {
        List<Listener> listeners = Listener.parseList("listeners", (String) values.get("listeners"));
        checkDistinct("listeners", listeners);
        checkPorts(listeners);
        String advertisedValue = (String) values.get("advertised.listeners");
        List<Listener> advertisedList = advertisedValue == null ? List.of() : Listener.parseList("advertised.listeners", advertisedValue);
        checkDistinct("advertised.listeners", advertisedList);
        Map<String, Listener> advertised = new LinkedHashMap<>();
        for (Listener listener : advertisedList) {
            requireListed(listeners, "advertised.listeners", listener.name(), listener.toUri());
            advertised.put(listener.name(), listener);
        }
        List<String> controllerNames = controllerNames(values, roles);
        ListenerConfig config = new ListenerConfig(listeners, advertised, securityProtocols((String) values.get("listener.security.protocol.map")),
                controllerNames, interBrokerName(values, listeners, controllerNames));
        config.checkControllerListeners(roles);
        config.checkServedProtocols();
        if (!roles.isEmpty()) {
            config.checkAdvertisedReachable();
        }
        return config;
    }

    private static List<String> controllerNames(Map<String, Object> values, Set<ProcessRole> roles) {
        List<String> names = new ArrayList<>();
        Object given = values.get("controller.listener.names");
        if (given != null) {
            ((List<?>) given).forEach(name -> names.add(name.toString().trim()));
        } else if (!roles.isEmpty()) {
            names.add("CONTROLLER");
        }
        return List.copyOf(names);
    }

    private static String interBrokerName(Map<String, Object> values, List<Listener> listeners, List<String> controllerNames) {
        String given = (String) values.get("inter.broker.listener.name");
        if (given == null) {
            return listeners.stream().map(Listener::name).filter(name -> !controllerNames.contains(name)).findFirst().orElse(null);
        }
        String name = given.trim();
        requireListed(listeners, "inter.broker.listener.name", name, name);
        if (controllerNames.contains(name)) {
            throw invalid("inter.broker.listener.name", name, name + " is a controller listener (controller.listener.names); brokers cannot use it");
        }
        return name;
    }

    private static void checkDistinct(String key, List<Listener> listeners) {
        for (int i = 0; i < listeners.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (listeners.get(i).name().equals(listeners.get(j).name())) {
                    throw invalid(key, listeners.get(i).toUri(), "listener name " + listeners.get(i).name() + " is used twice");
                }
            }
        }
    }

    /** Two listeners may share a port only on two distinct, non-wildcard hosts; port 0 always picks a free one. */
    private static void checkPorts(List<Listener> listeners) {
        for (int i = 0; i < listeners.size(); i++) {
            Listener listener = listeners.get(i);
            for (int j = 0; j < i; j++) {
                Listener earlier = listeners.get(j);
                boolean sameAddress = listener.host().equals(earlier.host())
                        || WILDCARD_HOSTS.contains(listener.host()) || WILDCARD_HOSTS.contains(earlier.host());
                if (listener.port() != 0 && listener.port() == earlier.port() && sameAddress) {
                    throw invalid("listeners", listener.toUri(), "port " + listener.port() + " is already used by " + earlier.toUri());
                }
            }
        }
    }

    private static void requireListed(List<Listener> listeners, String key, String name, String value) {
        if (listeners.stream().noneMatch(listener -> listener.name().equals(name))) {
            throw invalid(key, value, "listener " + name + " is not in listeners");
        }
    }

    private void checkControllerListeners(Set<ProcessRole> roles) {
        boolean controllerOnly = roles.equals(Set.of(ProcessRole.CONTROLLER));
        if (roles.equals(Set.of(ProcessRole.BROKER))) {
            for (Listener listener : listeners) {
                if (controllerNames.contains(listener.name())) {
                    throw invalid("listeners", listener.toUri(), listener.name()
                            + " is a controller listener (controller.listener.names); a node with process.roles=broker must not listen on it");
                }
            }
        } else {
            controllerNames.forEach(name -> requireListed(listeners, "controller.listener.names", name, name));
        }
        if (!roles.isEmpty() && controllerNames.isEmpty()) {
            throw new InvalidConfigException("Invalid value '' for configuration controller.listener.names: a listener name is required when process.roles is set");
        }
        if (!controllerOnly && brokerListeners().isEmpty()) {
            throw invalid("listeners", String.join(",", listeners.stream().map(Listener::toUri).toList()),
                    "no broker listener; every listener is in controller.listener.names");
        }
    }

    /**
     * PLAINTEXT, SSL, SASL_PLAINTEXT and SASL_SSL are served on broker listeners, the inter-broker one
     * included (brokers log in to each other with {@code sasl.mechanism.inter.broker.protocol}, checked by
     * {@link BrokerConfig#interBrokerSaslLogin()}); anything else is refused, since a listener served
     * with less security than configured would be worse than refusing to start. Controller listeners
     * stay PLAINTEXT: the quorum has no TLS yet.
     */
    private void checkServedProtocols() {
        for (Listener listener : listeners) {
            String protocol = securityProtocol(listener.name());
            if (controllerNames.contains(listener.name()) && !"PLAINTEXT".equals(protocol)) {
                throw invalid("listeners", listener.toUri(), "security protocol " + protocol
                        + " is not supported on a controller listener yet; use a PLAINTEXT listener");
            }
            if (!SASL_PROTOCOLS.contains(protocol) && !"PLAINTEXT".equals(protocol) && !"SSL".equals(protocol)) {
                throw invalid("listeners", listener.toUri(), "security protocol " + protocol
                        + " is not supported yet; use a PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL listener");
            }
        }
    }

    /** Other nodes and clients connect to what a broker advertises, so it must be a concrete address. */
    private void checkAdvertisedReachable() {
        for (Listener listener : brokerListeners()) {
            Listener given = advertised.get(listener.name());
            Listener effective = given != null ? given : listener;
            if ("0.0.0.0".equals(effective.host()) || "::".equals(effective.host())) {
                throw invalid("advertised.listeners", effective.toUri(), "the wildcard address " + effective.host()
                        + " cannot be advertised when process.roles is set" + (given == null ? " (advertised.listeners defaults to listeners)" : ""));
            }
            if (given != null && given.port() == 0) {
                throw invalid("advertised.listeners", given.toUri(), "port 0 cannot be advertised when process.roles is set");
            }
        }
    }

    private static Map<String, String> securityProtocols(String value) {
        Map<String, String> map = new TreeMap<>();
        if (value != null) {
            for (String entry : value.split(",")) {
                String[] pair = entry.trim().split(":");
                if (pair.length == 2) {
                    map.put(pair[0].trim(), pair[1].trim());
                }
            }
        }
        return map;
    }

    private static InvalidConfigException invalid(String key, String value, String why) {
        return new InvalidConfigException("Invalid value '" + value + "' for configuration " + key + ": " + why);
    }

    List<Listener> listeners() {
        return listeners;
    }

    /** The advertised listeners as given, in order (empty when advertised.listeners is not set). */
    List<Listener> advertisedAsGiven() {
        return List.copyOf(advertised.values());
    }

    /** The security protocol of a listener: its entry in the map, else its name; an unmapped controller listener is PLAINTEXT. */
    String securityProtocol(String listenerName) {
        String mapped = securityProtocols.get(listenerName);
        if (mapped != null) {
            return mapped;
        }
        return controllerNames.contains(listenerName) ? "PLAINTEXT" : listenerName;
    }

    /** The broker listeners whose security protocol is SASL_PLAINTEXT or SASL_SSL, in order. */
    List<String> saslListenerNames() {
        return brokerListeners().stream().map(Listener::name).filter(name -> SASL_PROTOCOLS.contains(securityProtocol(name))).toList();
    }

    List<String> controllerNames() {
        return controllerNames;
    }

    List<Listener> brokerListeners() {
        return listeners.stream().filter(listener -> !controllerNames.contains(listener.name())).toList();
    }

    Optional<Listener> controllerListener() {
        return controllerNames.isEmpty() ? Optional.empty()
                : listeners.stream().filter(listener -> listener.name().equals(controllerNames.get(0))).findFirst();
    }

    Listener advertisedListener(String name) {
        Listener given = advertised.get(name);
        if (given != null) {
            return given;
        }
        return listeners.stream().filter(listener -> listener.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener named " + name));
    }

    /** The inter-broker listener, or null on a controller-only node. */
    String interBrokerName() {
        return interBrokerName;
    }
}
