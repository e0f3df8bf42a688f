package io.runnel.cli.topic;

import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * What is wrong with a partition, as {@code kafka-topics --describe} judges it from the answer of
 * {@code Admin#describeTopics}: offline (no leader, or a leader that is not a live broker),
 * under-replicated (fewer in-sync replicas than replicas) and under-min-ISR (offline, or fewer
 * in-sync replicas than the topic's {@code min.insync.replicas}). Stateless.
 */
enum PartitionState {
    OFFLINE("offline"),
    UNDER_REPLICATED("under-replicated"),
    UNDER_MIN_ISR("under-min-isr");

    private final String label;

    PartitionState(String label) {
        this.label = label;
    }

    /** The states {@code info} is in; {@code minInsyncReplicas} is empty when the topic's config is unknown. */
    static Set<PartitionState> of(TopicPartitionInfo info, OptionalInt minInsyncReplicas) {
        Set<PartitionState> states = EnumSet.noneOf(PartitionState.class);
        boolean offline = info.leader() == null || info.leader().isEmpty();
        if (offline) {
            states.add(OFFLINE);
        }
        if (info.isr().size() < info.replicas().size()) {
            states.add(UNDER_REPLICATED);
        }
        if (offline || (minInsyncReplicas.isPresent() && info.isr().size() < minInsyncReplicas.getAsInt())) {
            states.add(UNDER_MIN_ISR);
        }
        return states;
    }

    /**
     * The STATE column: {@code ok}; {@code offline} alone, since the other states follow from it; or
     * the others joined by commas, e.g. {@code under-replicated,under-min-isr}.
     */
    static String describe(Set<PartitionState> states) {
        if (states.isEmpty()) {
            return "ok";
        }
        if (states.contains(OFFLINE)) {
            return OFFLINE.label;
        }
        return states.stream().map(state -> state.label).collect(Collectors.joining(","));
    }
}
