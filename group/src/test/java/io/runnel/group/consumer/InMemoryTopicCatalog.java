package io.runnel.group.consumer;

import io.runnel.group.TopicCatalog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/** A topic catalog for tests: topics are created, grown and deleted by hand. */
public final class InMemoryTopicCatalog implements TopicCatalog {

    private final Map<String, TopicInfo> byName = new LinkedHashMap<>();

    /** Creates {@code name} with a fresh id; returns the id. */
    public Uuid create(String name, int partitions) {
        Uuid id = Uuid.randomUuid();
        byName.put(name, new TopicInfo(name, id, partitions));
        return id;
    }

    /** Sets the partition count of an existing topic. */
    void setPartitions(String name, int partitions) {
        TopicInfo topic = byName.get(name);
        byName.put(name, new TopicInfo(name, topic.id(), partitions));
    }

    void delete(String name) {
        byName.remove(name);
    }

    Uuid id(String name) {
        return byName.get(name).id();
    }

    @Override
    public TopicInfo topic(String name) {
        return byName.get(name);
    }

    @Override
    public TopicInfo topic(Uuid id) {
        for (TopicInfo topic : byName.values()) {
            if (topic.id().equals(id)) {
                return topic;
            }
        }
        return null;
    }

    @Override
    public Collection<TopicInfo> topics() {
        return new ArrayList<>(byName.values());
    }
}
