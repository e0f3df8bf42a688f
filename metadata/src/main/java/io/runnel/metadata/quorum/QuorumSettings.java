package io.runnel.metadata.quorum;

import java.time.Duration;

/**
 * Timing and snapshot settings of a quorum; the same on every voter and client. Immutable.
 *
 * @param electionTimeoutMin lower bound of the randomized election timeout once running
 * @param electionTimeoutMax upper bound of the randomized election timeout once running
 * @param firstElectionTimeout upper bound of the first election timeout after start (kept short for a fast start)
 * @param requestTimeout how long a {@link QuorumClient} request may take, retries across leaders included
 * @param snapshotEveryEntries a voter snapshots its state machine after this many applied entries
 */
public record QuorumSettings(Duration electionTimeoutMin, Duration electionTimeoutMax, Duration firstElectionTimeout,
        Duration requestTimeout, long snapshotEveryEntries) {

    public QuorumSettings {
        if (electionTimeoutMin.isNegative() || electionTimeoutMin.isZero()
                || electionTimeoutMax.compareTo(electionTimeoutMin) < 0) {
            throw new IllegalArgumentException("election timeout must satisfy 0 < min <= max: "
                    + electionTimeoutMin + ", " + electionTimeoutMax);
        }
        if (firstElectionTimeout.isNegative() || firstElectionTimeout.isZero()) {
            throw new IllegalArgumentException("first election timeout must be positive: " + firstElectionTimeout);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive: " + requestTimeout);
        }
        if (snapshotEveryEntries < 1) {
            throw new IllegalArgumentException("snapshotEveryEntries must be >= 1: " + snapshotEveryEntries);
        }
    }

    /**
     * Elections after 1-2 s of leader silence (Ratis' 150-300 ms default churns leaders under GC or on a
     * busy 2-core machine), a first election within 300 ms, requests bounded by 10 s, a snapshot every
     * 10,000 entries.
     */
    public static QuorumSettings defaults() {
        return new QuorumSettings(Duration.ofMillis(1000), Duration.ofMillis(2000), Duration.ofMillis(300),
                Duration.ofSeconds(10), 10_000);
    }
}
