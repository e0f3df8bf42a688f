package io.runnel.broker.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A role of {@code process.roles}, as Kafka names them: {@code broker}, {@code controller}. */
public enum ProcessRole {
    BROKER, CONTROLLER;

    /** The roles of a {@code process.roles} list already checked by ConfigDef (only known names, no duplicates). */
    static Set<ProcessRole> parse(List<?> names) {
        Set<ProcessRole> roles = EnumSet.noneOf(ProcessRole.class);
        for (Object name : names) {
            roles.add(valueOf(name.toString().trim().toUpperCase(Locale.ROOT)));
        }
        return roles;
    }

    /** The name as written in {@code process.roles}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
