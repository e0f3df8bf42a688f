package io.runnel.bench.compare;

import java.util.Locale;

/** The two brokers compared. Runnel is A and Kafka is B in every ratio. */
enum Broker {
    RUNNEL("Runnel"),
    KAFKA("Kafka");

    private final String title;

    Broker(String title) {
        this.title = title;
    }

    String title() {
        return title;
    }

    /** A short lower-case name for files and directories. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
