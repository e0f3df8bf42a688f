package io.runnel.bench.compare;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A figure of the replicated three-node comparison ({@link ReplicatedCompare}), with its unit, which
 * way is better, and the target of issue 11 for the ratio Runnel/Kafka where it sets one.
 */
enum ReplicatedMetric {
    THROUGHPUT_MB("Produce throughput", "MB/s", true, 1.0),
    THROUGHPUT_RECORDS("Produce throughput", "records/s", true, Double.NaN),
    CPU_PER_GB("Brokers' CPU per GB produced", "CPU s/GB", false, 0.6),
    E2E_P50("End-to-end latency p50", "ms", false, Double.NaN),
    E2E_P99("End-to-end latency p99", "ms", false, 0.75),
    E2E_P999("End-to-end latency p99.9", "ms", false, Double.NaN),
    ACK_P50("Produce latency (send → acks=all answer) p50", "ms", false, Double.NaN),
    ACK_P99("Produce latency (send → acks=all answer) p99", "ms", false, Double.NaN),
    FAILOVER_P50("Failover, kill -9 of a leader → acked again, p50", "ms", false, 1.0),
    FAILOVER_MAX("Failover, kill -9 of a leader → acked again, max", "ms", false, 1.0),
    REPLICATED_BYTES("Replica bytes / (3 × leader bytes)", "fraction", true, Double.NaN);

    private final String title;
    private final String unit;
    private final boolean higherIsBetter;
    private final double target;

    ReplicatedMetric(String title, String unit, boolean higherIsBetter, double target) {
        this.title = title;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.target = target;
    }

    String title() {
        return title;
    }

    String unit() {
        return unit;
    }

    /** The name in JSON and CSV, e.g. {@code cpu_per_gb}. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The target ratio Runnel/Kafka: at least it if higher is better, at most it if lower is; empty if none. */
    OptionalDouble target() {
        return Double.isNaN(target) ? OptionalDouble.empty() : OptionalDouble.of(target);
    }

    /** The target as text, e.g. {@code ≤ 0.6×}; empty if none. */
    String targetText() {
        return target().isEmpty() ? "" : (higherIsBetter ? "≥ " : "≤ ") + Spread.number(target) + "×";
    }

    /** Whether {@code ratio} Runnel/Kafka meets the target (true if there is none). */
    boolean meets(double ratio) {
        if (target().isEmpty()) {
            return true;
        }
        return higherIsBetter ? ratio >= target : ratio <= target;
    }
}
