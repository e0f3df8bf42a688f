package io.runnel.bench.compare;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code runnel perf} load: {@code produce}, {@code consume} (assigned, no group) or {@code e2e}
 * (fixed rate). Its figures are rows of the result table it prints.
 *
 * @param topic the topic
 * @param arguments the {@code runnel perf} arguments, less {@code --bootstrap-server}
 * @param prefillRecords records the topic must hold first (consume)
 * @param bytesMoved bytes a complete run moves, for CPU per GB
 */
record RunnelPerfLoad(TopicSpec topic, List<String> arguments, long prefillRecords, long bytesMoved) implements Load {

    private static final Map<String, Metric> ROWS = Map.of(
            "MB/s", Metric.THROUGHPUT,
            "records/s", Metric.RECORDS_PER_SECOND,
            "latency mean", Metric.LATENCY_AVG,
            "latency p50", Metric.LATENCY_P50,
            "latency p99", Metric.LATENCY_P99,
            "latency p99.9", Metric.LATENCY_P999,
            "latency max", Metric.LATENCY_MAX);

    /** {@code runnel perf produce}: as fast as possible. */
    static RunnelPerfLoad produce(TopicSpec topic, long records, String acks) {
        return new RunnelPerfLoad(topic, List.of("produce", "--topic", topic.name(), "--num-records", Long.toString(records),
                "--record-size", Integer.toString(Plan.RECORD_SIZE), "--acks", acks), 0, records * Plan.RECORD_SIZE);
    }

    /** {@code runnel perf consume} without a group, of a topic prefilled with {@code records}. */
    static RunnelPerfLoad consume(TopicSpec topic, long records) {
        return new RunnelPerfLoad(topic, List.of("consume", "--topic", topic.name(), "--num-records", Long.toString(records),
                "--timeout", "30000"), records, records * Plan.RECORD_SIZE);
    }

    /** {@code runnel perf e2e}: {@code records} at {@code rate} per second, the first {@code warmup} not counted. */
    static RunnelPerfLoad endToEnd(TopicSpec topic, long records, int rate, long warmup) {
        return new RunnelPerfLoad(topic, List.of("e2e", "--topic", topic.name(), "--num-records", Long.toString(records),
                "--throughput", Integer.toString(rate), "--warmup-records", Long.toString(warmup),
                "--record-size", Integer.toString(Plan.RECORD_SIZE), "--acks", "1"), 0, 0);
    }

    @Override
    public JavaCommand command(Toolbox toolbox, String bootstrap) throws IOException {
        List<String> args = new ArrayList<>(arguments);
        args.add("--bootstrap-server");
        args.add(bootstrap);
        return toolbox.runnelPerf(args);
    }

    @Override
    public Map<Metric, Double> parse(String output) throws LoadFailedException {
        Map<Metric, Double> figures = new EnumMap<>(Metric.class);
        ROWS.forEach((row, metric) -> OutputPatterns.tableRow(output, row).ifPresent(value -> figures.put(metric, value)));
        if (figures.isEmpty()) {
            throw new LoadFailedException("no result table: " + OutputPatterns.lastLine(output));
        }
        return figures;
    }
}
