package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;

/**
 * Places new partitions' replicas on the active brokers as Kafka's classic assignment does: brokers
 * listed so that racks alternate, each partition's first replica (its preferred leader) on the next
 * broker in turn, so partitions and leaders spread evenly; the other replicas shifted so that no two
 * partitions share the same replica pattern. A random start spreads topics too. Not thread-safe.
 */
final class ReplicaPlacer {

    private final Random random;

    ReplicaPlacer(Random random) {
        this.random = random;
    }

    /**
     * Replicas for partitions {@code firstPartition .. firstPartition + count - 1}.
     *
     * @throws InvalidReplicationFactorException if fewer active brokers than {@code replicationFactor}
     */
    List<List<Integer>> place(Collection<BrokerRegistration> activeBrokers, int firstPartition, int count, int replicationFactor) {
        List<Integer> brokers = rackAlternated(activeBrokers);
        Map<Integer, String> racks = new java.util.HashMap<>();
        activeBrokers.forEach(broker -> racks.put(broker.id(), broker.rack() == null ? "" : broker.rack()));
        int rackCount = new java.util.HashSet<>(racks.values()).size();
        int n = brokers.size();
        if (replicationFactor > n) {
            throw new InvalidReplicationFactorException("Unable to replicate the partition " + replicationFactor
                    + " time(s): The target replication factor of " + replicationFactor
                    + " cannot be reached because only " + n + " broker(s) are registered.");
        }
        int startIndex = random.nextInt(n);
        int nextReplicaShift = random.nextInt(n);
        List<List<Integer>> placements = new ArrayList<>(count);
        for (int partition = firstPartition; partition < firstPartition + count; partition++) {
            if (partition > 0 && partition % n == 0) {
                nextReplicaShift++;
            }
            int first = (partition + startIndex) % n;
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            replicas.add(brokers.get(first));
            java.util.Set<String> usedRacks = new java.util.HashSet<>(List.of(racks.get(brokers.get(first))));
            for (int j = 0; j < replicationFactor - 1; j++) {
                // as Kafka's rack-aware assignment: the next broker in the shifted order that is on a rack
                // without a replica yet (any rack once every rack has one) and holds no replica yet
                for (int k = 0; ; k++) {
                    int broker = brokers.get((first + 1 + (nextReplicaShift + k) % (n - 1)) % n);
                    if (!replicas.contains(broker) && (usedRacks.size() == rackCount || !usedRacks.contains(racks.get(broker)))) {
                        replicas.add(broker);
                        usedRacks.add(racks.get(broker));
                        break;
                    }
                }
            }
            placements.add(replicas);
        }
        return placements;
    }

    /** Broker ids ordered so that consecutive ones are on different racks where possible (no rack counts as one rack). */
    private static List<Integer> rackAlternated(Collection<BrokerRegistration> brokers) {
        Map<String, List<Integer>> byRack = new TreeMap<>();
        brokers.stream().sorted(Comparator.comparingInt(BrokerRegistration::id))
                .forEach(broker -> byRack.computeIfAbsent(broker.rack() == null ? "" : broker.rack(), rack -> new ArrayList<>()).add(broker.id()));
        List<Iterator<Integer>> racks = byRack.values().stream().map(List::iterator).toList();
        List<Integer> ordered = new ArrayList<>(brokers.size());
        while (ordered.size() < brokers.size()) {
            for (Iterator<Integer> rack : racks) {
                if (rack.hasNext()) {
                    ordered.add(rack.next());
                }
            }
        }
        return ordered;
    }
}
