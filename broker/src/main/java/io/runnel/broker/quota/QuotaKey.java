package io.runnel.broker.quota;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The client quota keys Kafka knows (its QuotaConfig), each with its config type, which decides the
 * values it takes: whole numbers for the byte and connection rates, any positive number otherwise.
 * The user and client-id entities take the first four; an ip entity only the connection rate.
 */
public enum QuotaKey {
    PRODUCER_BYTE_RATE("producer_byte_rate", ConfigDef.Type.LONG),
    CONSUMER_BYTE_RATE("consumer_byte_rate", ConfigDef.Type.LONG),
    REQUEST_PERCENTAGE("request_percentage", ConfigDef.Type.DOUBLE),
    CONTROLLER_MUTATION_RATE("controller_mutation_rate", ConfigDef.Type.DOUBLE),
    CONNECTION_CREATION_RATE("connection_creation_rate", ConfigDef.Type.INT);

    private static final Map<String, QuotaKey> BY_NAME = Stream.of(values()).collect(Collectors.toUnmodifiableMap(QuotaKey::key, Function.identity()));

    private final String key;
    private final ConfigDef.Type type;

    QuotaKey(String key, ConfigDef.Type type) {
        this.key = key;
        this.type = type;
    }

    /** The key as clients name it. */
    public String key() {
        return key;
    }

    /** Kafka's config type of the key: LONG, INT or DOUBLE. */
    public ConfigDef.Type type() {
        return type;
    }

    /** Whether the key applies to ip entities (else to user and client-id entities). */
    public boolean forIp() {
        return this == CONNECTION_CREATION_RATE;
    }

    /** The key of this name, or null when Kafka knows none. */
    public static QuotaKey named(String key) {
        return BY_NAME.get(key);
    }
}
