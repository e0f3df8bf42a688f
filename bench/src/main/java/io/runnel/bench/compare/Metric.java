package io.runnel.bench.compare;

/**
 * A figure the comparison reports, with its unit and which way is better. MB means 2<sup>20</sup>
 * bytes, as in Kafka's performance tools; GB in CPU per GB means 10<sup>9</sup> bytes.
 */
enum Metric {
    THROUGHPUT("throughput", "MB/s", true),
    RECORDS_PER_SECOND("records/s", "rec/s", true),
    LATENCY_AVG("latency avg", "ms", false),
    LATENCY_P50("latency p50", "ms", false),
    LATENCY_P99("latency p99", "ms", false),
    LATENCY_P999("latency p99.9", "ms", false),
    LATENCY_MAX("latency max", "ms", false),
    CPU_PER_GB("broker CPU per GB", "CPU s/GB", false),
    CPU_USER_SHARE("broker CPU in user mode", "%", false),
    RSS_PEAK("broker RSS peak", "MiB", false),
    START_TO_READY("start-to-ready", "ms", false),
    FORMAT("format step before start", "ms", false),
    RSS_IDLE("broker RSS idle", "MiB", false),
    RSS_UNDER_LOAD("broker RSS under load (peak)", "MiB", false);

    private final String title;
    private final String unit;
    private final boolean higherIsBetter;

    Metric(String title, String unit, boolean higherIsBetter) {
        this.title = title;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    String title() {
        return title;
    }

    String unit() {
        return unit;
    }

    boolean higherIsBetter() {
        return higherIsBetter;
    }
}
