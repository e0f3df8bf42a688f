package io.runnel.broker.replica;

import io.runnel.broker.partition.Partition;
import io.runnel.broker.partition.ReplicaFollowing;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * This broker's replica fetchers, one thread per leader it follows (Kafka's {@code num.replica.fetchers}
 * = 1): a partition is fetched by the fetcher of its current leader, at its current leader epoch, and
 * moves when either changes. A fetcher left with nothing to fetch stops. Thread-safe (calls come from
 * the metadata thread; the lock is held only to move partitions between fetchers).
 */
public final class ReplicaFetcherManager implements ReplicaFollowing, AutoCloseable {

    private final ReplicaFetcherSettings settings;
    private final Map<Integer, ReplicaFetcher> fetchers = new HashMap<>();
    private boolean closed;

    ReplicaFetcherManager(ReplicaFetcherSettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized void follow(Partition partition, int leaderId, int leaderEpoch) {
        if (closed) {
            return;
        }
        TopicPartition topicPartition = partition.topicPartition();
        ReplicaFetcher current = fetchers.get(leaderId);
        if (current != null && current.leaderEpoch(topicPartition).equals(Optional.of(leaderEpoch))) {
            return;
        }
        removeFromAll(topicPartition, leaderId);
        ReplicaFetcher fetcher = fetchers.computeIfAbsent(leaderId, id -> {
            ReplicaFetcher started = new ReplicaFetcher(id, settings);
            started.start();
            return started;
        });
        fetcher.add(partition, leaderEpoch);
    }

    @Override
    public synchronized void unfollow(TopicPartition partition) {
        removeFromAll(partition, -1);
    }

    private void removeFromAll(TopicPartition partition, int except) {
        for (Iterator<Map.Entry<Integer, ReplicaFetcher>> it = fetchers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, ReplicaFetcher> entry = it.next();
            if (entry.getKey() == except) {
                continue;
            }
            entry.getValue().remove(partition);
            if (entry.getValue().isEmpty()) {
                entry.getValue().shutdown();
                it.remove();
            }
        }
    }

    /** The leader each followed partition is fetched from, for tools and tests. */
    public synchronized Map<TopicPartition, Integer> followed() {
        Map<TopicPartition, Integer> followed = new HashMap<>();
        fetchers.forEach((leader, fetcher) -> fetcher.partitions().forEach(partition -> followed.put(partition, leader)));
        return followed;
    }

    /** Stops every fetcher. */
    @Override
    public synchronized void close() {
        closed = true;
        fetchers.values().forEach(ReplicaFetcher::shutdown);
        fetchers.clear();
    }
}
