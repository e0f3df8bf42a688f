package io.runnel.group.consumer;

import io.runnel.group.TopicCatalog;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRegularExpression;

/**
 * Resolves members' subscriptions (topic names and a regular expression) to the topics that exist
 * in the catalog. Regular expressions use {@link java.util.regex} and must match the whole topic
 * name; Kafka uses RE2J, whose syntax is a subset (no back-references or look-around), so a few
 * expressions Java accepts would be refused by Kafka. Confined to the coordinator thread.
 */
final class TopicSubscriptions {

    private static final int MAX_CACHED_PATTERNS = 1024;
    /** Shared by all coordinator threads, hence concurrent; cleared when full. */
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private final TopicCatalog topics;

    TopicSubscriptions(TopicCatalog topics) {
        this.topics = topics;
    }

    /** The existing topics any of {@code members} subscribes to, by id. */
    Map<Uuid, TopicCatalog.TopicInfo> subscribedTopics(Collection<ConsumerGroupMember> members) {
        Map<Uuid, TopicCatalog.TopicInfo> result = new TreeMap<>();
        Map<String, Map<Uuid, TopicCatalog.TopicInfo>> byRegex = new HashMap<>();
        for (ConsumerGroupMember member : members) {
            result.putAll(subscribedTopics(member, byRegex));
        }
        return result;
    }

    /**
     * The existing topics {@code member} subscribes to, by id.
     *
     * @param byRegex regexes already resolved in this round, reused and filled in
     */
    Map<Uuid, TopicCatalog.TopicInfo> subscribedTopics(ConsumerGroupMember member,
                                                      Map<String, Map<Uuid, TopicCatalog.TopicInfo>> byRegex) {
        Map<Uuid, TopicCatalog.TopicInfo> result = new TreeMap<>();
        for (String name : member.subscribedTopicNames()) {
            TopicCatalog.TopicInfo topic = topics.topic(name);
            if (topic != null) {
                result.put(topic.id(), topic);
            }
        }
        String regex = member.subscribedTopicRegex();
        if (regex != null && !regex.isEmpty()) {
            result.putAll(byRegex.computeIfAbsent(regex, this::resolve));
        }
        return result;
    }

    private Map<Uuid, TopicCatalog.TopicInfo> resolve(String regex) {
        Map<Uuid, TopicCatalog.TopicInfo> matched = new TreeMap<>();
        Pattern pattern;
        try {
            pattern = pattern(regex);
        } catch (PatternSyntaxException e) {
            return matched; // validated when received; a stored invalid one matches nothing
        }
        for (TopicCatalog.TopicInfo topic : topics.topics()) {
            if (pattern.matcher(topic.name()).matches()) {
                matched.put(topic.id(), topic);
            }
        }
        return matched;
    }

    /** Whether {@code regex} matches the whole of {@code topic}; an invalid regex matches nothing. */
    static boolean matches(String regex, String topic) {
        try {
            return pattern(regex).matcher(topic).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** Compiles {@code regex}, or throws Kafka's INVALID_REGULAR_EXPRESSION error with Kafka's message. */
    static void validate(String regex) {
        try {
            pattern(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidRegularExpression(String.format(
                    "SubscribedTopicRegex `%s` is not a valid regular expression: %s.", regex, e.getDescription()));
        }
    }

    private static Pattern pattern(String regex) {
        Pattern pattern = PATTERNS.get(regex);
        if (pattern == null) {
            pattern = Pattern.compile(regex);
            if (PATTERNS.size() >= MAX_CACHED_PATTERNS) {
                PATTERNS.clear();
            }
            PATTERNS.put(regex, pattern);
        }
        return pattern;
    }
}
