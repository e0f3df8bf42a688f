package io.runnel.broker.handler;

import java.util.Set;
import org.apache.kafka.common.errors.InvalidTopicException;

/** Kafka's rules for a legal topic name, and which names belong to the broker's own topics. Stateless. */
final class TopicNames {

    private static final int MAX_LENGTH = 249;
    /** Topics the broker keeps for itself: never auto-created for a client, written or deleted by one. */
    private static final Set<String> INTERNAL = Set.of("__consumer_offsets", "__transaction_state", "__share_group_state");

    private TopicNames() {
    }

    /** Whether {@code name} is one of the broker's internal topics. */
    static boolean isInternal(String name) {
        return INTERNAL.contains(name);
    }

    /** Whether {@code name} is a legal topic name. */
    static boolean isValid(String name) {
        return name != null && validationError(name) == null;
    }

    /** @throws InvalidTopicException saying what is wrong with the name */
    static void validate(String name) {
        String error = name == null ? "Topic name is null." : validationError(name);
        if (error != null) {
            throw new InvalidTopicException(error);
        }
    }

    private static String validationError(String name) {
        if (name.isEmpty()) {
            return "Topic name is illegal, it can't be empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "Topic name cannot be \".\" or \"..\"";
        }
        if (name.length() > MAX_LENGTH) {
            return "Topic name is illegal, it can't be longer than " + MAX_LENGTH + " characters, topic name: " + name;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!legal) {
                return "Topic name \"" + name + "\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }
        return null;
    }
}
