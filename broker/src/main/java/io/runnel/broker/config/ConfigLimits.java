package io.runnel.broker.config;

import java.util.Map;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * Size limits on the configs of one topic or broker entity. A metadata record holds each name and
 * value in at most 64 KiB and a whole record in 1 MiB; no real set of configs comes near that, but a
 * client could send one, and it must get INVALID_CONFIG rather than a failed write. Stateless.
 */
final class ConfigLimits {

    private static final int MAX_LENGTH = 16_384;
    private static final int MAX_TOTAL_LENGTH = 100_000;

    private ConfigLimits() {
    }

    /** @throws InvalidConfigurationException naming the first name or value that is too long, or the set if it is */
    static void check(Map<String, String> configs) {
        long total = 0;
        for (Map.Entry<String, String> config : configs.entrySet()) {
            String name = config.getKey();
            String value = config.getValue() == null ? "" : config.getValue();
            if (name.length() > MAX_LENGTH || value.length() > MAX_LENGTH) {
                throw new InvalidConfigurationException("Config " + (name.length() > MAX_LENGTH ? "name" : "value of " + name)
                        + " is longer than " + MAX_LENGTH + " characters.");
            }
            total += name.length() + value.length();
        }
        if (total > MAX_TOTAL_LENGTH) {
            throw new InvalidConfigurationException("The configs of one topic or broker may hold at most " + MAX_TOTAL_LENGTH + " characters in all.");
        }
    }
}
