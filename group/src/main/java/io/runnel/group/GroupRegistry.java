package io.runnel.group;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Every group this coordinator owns, by id, of either protocol. A group id names at most one group.
 * Confined to the coordinator thread.
 */
public final class GroupRegistry {

    private final Map<String, Group> groups = new HashMap<>();

    /** The group named {@code groupId}, or null. */
    public Group get(String groupId) {
        return groups.get(groupId);
    }

    /** Adds or replaces the group under its id. */
    public void put(Group group) {
        groups.put(group.groupId(), group);
    }

    /** Removes the group named {@code groupId}, if present. */
    public void remove(String groupId) {
        groups.remove(groupId);
    }

    /** All groups; a live view, not to be modified while iterated. */
    public Collection<Group> all() {
        return Collections.unmodifiableCollection(groups.values());
    }
}
