package io.runnel.bench.compare;

import java.time.Duration;

/**
 * How big a run is: rounds, records per load, the fixed latency rate, ceilings and time limits.
 *
 * @param rounds how many times each broker runs every scenario (A B A B ...)
 * @param produceRecords records per produce load (1 KiB each)
 * @param consumeRecords records prefilled and then read by each consume load
 * @param warmupRecords records of each unmeasured warm-up load right after each broker start ({@link Scenarios#warmUp})
 * @param latencyRecords records sent by the fixed-rate end-to-end load
 * @param latencyRate records per second of the fixed-rate end-to-end load
 * @param roundTripRecords records sent one at a time by Kafka's EndToEndLatency
 * @param diskBytes bytes written by each disk ceiling measurement
 * @param loopback how long the loopback ceiling runs
 * @param loadTimeout the longest one load may run before it counts as failed
 */
record Plan(int rounds, long produceRecords, long consumeRecords, long warmupRecords, long latencyRecords,
            int latencyRate, long roundTripRecords, long diskBytes, Duration loopback, Duration loadTimeout) {

    static final int RECORD_SIZE = 1024;

    /** The full run: about 20 minutes on 2 cores. */
    static Plan full() {
        return new Plan(3, 400_000, 400_000, 100_000, 40_000, 1000, 5_000, 1L << 30, Duration.ofSeconds(5),
                Duration.ofMinutes(3));
    }

    /** A smoke run of a few minutes: one round, small loads; the figures only show the harness works. */
    static Plan quick() {
        return new Plan(1, 30_000, 30_000, 10_000, 3_000, 1000, 500, 128L << 20, Duration.ofSeconds(1),
                Duration.ofMinutes(1));
    }

    /** This plan with another number of rounds. */
    Plan withRounds(int newRounds) {
        return new Plan(newRounds, produceRecords, consumeRecords, warmupRecords, latencyRecords, latencyRate,
                roundTripRecords, diskBytes, loopback, loadTimeout);
    }

    /** This plan with another number of records per produce and consume load. */
    Plan withRecords(long records) {
        return new Plan(rounds, records, records, warmupRecords, latencyRecords, latencyRate,
                roundTripRecords, diskBytes, loopback, loadTimeout);
    }

    /** This plan with another number of records for each warm-up load. */
    Plan withWarmupRecords(long records) {
        return new Plan(rounds, produceRecords, consumeRecords, records, latencyRecords, latencyRate,
                roundTripRecords, diskBytes, loopback, loadTimeout);
    }

    /** This plan with another number of records for the fixed-rate latency load. */
    Plan withLatencyRecords(long records) {
        return new Plan(rounds, produceRecords, consumeRecords, warmupRecords, records, latencyRate,
                roundTripRecords, diskBytes, loopback, loadTimeout);
    }

    /** This plan with another limit on how long one load may run. */
    Plan withLoadTimeout(Duration timeout) {
        return new Plan(rounds, produceRecords, consumeRecords, warmupRecords, latencyRecords, latencyRate,
                roundTripRecords, diskBytes, loopback, timeout);
    }

    /**
     * Records at the start of the fixed-rate latency load left out of its figures: a quarter of them,
     * at most ten seconds' worth. A fresh client JVM and a broker whose fetch path has not been compiled
     * yet take several seconds to reach their steady latency.
     */
    long latencyWarmupRecords() {
        return Math.min(latencyRecords / 4, latencyRate * 10L);
    }
}
