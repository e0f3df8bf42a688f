package io.runnel.group;

import java.util.Collection;
import org.apache.kafka.common.Uuid;

/**
 * The topics that exist, as the consumer-group assignors see them. Backed by the broker's current
 * metadata image; every call may see a newer image.
 */
public interface TopicCatalog {

    /** The topic named {@code name}, or null. */
    TopicInfo topic(String name);

    /** The topic with id {@code id}, or null. */
    TopicInfo topic(Uuid id);

    /** All topics (for regex subscriptions). */
    Collection<TopicInfo> topics();

    /** A topic's id, name and partition count. */
    record TopicInfo(String name, Uuid id, int partitions) { }
}
