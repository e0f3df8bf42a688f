package io.runnel.coordinator.runtime;

/** Which partition of a coordinator's internal topic holds a key (a group id, a transactional id). Stateless. */
public final class CoordinatorKeys {

    private CoordinatorKeys() {
    }

    /**
     * The partition of {@code key} among {@code partitionCount}, as Kafka computes it
     * ({@code Utils.abs(key.hashCode()) % count}, where the absolute value of {@code Integer.MIN_VALUE}
     * is 0): clients and other brokers find the coordinator by the same rule.
     */
    public static int partitionFor(String key, int partitionCount) {
        int hash = key.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitionCount;
    }
}
