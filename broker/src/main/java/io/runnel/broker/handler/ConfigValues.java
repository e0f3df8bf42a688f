package io.runnel.broker.handler;

import java.util.List;

/** How a parsed config value is written back to clients: as Kafka prints it. Stateless. */
public final class ConfigValues {

    private ConfigValues() {
    }

    /** The value as Kafka writes it: lists comma-separated, null as null. */
    public static String format(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return value == null ? null : String.valueOf(value);
    }
}
