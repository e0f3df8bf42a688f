package io.runnel.bench.compare;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which broker the failover measurement kills: a partition leader that is not the active controller
 * (so the figure is the partitions' failover, not also the metadata quorum's election), the one that
 * leads the most partitions of the topic; among equals, the {@code kill}-th in id order, so repeated
 * kills visit different brokers. If only the active controller leads, it is the one. Stateless.
 */
final class Victim {

    private Victim() {
    }

    /**
     * @param leaders each partition's leader (partitions without a leader are left out)
     * @param activeController the node id of the active controller, or -1 if unknown
     * @param kill which kill this is, from 0
     * @return the node id to kill
     */
    static int choose(Map<Integer, Integer> leaders, int activeController, int kill) {
        if (leaders.isEmpty()) {
            throw new IllegalArgumentException("no partition has a leader");
        }
        Map<Integer, Integer> led = new TreeMap<>();
        leaders.values().forEach(node -> led.merge(node, 1, Integer::sum));
        List<Integer> candidates = led.keySet().stream().filter(node -> node != activeController).toList();
        if (candidates.isEmpty()) {
            return activeController;
        }
        int most = candidates.stream().mapToInt(led::get).max().orElseThrow();
        List<Integer> top = candidates.stream().filter(node -> led.get(node) == most).sorted(Comparator.naturalOrder()).toList();
        return top.get(Math.floorMod(kill, top.size()));
    }

    /** The partitions {@code node} leads. */
    static List<Integer> ledBy(Map<Integer, Integer> leaders, int node) {
        return leaders.entrySet().stream().filter(e -> e.getValue() == node).map(Map.Entry::getKey).sorted().toList();
    }
}
