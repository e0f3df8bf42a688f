package io.runnel.group;

import java.util.Locale;

/**
 * Kafka's {@code group.consumer.migration.policy}: whether a group may change protocol while it has
 * members. An upgrade turns a classic group into a consumer group when a consumer-protocol member
 * joins it; a downgrade turns a consumer group back into a classic group when its last
 * consumer-protocol member leaves and only classic members remain. Empty groups convert either way
 * whatever the policy. Immutable.
 */
public enum ConsumerGroupMigrationPolicy {
    DISABLED, DOWNGRADE, UPGRADE, BIDIRECTIONAL;

    /** Whether a non-empty classic group may become a consumer group. */
    public boolean isUpgradeEnabled() {
        return this == UPGRADE || this == BIDIRECTIONAL;
    }

    /** Whether a consumer group left with only classic members may become a classic group. */
    public boolean isDowngradeEnabled() {
        return this == DOWNGRADE || this == BIDIRECTIONAL;
    }

    /**
     * The policy named {@code name}, case-insensitive, as Kafka parses the config.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static ConsumerGroupMigrationPolicy parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
