package io.runnel.bench.compare;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Kafka's {@code kafka-producer-perf-test} ({@code org.apache.kafka.tools.ProducerPerformance}):
 * records of {@link Plan#RECORD_SIZE} bytes as fast as the producer can send them.
 *
 * @param topic the topic
 * @param records how many records
 * @param producerProps producer configs (acks, batching)
 * @param toolOptions further options of the tool itself, e.g. {@code --transactional-id}
 */
record ProducerPerformanceLoad(TopicSpec topic, long records, Map<String, String> producerProps, List<String> toolOptions)
        implements Load {

    /** The final line, e.g. "400000 records sent, 80000.0 records/sec (78.13 MB/sec), 300.1 ms avg latency, ...". */
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\), "
            + "([0-9.]+) ms avg latency, ([0-9.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99.9th");

    /** No option of the tool's own: no transactions. */
    ProducerPerformanceLoad(TopicSpec topic, long records, Map<String, String> producerProps) {
        this(topic, records, producerProps, List.of());
    }

    /**
     * The tool's transactions: a transactional producer (idempotent, so acks=all) that commits a
     * transaction every {@code durationMs}, as {@code --transaction-duration-ms} does.
     */
    static ProducerPerformanceLoad transactional(TopicSpec topic, long records, long durationMs) {
        return new ProducerPerformanceLoad(topic, records, Map.of("acks", "all"),
                List.of("--transactional-id", "bench-" + topic.name(), "--transaction-duration-ms", Long.toString(durationMs)));
    }

    @Override
    public JavaCommand command(Toolbox toolbox, String bootstrap) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-server", bootstrap, "--topic", topic.name(),
                "--num-records", Long.toString(records), "--record-size", Integer.toString(Plan.RECORD_SIZE),
                "--throughput", "-1"));
        args.addAll(toolOptions);
        args.add("--command-property");
        producerProps.forEach((key, value) -> args.add(key + "=" + value));
        return toolbox.kafkaTool("ProducerPerformance", args);
    }

    @Override
    public Map<Metric, Double> parse(String output) throws LoadFailedException {
        MatchResult summary = OutputPatterns.last(SUMMARY, output)
                .orElseThrow(() -> new LoadFailedException("no summary line: " + OutputPatterns.lastLine(output)));
        long sent = Long.parseLong(summary.group(1));
        if (sent != records) {
            throw new LoadFailedException(sent + " of " + records + " records acknowledged");
        }
        Map<Metric, Double> figures = new EnumMap<>(Metric.class);
        figures.put(Metric.RECORDS_PER_SECOND, Double.parseDouble(summary.group(2)));
        figures.put(Metric.THROUGHPUT, Double.parseDouble(summary.group(3)));
        figures.put(Metric.LATENCY_AVG, Double.parseDouble(summary.group(4)));
        figures.put(Metric.LATENCY_MAX, Double.parseDouble(summary.group(5)));
        figures.put(Metric.LATENCY_P50, Double.parseDouble(summary.group(6)));
        figures.put(Metric.LATENCY_P99, Double.parseDouble(summary.group(8)));
        figures.put(Metric.LATENCY_P999, Double.parseDouble(summary.group(9)));
        return figures;
    }

    @Override
    public long bytesMoved() {
        return records * Plan.RECORD_SIZE;
    }
}
