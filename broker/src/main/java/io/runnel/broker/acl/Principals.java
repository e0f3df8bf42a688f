package io.runnel.broker.acl;

import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Principals in their string form, {@code Type:name}, as ACLs and {@code super.users} write them
 * (Kafka's parser lives in an internal package of kafka-clients). Stateless.
 */
public final class Principals {

    private Principals() {
    }

    /**
     * The principal {@code value} names.
     *
     * @throws IllegalArgumentException if it has no colon, with Kafka's message (Kafka takes empty parts as given)
     */
    public static KafkaPrincipal parse(String value) {
        int colon = value == null ? -1 : value.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected a string in format principalType:principalName but got " + value);
        }
        return new KafkaPrincipal(value.substring(0, colon), value.substring(colon + 1));
    }
}
